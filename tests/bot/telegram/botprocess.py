"""Start the real bot in its own process against the fake Bot API, and stop it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from tests.fakebotapi.server import FakeBotApi

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class BotProcess:
    def __init__(self, api: FakeBotApi, log_path: Path, *, webhook: dict[str, str] | None = None):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK"))}
        env.update(
            TELEGRAM_BOT_TOKEN=api.token,
            TELEGRAM_API_BASE_URL=api.base_url,
            TELEGRAM_FILE_BASE_URL=api.base_file_url,
            LOG_LEVEL="DEBUG",  # the most talkative level must still hide the token
            PYTHONPATH=str(ROOT),
        )
        env.update(webhook or {})
        self.log_path = log_path
        self._log = log_path.open("wb")
        args = [sys.executable, "-m", "tests.bot.telegram.run_test_bot"]
        if webhook:
            args.append("--webhook")
        self.process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self._log,
                                        stderr=subprocess.STDOUT)

    def stop(self) -> tuple[int, str]:
        """SIGTERM (PTB shuts down gracefully); returns the exit code and the whole output."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        return self.process.returncode, self.output()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")
