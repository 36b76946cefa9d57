"""What every benchmark shares: the machine record, percentiles, the result table, JSON out."""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def machine() -> dict[str, Any]:
    """nproc, CPU model, Python, load average: printed with every table."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": model, "python": platform.python_version(),
            "platform": platform.platform(), "loadavg": loadavg()}


def loadavg() -> list[float]:
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return []


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, int(round(q / 100 * len(ordered) + 0.5)) - 1))
    return ordered[rank]


def peak_rss_mb() -> float:
    """This process's high-water resident set (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class Row:
    """One measured figure against its target. `higher` says which way is better."""

    name: str
    measured: float
    target: float | None
    unit: str
    higher: bool = False
    note: str = ""

    @property
    def ratio(self) -> float | None:
        """How many times better than the target (> 1: better, < 1: worse)."""
        if self.target is None or self.measured == 0 and not self.higher:
            return None if self.target is None else float("inf")
        if self.higher:
            return self.measured / self.target
        return self.target / self.measured

    @property
    def verdict(self) -> str:
        if self.target is None:
            return "info"
        return "pass" if (self.measured >= self.target if self.higher
                          else self.measured <= self.target) else "MISS"


@dataclass
class Report:
    name: str
    title: str
    rows: list[Row] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    machine: dict[str, Any] = field(default_factory=machine)
    started: float = field(default_factory=time.time)

    def add(self, name: str, measured: float, target: float | None, unit: str, *,
            higher: bool = False, note: str = "") -> None:
        self.rows.append(Row(name, measured, target, unit, higher, note))

    def table(self) -> str:
        head = ("measure", "measured", "target", "ratio", "verdict")
        lines = [(r.name, f"{fmt(r.measured)} {r.unit}",
                  "-" if r.target is None else f"{'≥' if r.higher else '≤'} {fmt(r.target)} {r.unit}",
                  "-" if r.ratio is None else f"{r.ratio:.2f}×", r.verdict) for r in self.rows]
        widths = [max(len(str(x)) for x in col) for col in zip(head, *lines, strict=False)]
        out = [f"== {self.name}: {self.title}",
               f"   load before: {' '.join(map(str, self.machine['loadavg']))}; "
               f"{self.machine['nproc']} × {self.machine['cpu']}; Python {self.machine['python']}"]
        for line in (head, *lines):
            out.append("   " + "  ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=True)))
        out.extend(f"   note: {r.name}: {r.note}" for r in self.rows if r.note)
        return "\n".join(out)

    def write(self) -> Path:
        OUT.mkdir(parents=True, exist_ok=True)
        path = OUT / f"{self.name}.json"
        body = {"name": self.name, "title": self.title, "machine": self.machine,
                "load_after": loadavg(), "seconds": round(time.time() - self.started, 1),
                "rows": [asdict(r) | {"ratio": r.ratio, "verdict": r.verdict} for r in self.rows],
                "details": self.details}
        path.write_text(json.dumps(body, indent=2, default=str) + "\n", encoding="utf-8")
        return path

    def finish(self) -> Report:
        print(self.table(), flush=True)
        print(f"   json: {self.write().relative_to(ROOT)}", file=sys.stdout, flush=True)
        return self


def fmt(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    if abs(value) >= 100:
        return f"{value:,.0f}".replace(",", " ")
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}" if abs(value) >= 0.1 else f"{value:.3f}"


def quiet_settings(db: Path, **extra: Any) -> Any:
    """Settings on a temp SQLite file, ignoring .env and the caller's environment."""
    from bot.settings import Settings

    return Settings(_env_file=None, database_url=f"sqlite:///{db}", log_level="WARNING",
                    **extra)  # type: ignore[call-arg]
