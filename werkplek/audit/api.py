"""JSON API: the audit log, for administrators (GET /api/audit)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, get
from litestar.di import Provide
from litestar.params import FromQuery, QueryParameter

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
        actor_id: FromQuery[int | None] = None,
        object_type: Annotated[str | None, QueryParameter(max_length=40)] = None,
        object_id: Annotated[str | None, QueryParameter(max_length=40)] = None,
        since: FromQuery[date | None] = None,
        until: FromQuery[date | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
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
