"""The document commands' handlers in-process (the same `run` the console script calls):
the cases that need no process of their own, without paying the CLI start-up each time."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from bot.commands import dossier, export, import_csv, letter
from bot.settings import Settings

from .conftest import pdf_text

SAMPLE = Path(__file__).with_name("sample_fr.csv")


def relance(tmp: Path, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="relance")
    sub = parser.add_subparsers()
    for module in (letter, dossier, import_csv, export):
        module.register(sub)
    args = parser.parse_args(argv)
    settings = Settings(database_url=f"sqlite:///{tmp / 'cmd.db'}")
    code: int = args.handler(args, settings)
    return code


def test_import_without_yes_on_a_pipe_stores_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "factures.csv").write_bytes(SAMPLE.read_bytes())
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert relance(tmp_path, "import", "factures.csv") == 0
    out = capsys.readouterr().out
    assert "4 facture(s) lisible(s)" in out and "Rien n'a été enregistré" in out
    assert relance(tmp_path, "export", "--out", "all.csv") == 0
    assert len((tmp_path / "all.csv").read_text(encoding="utf-8-sig").splitlines()) == 1


@pytest.fixture
def imported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "factures.csv").write_bytes(SAMPLE.read_bytes())
    assert relance(tmp_path, "import", "factures.csv", "--yes") == 0
    return tmp_path


def test_documents_in_english_and_reimport(imported: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert relance(imported, "letter", "2026-052", "--lang", "en", "--today", "2026-11-23",
                   "--out", "notice.pdf") == 0
    text = pdf_text((imported / "notice.pdf").read_bytes())
    assert "Formal notice" in text and "€40.00" not in text and "statutory interest" in text
    assert relance(imported, "dossier", "F-2026-101", "--route", "order_for_payment",
                   "--today", "2026-11-23") == 0
    assert "Pièces à réunir" in pdf_text((imported / "dossier-F-2026-101.pdf").read_bytes())
    assert relance(imported, "export", "--out", "all.csv", "--lang", "en") == 0
    assert (imported / "all.csv").read_bytes().startswith(b"\xef\xbb\xbfInvoice number,")
    capsys.readouterr()
    assert relance(imported, "import", "factures.csv", "--yes") == 0
    assert "0 facture(s) enregistrée(s), 4 déjà connue(s)" in capsys.readouterr().out


@pytest.mark.parametrize(("argv", "code", "needle"), [
    (("import", "photo.csv"), 1, "n'est pas un fichier texte CSV"),
    (("import", "absent.csv"), 1, "absent.csv"),
    (("import", "columns.csv", "--lang", "en"), 1, "Missing columns: invoice number"),
    (("letter", "F-1", "--today", "2026-02-31"), 2, "2026-02-31"),
    (("letter", "F-2026-101", "--client", "Personne"), 1, "Personne"),
    (("dossier", "F-404", "--lang", "en"), 1, "No invoice F-404"),
    (("export", "--out", "missing-dir/x.csv"), 1, "missing-dir/x.csv"),
])
def test_bad_input_gets_a_clear_message(imported: Path, capsys: pytest.CaptureFixture[str],
                                        argv: tuple[str, ...], code: int, needle: str) -> None:
    (imported / "photo.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    (imported / "columns.csv").write_text("nom;prix\nDupont;100\n", encoding="utf-8")
    capsys.readouterr()
    assert relance(imported, *argv) == code
    captured = capsys.readouterr()
    assert needle in captured.out + captured.err
