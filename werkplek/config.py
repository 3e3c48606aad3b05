"""Settings read from ``WERKPLEK_*`` environment variables."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from werkplek.i18n import DEFAULT_LANGUAGE, LANGUAGES, _, using_language
from werkplek.resources import resource_dir

DEV_ENVIRONMENTS = frozenset({"dev", "demo", "test"})
#: Uploads above this are refused before they are read (``floorplans.api``), so
#: ``WERKPLEK_FLOOR_PLAN_MAX_KB`` cannot be set above it.
FLOOR_PLAN_CEILING_KB = 32 * 1024


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable, in the
    installation's language (``Settings.from_env``)."""


def _normalise_database_url(url: str) -> str:
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        return "postgresql+asyncpg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    return url


def _int(
    env: dict[str, str],
    name: str,
    default: int,
    *,
    minimum: int = 1,
    maximum: int | None = None,
) -> int:
    """A whole number from the environment; counts, durations and sizes are at least 1
    unless ``minimum`` says 0 means something."""
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(
            _("%(name)s must be a whole number, got %(value)r", name=name, value=raw)
        ) from exc
    if value < minimum:
        raise SettingsError(
            _(
                "%(name)s must be at least %(minimum)s, got %(value)s",
                name=name,
                minimum=minimum,
                value=value,
            )
        )
    if maximum is not None and value > maximum:
        raise SettingsError(
            _(
                "%(name)s must be at most %(maximum)s, got %(value)s",
                name=name,
                maximum=maximum,
                value=value,
            )
        )
    return value


def _language(env: dict[str, str], default: str) -> str:
    language = env.get("WERKPLEK_LANGUAGE") or default
    if language not in LANGUAGES:
        raise SettingsError(
            _("WERKPLEK_LANGUAGE must be one of %(languages)s", languages=", ".join(LANGUAGES))
        )
    return language


