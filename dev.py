#!/usr/bin/env python3
"""Set up the project in ./.venv and start the assistant or run the tests.

    python3 dev.py start   # set up, then start Relance (Telegram with a token, terminal chat without)
    python3 dev.py test    # set up, then run ruff, mypy and the whole test suite

Only the standard library is used here: this script runs on a fresh machine with only Python.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".relance-installed"


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for name in ("pyproject.toml", "constraints.txt"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def setup() -> None:
    """Create the virtual environment and install the pinned dependencies when they changed."""
    if not PY.exists():
        print("relance: creating .venv", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == _fingerprint():
        return
    print("relance: installing pinned dependencies (first run takes a minute)", flush=True)
    pip = [str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "pip==26.3"], check=True)
    subprocess.run([*pip, "-c", "constraints.txt", "-e", ".[dev]"], check=True, cwd=ROOT)
    STAMP.write_text(_fingerprint())


def _run(args: list[str]) -> int:
    return subprocess.call(args, cwd=ROOT)


def ensure_postgres() -> None:
    """Start the local PostgreSQL cluster when this machine has one that is stopped."""
    if shutil.which("pg_lsclusters") is None or Path("/etc/postgresql").exists() is False:
        return
    status = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout
    if "online" in status:
        return
    for version in sorted(os.listdir("/etc/postgresql")):
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False
        )


def test(extra: list[str]) -> int:
    ensure_postgres()
    for step in (
        [str(BIN / "ruff"), "check", "."],
        [str(BIN / "mypy")],
        [str(PY), "-m", "pytest", *extra],
    ):
        print("relance: " + " ".join(Path(step[0]).name if i == 0 else a for i, a in enumerate(step)), flush=True)
        code = _run(step)
        if code != 0:
            return code
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"start", "test", "setup"}:
        print(__doc__)
        return 2
    setup()
    if argv[0] == "setup":
        return 0
    if argv[0] == "test":
        return test(argv[1:])
    return _run([str(BIN / "relance"), "start", *argv[1:]])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
