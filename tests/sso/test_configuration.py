"""A broken single sign-on configuration stops the start with a message naming the setting,
in the installation's language (Dutch unless WERKPLEK_LANGUAGE says otherwise)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from werkplek.app import create_app
from werkplek.config import Settings, SettingsError

BASE = {"WERKPLEK_ENV": "test"}


def sso_settings(tmp_path: Path, **changes: object) -> Settings:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'werkplek.db'}",
        environment="test",
        secret_key="test-secret-key-that-is-long-enough-123",
        scheduler_enabled=False,
        oidc_discovery_url="https://login.example/.well-known/openid-configuration",
        oidc_client_id="werkplek",
    )
    return settings.with_changes(**changes)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_a_discovery_url_nobody_answers_stops_the_app_naming_the_setting(
    tmp_path: Path,
) -> None:
    url = f"http://127.0.0.1:{closed_port()}/.well-known/openid-configuration"
    app = create_app(sso_settings(tmp_path, oidc_discovery_url=url))

    expected = pytest.RaisesExc(
        SettingsError,
        match=r"WERKPLEK_OIDC_DISCOVERY_URL: het discoverydocument op \S+ kan niet worden gelezen",
    )
    with pytest.RaisesGroup(expected, flatten_subgroups=True):  # the start-up task group's
        async with AsyncTestClient(app=app):
            pass


def test_a_discovery_url_without_a_client_id_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="WERKPLEK_OIDC_CLIENT_ID is verplicht"):
        sso_settings(tmp_path, oidc_client_id="").check_single_sign_on()


def test_plain_http_discovery_is_refused_in_production(tmp_path: Path) -> None:
    settings = sso_settings(
        tmp_path, environment="production", oidc_discovery_url="http://login.example/"
    )
    with pytest.raises(SettingsError, match="WERKPLEK_OIDC_DISCOVERY_URL moet https:// gebruiken"):
        settings.check_single_sign_on()


def test_scopes_without_openid_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="WERKPLEK_OIDC_SCOPES moet openid bevatten"):
        sso_settings(tmp_path, oidc_scopes="profile email").check_single_sign_on()


def test_a_role_map_naming_an_unknown_role_is_refused(tmp_path: Path) -> None:
    settings = sso_settings(tmp_path, oidc_role_map=(("werkplek-kcc", "callcenter"),))
    with pytest.raises(SettingsError, match="WERKPLEK_OIDC_ROLE_MAP koppelt 'werkplek-kcc'"):
        settings.check_single_sign_on()


def test_switching_password_login_off_without_single_sign_on_is_refused(tmp_path: Path) -> None:
    settings = sso_settings(tmp_path, oidc_discovery_url="", local_login=False)
    with pytest.raises(SettingsError, match="WERKPLEK_LOCAL_LOGIN=false vraagt om single sign-on"):
        settings.check_single_sign_on()


def test_a_refused_sign_on_setting_is_named_in_english_when_the_installation_is_english(
    tmp_path: Path,
) -> None:
    settings = sso_settings(tmp_path, oidc_client_id="", default_language="en")
    with pytest.raises(SettingsError, match="WERKPLEK_OIDC_CLIENT_ID is required"):
        settings.check_single_sign_on()


def test_the_role_map_is_read_as_group_role_pairs() -> None:
    settings = Settings.from_env(
        {
            **BASE,
            "WERKPLEK_OIDC_ROLE_MAP": "werkplek-kcc=kcc, werkplek-facilitair=Facilities",
            "WERKPLEK_OIDC_SCOPES": " openid  email ",
            "WERKPLEK_LOCAL_LOGIN": "off",
        }
    )
    assert settings.oidc_role_map == (
        ("werkplek-kcc", "kcc"),
        ("werkplek-facilitair", "facilities"),
    )
    assert settings.oidc_scopes == "openid email"
    assert settings.local_login is False


def test_a_malformed_role_map_is_refused_naming_the_setting() -> None:
    with pytest.raises(SettingsError, match="WERKPLEK_OIDC_ROLE_MAP moet de vorm groep=rol"):
        Settings.from_env({**BASE, "WERKPLEK_OIDC_ROLE_MAP": "werkplek-kcc"})
