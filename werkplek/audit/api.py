"""JSON API: the audit log, for administrators (GET /api/audit)."""

from __future__ import annotations

from datetime import date

from litestar import Controller, get
from litestar.di import Provide
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.audit import services
from werkplek.audit.schemas import AuditFilter, AuditPage
from werkplek.people.models import Role
from werkplek.people.services import CurrentUser
from werkplek.web import provide_user, role_required


class AuditController(Controller):
    path = "/api/audit"
    tags = ["audit"]
    guards = [role_required(Role.ADMIN)]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get("/", summary="Audit events, newest first; filter by actor, object and date (admin)")
    async def list_events(
        self,
        db: AsyncSession,
        user: CurrentUser,
        actor_id: int | None = None,
        object_type: str | None = Parameter(default=None, max_length=40),
        object_id: str | None = Parameter(default=None, max_length=40),
        since: date | None = None,
        until: date | None = None,
        limit: int = Parameter(default=50, ge=1, le=500),
        offset: int = Parameter(default=0, ge=0),
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
