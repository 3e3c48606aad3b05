"""JSON API: the background jobs' last runs, for administrators and their monitoring."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import Provide

from werkplek.people.models import Role
from werkplek.system import services
from werkplek.system.schemas import JobStatusOut
from werkplek.web import ClockDep, DbDep, SettingsDep, UserDep, provide_user, role_required


class SystemController(Controller):
    path = "/api/system"
    tags = ["system"]
    guards = [role_required(Role.ADMIN)]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get(
        "/jobs",
        summary="The background jobs and their last runs (admin)",
        description=(
            "Each job the scheduler runs (releasing no-shows, sending mail, alerting about "
            "overdue field visits, …), in the order it runs them, with its last run "
            "whichever instance ran it: when it started and finished, when it last "
            "succeeded and failed, the last error and how many runs failed in a row. `late` "
            "is true when no run began within three scheduler intervals (at least five "
            "minutes) or none did yet: no instance runs the jobs (`WERKPLEK_SCHEDULER`), or "
            "a run hangs. For monitoring: alert on `late` or `failures_in_a_row` above 0."
        ),
    )
    async def jobs(
        self, db: DbDep, clock: ClockDep, settings: SettingsDep, user: UserDep
    ) -> list[JobStatusOut]:
        statuses = await services.job_statuses(db, clock, settings, user)
        return [status.out() for status in statuses]


ROUTES = [SystemController]
