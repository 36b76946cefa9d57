"""`relance import|letter|dossier|export` as a user runs them: real processes on a temp SQLite.

Each process pays the CLI's start-up (about 3 s), so independent runs go in parallel.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from .conftest import pdf_text

RELANCE = str(Path(sys.executable).parent / "relance")
SAMPLE = Path(__file__).with_name("sample_fr.csv")

pytestmark = pytest.mark.slow


def start(tmp: Path, *args: str, stdin: str = "") -> subprocess.Popen[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp / 'cli.db'}"}
    process = subprocess.Popen([RELANCE, *args], cwd=tmp, env=env, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    assert process.stdin is not None
    process.stdin.write(stdin)
    process.stdin.close()
    return process


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    assert process.stdout is not None and process.stderr is not None
    out, err = process.stdout.read(), process.stderr.read()
    code = process.wait(timeout=60)
    assert "Traceback" not in err, err
    return code, out, err


def test_import_letter_dossier_export(tmp_path: Path) -> None:
    (tmp_path / "factures.csv").write_bytes(SAMPLE.read_bytes())
    code, out, _ = finish(start(tmp_path, "import", "factures.csv", "--yes"))
    assert code == 0 and "4 facture(s) enregistrée(s)" in out
    runs = [start(tmp_path, "letter", "F-2026-101", "--today", "2026-11-23"),
            start(tmp_path, "dossier", "F-2026-101", "--csv", "--today", "2026-11-23"),
            start(tmp_path, "export", "--today", "2026-11-23", "--chart", "ageing.png")]
    unknown = start(tmp_path, "letter", "F-404")
    results = [finish(p) for p in runs]
    assert [r[0] for r in results] == [0] * len(runs), results
    letter = pdf_text((tmp_path / "mise-en-demeure-F-2026-101.pdf").read_bytes())
    assert "Mise en demeure" in letter and "F-2026-101" in letter and "40,00 €" in letter
    assert (tmp_path / "dossier-F-2026-101.csv").read_bytes().startswith(b"\xef\xbb\xbfDate;")
    exported = list(csv.reader(io.StringIO(results[2][1].lstrip("\ufeff")), delimiter=";"))
    assert len(exported) == 5 and exported[0][0] == "N° facture"
    assert Image.open(tmp_path / "ageing.png").size == (800, 480)
    code, _, err = finish(unknown)
    assert code == 1 and "Aucune facture n° F-404" in err
