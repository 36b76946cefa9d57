"""`python -m bench [names]`: run the benchmarks (all by default), print tables, write
bench/out/<name>.json. `--quick` shrinks every run (a smoke test, not a measurement)."""

from __future__ import annotations

import argparse
import importlib
import logging
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import loadavg, machine  # noqa: E402

BENCHMARKS = {  # name: (module, quick keyword arguments)
    "messages": ("bench.messages", {"messages": 1_000, "owners": 50}),
    "actions_http": ("bench.actions_http", {"calls": 300}),
    "telegram": ("bench.telegram_e2e", {"seconds": 5.0, "chats": 50, "paced_seconds": 3.0}),
    "nudges": ("bench.nudges", {"nudges": 10_000, "owners": 1_000, "seconds": 5.0}),
    "big_owner": ("bench.big_owner", {"invoices": 500, "batch": 1_000}),
}
# Run only when named: needs valgrind, ~3 min (bench/instructions.py).
EXTRA = {"instructions": ("bench.instructions", {"rounds": (1, 2), "updates": (20, 60)})}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", choices=[[], *BENCHMARKS, *EXTRA], metavar="name",
                        help=f"benchmarks to run (default: all): {', '.join(BENCHMARKS)}; "
                             f"only when named: {', '.join(EXTRA)} (needs valgrind)")
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--wait-quiet", type=float, default=0.0, metavar="LOAD",
                        help="first wait (up to 10 min) until the 1-minute load is below LOAD")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.wait_quiet:
        deadline = time.monotonic() + 600
        while loadavg()[0] >= args.wait_quiet and time.monotonic() < deadline:
            print(f"load {loadavg()[0]:.2f} ≥ {args.wait_quiet}: waiting", flush=True)
            time.sleep(20)
    info = machine()
    print(f"machine: {info['nproc']} × {info['cpu']}, Python {info['python']}, "
          f"load {' '.join(map(str, info['loadavg']))}", flush=True)
    names = args.names or list(BENCHMARKS)
    if len(names) == 1:
        module, quick = {**BENCHMARKS, **EXTRA}[names[0]]
        importlib.import_module(module).run(**(quick if args.quick else {}))
        return 0
    failed = 0
    for name in names:  # each in its own process: its peak RSS and heap are its own
        flags = ["--quick"] if args.quick else []
        failed |= subprocess.run([sys.executable, "-m", "bench", name, *flags],
                                 cwd=ROOT).returncode
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
