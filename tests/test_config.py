"""Settings from the environment, and what the app does when its database is not ready."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import httpx
import pytest
from litestar.testing import AsyncTestClient

from tests.conftest import DEFAULT_NOW
from werkplek.app import create_app
from werkplek.clock import FixedClock
from werkplek.config import Settings, SettingsError
from werkplek.db import create_engine
from werkplek.i18n import current_language, translations, using_language
from werkplek.migrate import DatabaseNotMigrated, ensure_migrated

SECRET = "a-secret-key-of-at-least-32-characters!"


def _env(**values: str) -> dict[str, str]:
    return {"WERKPLEK_SECRET_KEY": SECRET, **values}


# --- settings -----------------------------------------------------------------------------


@pytest.mark.parametrize("environment", ["production", "staging", "acceptance"])
def test_the_secret_key_is_required_outside_development(environment: str) -> None:
    with pytest.raises(SettingsError, match="WERKPLEK_SECRET_KEY"):
        Settings.from_env({"WERKPLEK_ENV": environment})


def test_production_is_assumed_when_no_environment_is_given() -> None:
    with pytest.raises(SettingsError, match="WERKPLEK_SECRET_KEY"):
        Settings.from_env({})


@pytest.mark.parametrize("environment", ["dev", "demo", "test"])
def test_development_environments_make_up_a_random_secret_key(environment: str) -> None:
    first = Settings.from_env({"WERKPLEK_ENV": environment})
    second = Settings.from_env({"WERKPLEK_ENV": environment})

    assert len(first.secret_key) >= 32
    assert first.secret_key != second.secret_key


def test_a_too_short_secret_key_names_werkplek_secret_key_in_dutch() -> None:
    with pytest.raises(SettingsError, match=r"^WERKPLEK_SECRET_KEY moet minstens 32 tekens lang"):
        Settings.from_env({"WERKPLEK_SECRET_KEY": "too-short"})


def test_a_too_short_secret_key_is_named_in_english_when_the_installation_is_english() -> None:
    with pytest.raises(SettingsError, match=r"^WERKPLEK_SECRET_KEY must be at least 32 characters"):
        Settings.from_env({"WERKPLEK_SECRET_KEY": "too-short", "WERKPLEK_LANGUAGE": "en"})


def test_a_missing_secret_key_names_the_environment_in_dutch() -> None:
    with pytest.raises(
        SettingsError, match=r"^WERKPLEK_SECRET_KEY is verplicht als WERKPLEK_ENV 'production' is"
    ):
        Settings.from_env({})


def test_reading_the_settings_leaves_the_current_language_as_it_was() -> None:
    with using_language("nl"):
        Settings.from_env(_env(WERKPLEK_LANGUAGE="en"))

        assert current_language() == "nl"


def test_every_dutch_settings_message_names_the_variables_its_english_one_names() -> None:
    catalog = getattr(translations("nl"), "_catalog", {})
    variable = re.compile(r"WERKPLEK_\w+")
    differing = [
        message
        for message, text in catalog.items()
        if isinstance(message, str)
        and variable.search(message)
        and set(variable.findall(message)) != set(variable.findall(text))
    ]
    assert differing == []


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db:5432/werkplek", "postgresql+asyncpg://u:p@db:5432/werkplek"),
        ("postgresql://u:p@db/werkplek", "postgresql+asyncpg://u:p@db/werkplek"),
        ("postgresql+asyncpg://u@db/werkplek", "postgresql+asyncpg://u@db/werkplek"),
        ("sqlite:///var/werkplek.db", "sqlite+aiosqlite:///var/werkplek.db"),
    ],
)
def test_database_urls_are_normalised_to_async_drivers(given: str, expected: str) -> None:
    settings = Settings.from_env(_env(WERKPLEK_DATABASE_URL=given))

    assert settings.database_url == expected


def test_a_bad_whole_number_names_the_variable() -> None:
    with pytest.raises(
        SettingsError, match="WERKPLEK_SESSION_HOURS moet een geheel getal zijn, niet 'twelve'"
    ):
        Settings.from_env(_env(WERKPLEK_SESSION_HOURS="twelve"))


def test_a_bad_true_or_false_names_the_variable() -> None:
    with pytest.raises(SettingsError, match="WERKPLEK_SECURE_COOKIES"):
        Settings.from_env(_env(WERKPLEK_SECURE_COOKIES="maybe"))


def test_whole_numbers_are_read_from_the_environment() -> None:
    settings = Settings.from_env(_env(WERKPLEK_SESSION_HOURS="8", WERKPLEK_LOGIN_ATTEMPTS="5"))

    assert (settings.session_hours, settings.login_attempts_per_15_minutes) == (8, 5)


def test_the_database_pool_is_read_from_the_environment() -> None:
    settings = Settings.from_env(
        _env(
            WERKPLEK_DATABASE_POOL_SIZE="4",
            WERKPLEK_DATABASE_MAX_OVERFLOW="0",
            WERKPLEK_DATABASE_POOL_TIMEOUT="5",
        )
    )

    assert (
        settings.database_pool_size,
        settings.database_max_overflow,
        settings.database_pool_timeout_seconds,
    ) == (4, 0, 5)


def test_a_pool_of_no_connections_is_refused_naming_the_variable() -> None:
    with pytest.raises(SettingsError, match="WERKPLEK_DATABASE_POOL_SIZE moet minstens 1 zijn"):
        Settings.from_env(_env(WERKPLEK_DATABASE_POOL_SIZE="0"))


@pytest.mark.parametrize(
    "name", ["WERKPLEK_SESSION_HOURS", "WERKPLEK_SCHEDULER_INTERVAL", "WERKPLEK_SMTP_PORT"]
)
def test_a_duration_or_count_of_zero_or_less_is_refused(name: str) -> None:
    with pytest.raises(SettingsError, match=f"{name} moet minstens 1 zijn"):
        Settings.from_env(_env(**{name: "-1"}))


def test_a_grace_time_of_zero_is_allowed() -> None:
    env = _env(WERKPLEK_NO_SHOW_GRACE_MINUTES="0")

    assert Settings.from_env(env).no_show_grace_minutes == 0


def test_a_floor_plan_limit_above_the_upload_ceiling_is_refused() -> None:
    with pytest.raises(SettingsError, match="WERKPLEK_FLOOR_PLAN_MAX_KB mag hoogstens 32768 zijn"):
        Settings.from_env(_env(WERKPLEK_FLOOR_PLAN_MAX_KB="100000"))


def test_a_language_without_a_catalogue_is_refused_in_dutch_the_default() -> None:
    with pytest.raises(SettingsError, match="WERKPLEK_LANGUAGE moet een van nl, en zijn"):
        Settings.from_env(_env(WERKPLEK_LANGUAGE="de"))


def test_empty_variables_keep_the_defaults() -> None:
    settings = Settings.from_env(
        _env(
            WERKPLEK_SESSION_HOURS="",
            WERKPLEK_DATABASE_URL="",
            WERKPLEK_LANGUAGE="",
        )
    )

    defaults = Settings()
    assert (
        settings.session_hours,
        settings.database_url,
        settings.default_language,
    ) == (defaults.session_hours, defaults.database_url, "nl")


def test_cookies_are_secure_in_production() -> None:
    assert Settings.from_env(_env()).secure_cookies is True


def test_cookies_are_not_secure_in_development_unless_asked() -> None:
    assert Settings.from_env({"WERKPLEK_ENV": "dev"}).secure_cookies is False
    assert (
        Settings.from_env({"WERKPLEK_ENV": "dev", "WERKPLEK_SECURE_COOKIES": "true"}).secure_cookies
        is True
    )


# --- an unready database ------------------------------------------------------------------


def _test_settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        environment="test",
        secret_key=SECRET,
        secure_cookies=False,
        scheduler_enabled=False,
    )


async def test_an_empty_database_is_reported_as_not_migrated(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    engine = create_engine(url)
    try:
        with pytest.raises(DatabaseNotMigrated, match="werkplek migrate"):
            await ensure_migrated(engine, url)
    finally:
        await engine.dispose()


async def test_the_app_refuses_to_start_on_an_unmigrated_database(tmp_path: Path) -> None:
    app = create_app(
        _test_settings(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"), FixedClock(DEFAULT_NOW)
    )

    # The lifespan runs in a task group, which may wrap the error in an exception group.
    with pytest.RaisesGroup(DatabaseNotMigrated, allow_unwrapped=True, flatten_subgroups=True):
        async with AsyncTestClient(app=app):
            pass


def _closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_health_is_503_without_the_error_text_when_the_database_is_unreachable() -> None:
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{_closed_port()}/werkplek"
    app = create_app(_test_settings(url), FixedClock(DEFAULT_NOW))
    # Without the lifespan: it would refuse to start, as the database cannot be checked.
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]  # narrower ASGI types
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/health")

    assert (response.status_code, response.json(), response.headers["Retry-After"]) == (
        503,
        {"status": "unavailable", "database": "unavailable"},
        "5",
    )
