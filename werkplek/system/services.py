"""The state of the installation for its administrators: the background jobs' last runs,
the database, and the settings in force (``WERKPLEK_*``, secrets only said to be set)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.clock import Clock, in_amsterdam
from werkplek.config import Settings
from werkplek.i18n import N_, _, ngettext
from werkplek.migrate import current_revisions
from werkplek.people.models import Role
from werkplek.people.services import CurrentUser
from werkplek.system.models import JobRun
from werkplek.system.schemas import JobStatusOut

#: A job whose last run began longer ago than this many scheduler intervals (and at least
#: ``LATE_AFTER_AT_LEAST``) is late: no instance runs the scheduler, or a run hangs.
LATE_AFTER_INTERVALS = 3
LATE_AFTER_AT_LEAST = timedelta(minutes=5)
ERROR_LENGTH = 500

#: What each job of ``werkplek.scheduler.JOBS`` does, as an administrator reads it, in the
#: scheduler's order (a test keeps the two alike).
JOB_LABELS = {
    "release_no_shows": N_("Release bookings nobody checked in to"),
    "expire_requests": N_("Lapse requests for approval not decided in time"),
    "desk_waitlist": N_("Book freed desks for people on the waitlist"),
    "overdue_field_visits": N_("Alert about field visits not checked out"),
    "presence_retention": N_("Remove old work locations and callback notes"),
    "no_show_warnings": N_("Warn people who have not checked in yet"),
    "callback_note_reminders": N_("Remind colleagues of callback requests still open"),
    "mail_outbox": N_("Send mail from the outbox"),
    "webhook_deliveries": N_("Deliver webhook events"),
    "privacy_retention": N_("Remove old audit events and visit addresses"),
}


def describe_failure(error: BaseException) -> str:
    """A failed job's error for the administrator: its type and message, without the SQL
    and parameters a database error carries (they may hold personal data)."""
    cause = error.orig if isinstance(error, StatementError) and error.orig else error
    text = f"{type(cause).__name__}: {cause}".strip()
    return text if len(text) <= ERROR_LENGTH else text[: ERROR_LENGTH - 1] + "…"


async def record_job_run(
    session: AsyncSession,
    job: str,
    started_at: datetime,
    finished_at: datetime,
    error: BaseException | None = None,
) -> None:
    """Note a run of ``job`` that ended at ``finished_at``, failed with ``error`` if given.
    The scheduler calls it while it holds the job's lock, so one instance writes at a time;
    the caller commits."""
    run = await session.get(JobRun, job)
    if run is None:
        run = JobRun(job=job, failures_in_a_row=0)
        session.add(run)
    run.started_at, run.finished_at = started_at, finished_at
    if error is None:
        run.succeeded_at, run.failures_in_a_row = finished_at, 0
    else:
        run.failed_at, run.error = finished_at, describe_failure(error)
        run.failures_in_a_row += 1


@dataclass(frozen=True)
class JobStatus:
    job: str
    label: str
    last_run: JobRun | None
    #: The last run began too long ago, or there was none: the jobs may not be running.
    late: bool

    @property
    def failing(self) -> bool:
        return self.last_run is not None and self.last_run.failures_in_a_row > 0

    @property
    def needs_attention(self) -> bool:
        return self.late or self.failing

    def out(self) -> JobStatusOut:
        run = self.last_run
        return JobStatusOut(
            job=self.job,
            description=self.label,
            last_started=in_amsterdam(run.started_at) if run else None,
            last_finished=in_amsterdam(run.finished_at) if run else None,
            last_succeeded=in_amsterdam(run.succeeded_at) if run else None,
            last_failed=in_amsterdam(run.failed_at) if run else None,
            last_error=run.error if run else None,
            failures_in_a_row=run.failures_in_a_row if run else 0,
            late=self.late,
        )


def late_before(clock: Clock, settings: Settings) -> datetime:
    """A job whose last run began before this instant is late."""
    allowed = timedelta(seconds=LATE_AFTER_INTERVALS * max(1, settings.scheduler_interval_seconds))
    return clock.now() - max(allowed, LATE_AFTER_AT_LEAST)


async def job_statuses(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    actor: CurrentUser,
) -> list[JobStatus]:
    """The last run of each of the scheduler's jobs, in its order, for administrators."""
    actor.require(Role.ADMIN)
    runs = {run.job: run for run in (await session.scalars(select(JobRun))).all()}
    cutoff = late_before(clock, settings)
    return [
        JobStatus(
            job=job,
            label=_(label),
            last_run=runs.get(job),
            late=job not in runs or runs[job].started_at < cutoff,
        )
        for job, label in JOB_LABELS.items()
    ]


async def home_jobs(
    session: AsyncSession, clock: Clock, settings: Settings, user: CurrentUser
) -> dict[str, Any]:
    """The home page block of administrators: the jobs that are late or failing."""
    if not user.has_role(Role.ADMIN):
        return {"jobs_troubled": []}
    statuses = await job_statuses(session, clock, settings, user)
    return {"jobs_troubled": [status for status in statuses if status.needs_attention]}


@dataclass(frozen=True)
class DatabaseInfo:
    kind: str  # SQLite | PostgreSQL
    server_version: str
    revisions: list[str]


async def database_info(session: AsyncSession) -> DatabaseInfo:
    """Which database the installation runs on, and the migration it is at."""
    connection = await session.connection()
    dialect = connection.dialect
    version = ".".join(str(part) for part in dialect.server_version_info or ())
    kind = "PostgreSQL" if dialect.name == "postgresql" else "SQLite"
    return DatabaseInfo(kind, version, sorted(await current_revisions(connection.engine)))


