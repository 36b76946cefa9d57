"""The one typed settings object, read at the entry point only (environment and .env)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Relance configuration. Every field can be set by an environment variable of the same
    name in upper case (e.g. `DATABASE_URL`, `TELEGRAM_BOT_TOKEN`) or in a `.env` file."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'relance.db'}",
        description="SQLAlchemy URL: SQLite file by default, postgresql+psycopg://... for many owners",
    )
    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_file_base_url: str = "https://api.telegram.org/file/bot"
    # Telegram allows about 30 messages/s per bot: the bot never sends faster (a self-hosted
    # Bot API server, or a benchmark against the local fake one, may allow more).
    telegram_max_rate: float = 30.0
    webhook: bool = False
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    actions_host: str = "127.0.0.1"
    actions_port: int = 5055
    rates_dir: Path = PROJECT_ROOT / "data" / "rates"
    rasa_dir: Path = PROJECT_ROOT / "data" / "rasa"
    templates_dir: Path = PROJECT_ROOT / "templates"
    files_dir: Path = PROJECT_ROOT / "var" / "files"  # where the terminal chat saves files
    default_language: str = "fr"
    default_timezone: str = "Europe/Paris"
    nudge_global_rate: float = 25.0
    nudge_lease_seconds: int = 120
    log_level: str = "INFO"
