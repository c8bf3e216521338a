"""Configuration: environment variables prefixed EXIT_, and an optional .env file."""

from __future__ import annotations

import os
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from flows.help import DEFAULT_HELPLINES
from flows.loader import DEFINITIONS

PROJECT_FOLDER = Path(__file__).resolve().parents[2]
ENV_FILE_VARIABLE = "EXIT_ENV_FILE"


class ConfigurationError(Exception):
    """The program cannot start with these settings; the message says what to change."""


class Settings(BaseSettings):
    """Everything a deployment sets. Secrets are SecretStr so they never print by accident."""

    model_config = SettingsConfigDict(env_prefix="EXIT_", env_file=None, extra="ignore")

    database: Path = Path("data/exit-interviews.sqlite3")
    practice_database: Path = Path("data/practice.sqlite3")
    data_key: SecretStr | None = None
    previous_data_keys: list[SecretStr] = Field(default_factory=list)
    telegram_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    bot_username: str | None = None
    telegram_max_rate: float = Field(default=30.0, gt=0)
    telegram_read_timeout: float = Field(default=10.0, gt=0)
    timezone: str = "Europe/London"
    flows_dir: Path = DEFINITIONS
    helplines: Path = DEFAULT_HELPLINES
    keep_finished_days: int = Field(default=730, ge=1)
    invitation_days: int = Field(default=28, ge=1)
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    concern_repeat_minutes: int = Field(default=60, ge=1)
    urgent_repeat_minutes: int = Field(default=15, ge=1)
    undelivered_escalate_minutes: int = Field(default=5, ge=1)
    read_within_working_days: int = Field(default=10, ge=1)
    amber_digest_at: time = time(8, 30)
    """Local time of the one daily digest of open amber (read today) concerns."""
    """How long the reviewers have to read a finished interview and record a decision."""
    task_escalate_after_days: int = Field(default=3, ge=0)
    web_url: str | None = None
    """The web chat's public address (https, behind a reverse proxy); links are made on it."""
    web_idle_minutes: int = Field(default=30, ge=1)
    """A web chat left this long is closed; the same link in the same browser reopens it."""
    web_leave_url: str = "https://www.bbc.co.uk/weather"
    """Where "Leave this page quickly" goes: a neutral site."""
    web_inputs_per_minute: int = Field(default=120, ge=1)
    """The most answers one browser may send a minute."""
    whatsapp_token: SecretStr | None = None
    whatsapp_phone_number_id: str | None = None
    whatsapp_app_secret: SecretStr | None = None
    whatsapp_verify_token: SecretStr | None = None
    whatsapp_business_number: str | None = Field(default=None, pattern=r"^\d{8,15}$")
    """WhatsApp is served only when all five are set; see the README's "WhatsApp"."""
    whatsapp_off_services: list[str] = Field(default_factory=list)
    """Homes or services that do not use WhatsApp (e.g. '["Oak House"]'): their invitations
    (new and reissued) carry no WhatsApp link."""
    whatsapp_api_url: str = "https://graph.facebook.com/v21.0"
    whatsapp_host: str = "127.0.0.1"
    whatsapp_port: int = Field(default=8090, ge=0, le=65535)
    yearly_report_on: str | None = Field(default=None, pattern=r"^\d{2}-\d{2}$")
    """Month and day (MM-DD) on which each flow's report for the past year is sent."""
    yearly_report_to: list[int] = Field(default_factory=list)
    """The admins (Telegram user ids) the yearly report is sent to."""
    """How many days a task may be overdue before the admins are told."""
    duty_email: str | None = None
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = True
    smtp_from: str = "exit-interviews@localhost"
    smtp_timeout_seconds: float = Field(default=20.0, gt=0)
    scheduler_interval_seconds: float = Field(default=30.0, gt=0)
    busy_timeout_ms: int = Field(default=10_000, ge=0)
    replay_interval_seconds: float = Field(default=5.0, gt=0)
    log_level: str = "INFO"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (KeyError, ValueError) as error:
            raise ValueError(
                f"unknown time zone {value!r}; use a name like Europe/London"
            ) from error
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def keys(self) -> list[str]:
        """The data key first, then older keys still able to decrypt during a rotation."""
        keys = [self.data_key.get_secret_value()] if self.data_key else []
        return keys + [k.get_secret_value() for k in self.previous_data_keys]


def env_file() -> Path | None:
    """The one .env file settings may come from: EXIT_ENV_FILE if set (empty means none),
    else `.env` in the project's own folder. Never the current directory's, so running a
    command from elsewhere (or a test) cannot pick up someone else's key."""
    chosen = os.environ.get(ENV_FILE_VARIABLE)
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    if (PROJECT_FOLDER / "pyproject.toml").is_file():
        return PROJECT_FOLDER / ".env"
    return None


def load_settings() -> Settings:
    """The deployment's settings: environment variables first, then the one .env file."""
    chosen = env_file()
    if chosen is not None and os.environ.get(ENV_FILE_VARIABLE) and not chosen.is_file():
        raise FileNotFoundError(
            f"{ENV_FILE_VARIABLE} names {chosen}, which does not exist; fix the path or unset it."
        )
    return Settings(_env_file=chosen)
