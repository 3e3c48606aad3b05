"""JSON API for operations: the health check for load balancers, and the background jobs'
last runs for administrators and their monitoring."""

from __future__ import annotations

import logging

from litestar import Controller, MediaType, Response, get
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi.datastructures import ResponseSpec
from sqlalchemy import text
from sqlalchemy.exc import TimeoutError as PoolTimeout

from werkplek.people.models import Role
from werkplek.system import services
from werkplek.system.schemas import HealthOut, JobStatusOut
from werkplek.web import ClockDep, DbDep, SettingsDep, UserDep, provide_user, role_required

logger = logging.getLogger("werkplek.health")


@get(
    "/health",
    tags=["system"],
    summary="Liveness and database check",
    opt={"public": True},
    responses={
        503: ResponseSpec(
            HealthOut,
            description="The database cannot be reached (`unavailable`); retry after the "
            "`Retry-After` seconds.",
            generate_examples=False,
        )
    },
)
async def health(state: State) -> Response[HealthOut]:
    """200 while the database answers; also while every pooled connection is in use (the
    instance is busy, not broken: a load balancer should not take it out). 503 when the
    database cannot be reached; what went wrong goes to the log, not to the caller."""
    try:
        async with state.sessionmaker() as session:
            await session.execute(text("SELECT 1"))
    except PoolTimeout:
        return Response(HealthOut("ok", "busy"), status_code=200, media_type=MediaType.JSON)
    except Exception:  # any other failure to reach the database is a 503
        logger.exception("health check: the database does not answer")
        return Response(
            HealthOut("unavailable", "unavailable"),
            status_code=503,
            media_type=MediaType.JSON,
            headers={"Retry-After": "5"},
        )
    return Response(HealthOut("ok", "ok"), media_type=MediaType.JSON)


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


ROUTES = [health, SystemController]