@dataclass(frozen=True)
class SettingLine:
    """One setting as in force, with the environment variable that sets it."""

    label: str
    value: str
    variable: str


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _minutes(value: int) -> str:
    return ngettext("%(count)s minute", "%(count)s minutes", value)


def _days(value: int) -> str:
    return ngettext("%(count)s day", "%(count)s days", value)


def _is_set(value: str) -> str:
    return _("set") if value else _("not set")


def _or_none(value: str) -> str:
    return value or _("not set")


#: (label, variable, how to show the value): the settings an administrator asks about.
_SETTINGS: list[tuple[str, str, Callable[[Settings], str]]] = [
    (N_("Address of the app"), "WERKPLEK_PUBLIC_URL", lambda s: _or_none(s.public_url)),
    (N_("Default language"), "WERKPLEK_LANGUAGE", lambda s: s.default_language),
    (N_("Log in with password"), "WERKPLEK_LOCAL_LOGIN", lambda s: _yes_no(s.local_login)),
    (
        N_("Single sign-on (OpenID Connect)"),
        "WERKPLEK_OIDC_DISCOVERY_URL",
        lambda s: _or_none(s.oidc_discovery_url),
    ),
    (
        N_("Session length"),
        "WERKPLEK_SESSION_HOURS",
        lambda s: ngettext("%(count)s hour", "%(count)s hours", s.session_hours),
    ),
    (
        N_("Work locations and field visits can be planned ahead"),
        "WERKPLEK_PLANNING_HORIZON_DAYS",
        lambda s: _days(s.planning_horizon_days),
    ),
    (
        N_("Booking released without check-in after"),
        "WERKPLEK_NO_SHOW_GRACE_MINUTES",
        lambda s: _minutes(s.no_show_grace_minutes),
    ),
    (
        N_("Reminder to check in before release"),
        "WERKPLEK_NO_SHOW_WARNING_MINUTES",
        lambda s: _minutes(s.no_show_warning_minutes),
    ),
    (
        N_("Field visit overdue after its planned end plus"),
        "WERKPLEK_VISIT_GRACE_MINUTES",
        lambda s: _minutes(s.visit_grace_minutes),
    ),
    (
        N_("Overdue field visit escalated after"),
        "WERKPLEK_VISIT_ESCALATION_MINUTES",
        lambda s: _minutes(s.visit_escalation_minutes),
    ),
    (
        N_("Escalation address for overdue field visits"),
        "WERKPLEK_VISIT_ESCALATION_ADDRESS",
        lambda s: _or_none(s.visit_escalation_address),
    ),
    (
        N_("Mail server"),
        "WERKPLEK_SMTP_HOST",
        lambda s: (
            f"{s.smtp_host}:{s.smtp_port}"
            if s.smtp_host
            else _("not set: mail is written to the log, not sent")
        ),
    ),
    (N_("Mail sender"), "WERKPLEK_SMTP_FROM", lambda s: s.smtp_from),
    (N_("Mail server password"), "WERKPLEK_SMTP_PASSWORD", lambda s: _is_set(s.smtp_password)),
    (
        N_("Work locations kept for"),
        "WERKPLEK_RETENTION_WORK_LOCATION_DAYS",
        lambda s: _days(s.retention_work_location_days),
    ),
    (
        N_("Callback notes kept for"),
        "WERKPLEK_RETENTION_CALLBACK_NOTE_DAYS",
        lambda s: _days(s.retention_callback_note_days),
    ),
    (
        N_("Field visit addresses kept for"),
        "WERKPLEK_RETENTION_VISIT_ADDRESS_DAYS",
        lambda s: _days(s.retention_visit_address_days),
    ),
    (
        N_("Expected visitors kept for"),
        "WERKPLEK_RETENTION_VISITOR_DAYS",
        lambda s: _days(s.retention_visitor_days),
    ),
    (
        N_("Emergency roll calls kept for"),
        "WERKPLEK_RETENTION_ROLL_CALL_DAYS",
        lambda s: _days(s.retention_roll_call_days),
    ),
    (
        N_("Audit events kept for"),
        "WERKPLEK_RETENTION_AUDIT_DAYS",
        lambda s: _days(s.retention_audit_days),
    ),
    (
        N_("Calendar feeds show"),
        "WERKPLEK_FEED_DAYS_BACK, WERKPLEK_FEED_DAYS_AHEAD",
        lambda s: _(
            "%(back)s back, %(ahead)s ahead",
            back=_days(s.feed_days_back),
            ahead=_days(s.feed_days_ahead),
        ),
    ),
    (
        N_("Background jobs on this instance"),
        "WERKPLEK_SCHEDULER",
        lambda s: (
            _("every %(interval)s", interval=_seconds(s.scheduler_interval_seconds))
            if s.scheduler_enabled
            else _("off")
        ),
    ),
]


def _seconds(value: int) -> str:
    return ngettext("%(count)s second", "%(count)s seconds", value)


def settings_in_force(settings: Settings, actor: CurrentUser) -> list[SettingLine]:
    """The settings of this instance as an administrator needs to know them; passwords
    and secrets only as set or not."""
    actor.require(Role.ADMIN)
    return [SettingLine(_(label), show(settings), variable) for label, variable, show in _SETTINGS]
