"""JSON API: the audit log, for administrators (GET /api/audit)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, get
from litestar.di import Provide
from litestar.params import QueryParameter

from werkplek.audit import services
from werkplek.audit.schemas import AuditFilter, AuditPage
from werkplek.people.models import Role
from werkplek.web import DbDep, UserDep, provide_user, role_required


class AuditController(Controller):
    path = "/api/audit"
    tags = ["audit"]
    guards = [role_required(Role.ADMIN)]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get(
        "/",
        summary="Audit events, newest first; filter by actor, object and date (admin)",
        description=(
            "`object_type` alone gives the events about every object of that kind; with "
            "`object_id` those about one of them (`object_id` without `object_type` is "
            "refused, 422 on `object_type`) and about what belongs to it: a `space`'s "
            "bookings, recurring bookings and closures; a `site`'s floors, floor plans, "
            "spaces and closures; a `floor`'s plan; a `person`'s work locations, the "
            "bookings held for them, the field visits they went on, callback notes for them "
            "or left by them (also those removed or purged) and the API tokens and calendar "
            "feeds they made."
        ),
    )
    async def list_events(
        self,
        db: DbDep,
        user: UserDep,
        actor_id: Annotated[
            int | None, QueryParameter(description="Only the events of this person's acts (id).")
        ] = None,
        object_type: Annotated[
            str | None,
            QueryParameter(
                max_length=40,
                description="Only the events about this kind of object, such as `booking`, "
                "`space` or `person` (at most 40 characters).",
            ),
        ] = None,
        object_id: Annotated[
            str | None,
            QueryParameter(
                max_length=40,
                description="With `object_type`: the events about this one object (its id, "
                "at most 40 characters) and what belongs to it. Without `object_type` 422.",
            ),
        ] = None,
        since: Annotated[
            date | None,
            QueryParameter(
                description="From this day on, YYYY-MM-DD, a local date in Europe/Amsterdam, "
                "in the years 2000 to 2099 (else 422 `date_out_of_range` on `since`).",
            ),
        ] = None,
        until: Annotated[
            date | None,
            QueryParameter(
                description="Up to and including this day, YYYY-MM-DD, a local date in "
                "Europe/Amsterdam, in the years 2000 to 2099 (else 422 `date_out_of_range` on "
                "`until`). Before `since`: 422 on `until`.",
            ),
        ] = None,
        limit: Annotated[
            int,
            QueryParameter(
                ge=1, le=500, description="At most this many events, 1 to 500, newest first."
            ),
        ] = 50,
        offset: Annotated[
            int, QueryParameter(ge=0, description="Skip this many events first, for paging.")
        ] = 0,
    ) -> AuditPage:
        filters = AuditFilter(
            actor_id=actor_id,
            object_type=object_type,
            object_id=object_id,
            since=since,
            until=until,
            limit=limit,
            offset=offset,
        )
        return await services.list_events(db, user, filters)


ROUTES = [AuditController]