def _bool(env: dict[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(_("%(name)s must be true or false, got %(value)r", name=name, value=raw))


def _role_map(raw: str) -> tuple[tuple[str, str], ...]:
    """``group=role,group=role`` as pairs; a group may give several roles."""
    pairs = []
    for item in raw.split(","):
        if not item.strip():
            continue
        group, sep, role = item.partition("=")
        if not sep or not group.strip() or not role.strip():
            raise SettingsError(
                _(
                    "WERKPLEK_OIDC_ROLE_MAP must look like group=role,group=role; got %(item)r",
                    item=item.strip(),
                )
            )
        pairs.append((group.strip(), role.strip().lower()))
    return tuple(pairs)


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite+aiosqlite:///werkplek.db"
    database_pool_size: int = 10  # PostgreSQL connections each worker keeps
    database_max_overflow: int = 10  # and opens beyond them under load
    database_pool_timeout_seconds: int = 30  # a request waits this long for one, then 503
    environment: str = "production"
    secret_key: str = ""
    default_language: str = "nl"
    secure_cookies: bool = True
    session_hours: int = 12
    login_attempts_per_15_minutes: int = 10
    local_login: bool = True
    oidc_discovery_url: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_scopes: str = "openid profile email"
    oidc_role_claim: str = "groups"
    oidc_role_map: tuple[tuple[str, str], ...] = ()  # (provider group, Werkplek role)
    oidc_button_label: str = ""
    no_show_grace_minutes: int = 30
    scheduler_enabled: bool = True
    scheduler_interval_seconds: int = 60
    retention_work_location_days: int = 400
    retention_callback_note_days: int = 30
    retention_audit_days: int = 730
    retention_visit_address_days: int = 30
    retention_visitor_days: int = 30
    retention_roll_call_days: int = 30
    planning_horizon_days: int = 90
    analytics_max_days: int = 400
    feed_days_back: int = 30
    feed_days_ahead: int = 90
    floor_plan_max_kb: int = 5120
    public_url: str = ""
    visit_grace_minutes: int = 15
    visit_escalation_minutes: int = 30
    visit_escalation_address: str = ""
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_from: str = "werkplek@localhost"
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True
    mail_max_attempts: int = 8
    no_show_warning_minutes: int = 10
    webhook_max_attempts: int = 8
    webhook_timeout_seconds: int = 10
    webhook_allow_internal: bool = False  # localhost, private and link-local addresses
    static_dir: Path = field(default_factory=lambda: resource_dir("static"))
    templates_dir: Path = field(default_factory=lambda: resource_dir("templates"))

    @property
    def is_development(self) -> bool:
        return self.environment in DEV_ENVIRONMENTS

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def no_show_grace(self) -> timedelta:
        """How long after its start a booking nobody checked in to is released."""
        return timedelta(minutes=self.no_show_grace_minutes)

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.oidc_discovery_url)

    def check_single_sign_on(self) -> None:
        """Refuse a single sign-on configuration that cannot work, naming the setting in
        the installation's language."""
        from werkplek.people.models import Role

        with using_language(self.default_language):
            if not self.oidc_enabled:
                if not self.local_login:
                    raise SettingsError(
                        _(
                            "WERKPLEK_LOCAL_LOGIN=false needs single sign-on: "
                            "set WERKPLEK_OIDC_DISCOVERY_URL, or nobody can log in"
                        )
                    )
                return
            url = self.oidc_discovery_url
            if not url.startswith(("https://", "http://")):
                raise SettingsError(
                    _("WERKPLEK_OIDC_DISCOVERY_URL must be an https:// URL, got %(url)r", url=url)
                )
            if url.startswith("http://") and not self.is_development:
                raise SettingsError(
                    _(
                        "WERKPLEK_OIDC_DISCOVERY_URL must use https:// (plain http:// only "
                        "with WERKPLEK_ENV dev, demo or test), got %(url)r",
                        url=url,
                    )
                )
            if not self.oidc_client_id:
                raise SettingsError(
                    _("WERKPLEK_OIDC_CLIENT_ID is required when WERKPLEK_OIDC_DISCOVERY_URL is set")
                )
            if "openid" not in self.oidc_scopes.split():
                raise SettingsError(
                    _(
                        "WERKPLEK_OIDC_SCOPES must include openid, got %(scopes)r",
                        scopes=self.oidc_scopes,
                    )
                )
            if not self.oidc_role_claim:
                raise SettingsError(_("WERKPLEK_OIDC_ROLE_CLAIM must name a claim, e.g. groups"))
            roles = {role.value for role in Role}
            for group, role in self.oidc_role_map:
                if role not in roles:
                    raise SettingsError(
                        _(
                            "WERKPLEK_OIDC_ROLE_MAP maps %(group)r to the unknown role "
                            "%(role)r; roles: %(roles)s",
                            group=group,
                            role=role,
                            roles=", ".join(sorted(roles)),
                        )
                    )

    def with_changes(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """The settings the environment gives; a ``SettingsError`` for the first one that
        is missing or malformed.

        Its message is in the installation's language, ``WERKPLEK_LANGUAGE``, which is
        read first for that; when that variable is unset, or itself names a language
        without a catalogue (its own error), the message is in Dutch, the default.
        """
        env = dict(os.environ if env is None else env)
        with using_language(env.get("WERKPLEK_LANGUAGE") or DEFAULT_LANGUAGE):
            return cls._read_env(env)

    @classmethod
    def _read_env(cls, env: dict[str, str]) -> Settings:
        environment = env.get("WERKPLEK_ENV", "production")
        secret_key = env.get("WERKPLEK_SECRET_KEY", "")
        if not secret_key:
            if environment not in DEV_ENVIRONMENTS:
                raise SettingsError(
                    _(
                        "WERKPLEK_SECRET_KEY is required when WERKPLEK_ENV is %(environment)r "
                        "(set WERKPLEK_ENV=dev for local use)",
                        environment=environment,
                    )
                )
            secret_key = secrets.token_urlsafe(32)
        elif len(secret_key) < 32:
            raise SettingsError(_("WERKPLEK_SECRET_KEY must be at least 32 characters long"))
        defaults = cls()
        return cls(
            # An empty variable means "not set", as for the numbers below.
            database_url=_normalise_database_url(
                env.get("WERKPLEK_DATABASE_URL") or defaults.database_url
            ),
            database_pool_size=_int(
                env, "WERKPLEK_DATABASE_POOL_SIZE", defaults.database_pool_size, minimum=1
            ),
            database_max_overflow=_int(
                env, "WERKPLEK_DATABASE_MAX_OVERFLOW", defaults.database_max_overflow, minimum=0
            ),
            database_pool_timeout_seconds=_int(
                env,
                "WERKPLEK_DATABASE_POOL_TIMEOUT",
                defaults.database_pool_timeout_seconds,
                minimum=1,
            ),
            environment=environment,
            secret_key=secret_key,
            default_language=_language(env, defaults.default_language),
            secure_cookies=_bool(
                env, "WERKPLEK_SECURE_COOKIES", environment not in DEV_ENVIRONMENTS
            ),
            session_hours=_int(env, "WERKPLEK_SESSION_HOURS", defaults.session_hours),
            login_attempts_per_15_minutes=_int(
                env, "WERKPLEK_LOGIN_ATTEMPTS", defaults.login_attempts_per_15_minutes
            ),
            local_login=_bool(env, "WERKPLEK_LOCAL_LOGIN", defaults.local_login),
            oidc_discovery_url=env.get("WERKPLEK_OIDC_DISCOVERY_URL", "").strip(),
            oidc_client_id=env.get("WERKPLEK_OIDC_CLIENT_ID", "").strip(),
            oidc_client_secret=env.get("WERKPLEK_OIDC_CLIENT_SECRET", ""),
            oidc_scopes=" ".join(env.get("WERKPLEK_OIDC_SCOPES", "").split())
            or defaults.oidc_scopes,
            oidc_role_claim=env.get("WERKPLEK_OIDC_ROLE_CLAIM", "").strip()
            or defaults.oidc_role_claim,
            oidc_role_map=_role_map(env.get("WERKPLEK_OIDC_ROLE_MAP", "")),
            oidc_button_label=env.get("WERKPLEK_OIDC_BUTTON_LABEL", "").strip(),
            no_show_grace_minutes=_int(
                env, "WERKPLEK_NO_SHOW_GRACE_MINUTES", defaults.no_show_grace_minutes, minimum=0
            ),
            scheduler_enabled=_bool(env, "WERKPLEK_SCHEDULER", defaults.scheduler_enabled),
            scheduler_interval_seconds=_int(
                env, "WERKPLEK_SCHEDULER_INTERVAL", defaults.scheduler_interval_seconds
            ),
            retention_work_location_days=_int(
                env,
                "WERKPLEK_RETENTION_WORK_LOCATION_DAYS",
                defaults.retention_work_location_days,
                minimum=0,
            ),
            retention_callback_note_days=_int(
                env,
                "WERKPLEK_RETENTION_CALLBACK_NOTE_DAYS",
                defaults.retention_callback_note_days,
                minimum=0,
            ),
            retention_audit_days=_int(
                env, "WERKPLEK_RETENTION_AUDIT_DAYS", defaults.retention_audit_days, minimum=0
            ),
            retention_visit_address_days=_int(
                env,
                "WERKPLEK_RETENTION_VISIT_ADDRESS_DAYS",
                defaults.retention_visit_address_days,
                minimum=0,
            ),
            retention_visitor_days=_int(
                env, "WERKPLEK_RETENTION_VISITOR_DAYS", defaults.retention_visitor_days, minimum=0
            ),
            retention_roll_call_days=_int(
                env,
                "WERKPLEK_RETENTION_ROLL_CALL_DAYS",
                defaults.retention_roll_call_days,
                minimum=0,
            ),
            planning_horizon_days=_int(
                env, "WERKPLEK_PLANNING_HORIZON_DAYS", defaults.planning_horizon_days
            ),
            analytics_max_days=_int(
                env, "WERKPLEK_ANALYTICS_MAX_DAYS", defaults.analytics_max_days
            ),
            feed_days_back=_int(env, "WERKPLEK_FEED_DAYS_BACK", defaults.feed_days_back, minimum=0),
            feed_days_ahead=_int(env, "WERKPLEK_FEED_DAYS_AHEAD", defaults.feed_days_ahead),
            floor_plan_max_kb=_int(
                env,
                "WERKPLEK_FLOOR_PLAN_MAX_KB",
                defaults.floor_plan_max_kb,
                maximum=FLOOR_PLAN_CEILING_KB,
            ),
            public_url=env.get("WERKPLEK_PUBLIC_URL", defaults.public_url).strip().rstrip("/"),
            visit_grace_minutes=_int(
                env, "WERKPLEK_VISIT_GRACE_MINUTES", defaults.visit_grace_minutes, minimum=0
            ),
            visit_escalation_minutes=_int(
                env,
                "WERKPLEK_VISIT_ESCALATION_MINUTES",
                defaults.visit_escalation_minutes,
                minimum=0,
            ),
            visit_escalation_address=env.get(
                "WERKPLEK_VISIT_ESCALATION_ADDRESS", defaults.visit_escalation_address
            ).strip(),
            smtp_host=env.get("WERKPLEK_SMTP_HOST", defaults.smtp_host).strip(),
            smtp_port=_int(env, "WERKPLEK_SMTP_PORT", defaults.smtp_port),
            smtp_from=env.get("WERKPLEK_SMTP_FROM", defaults.smtp_from).strip(),
            smtp_username=env.get("WERKPLEK_SMTP_USERNAME", defaults.smtp_username),
            smtp_password=env.get("WERKPLEK_SMTP_PASSWORD", defaults.smtp_password),
            smtp_starttls=_bool(env, "WERKPLEK_SMTP_STARTTLS", defaults.smtp_starttls),
            mail_max_attempts=_int(env, "WERKPLEK_MAIL_MAX_ATTEMPTS", defaults.mail_max_attempts),
            no_show_warning_minutes=_int(
                env, "WERKPLEK_NO_SHOW_WARNING_MINUTES", defaults.no_show_warning_minutes, minimum=0
            ),
            webhook_max_attempts=_int(
                env, "WERKPLEK_WEBHOOK_MAX_ATTEMPTS", defaults.webhook_max_attempts
            ),
            webhook_timeout_seconds=_int(
                env, "WERKPLEK_WEBHOOK_TIMEOUT", defaults.webhook_timeout_seconds
            ),
            webhook_allow_internal=_bool(
                env, "WERKPLEK_WEBHOOK_ALLOW_INTERNAL", defaults.webhook_allow_internal
            ),
        )
