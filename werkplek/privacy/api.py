"""JSON API: a person's data export (/api/me/export) and erasure by an admin."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, delete, get
from litestar.di import Provide
from litestar.params import FromPath

from werkplek.openapi import conflict
from werkplek.people.models import Role
from werkplek.privacy import services
from werkplek.privacy.schemas import ErasureOut
from werkplek.web import ClockDep, DbDep, UserDep, login_required, provide_user, role_required


def _download(data: dict[str, Any], person_id: int) -> Response[dict[str, Any]]:
    return Response(
        data,
        headers={
            "content-disposition": f'attachment; filename="werkplek-data-{person_id}.json"',
            "cache-control": "no-store",
        },
    )


class ExportController(Controller):
    path = "/api/me/export"
    tags = ["privacy"]
    guards = [login_required]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get(
        "/",
        summary="All data Werkplek holds about me, including who viewed my field-visit addresses",
    )
    async def export_me(
        self, db: DbDep, clock: ClockDep, user: UserDep
    ) -> Response[dict[str, Any]]:
        return _download(await services.export_person(db, clock, user, user.id), user.id)


class PersonDataController(Controller):
    path = "/api/privacy/people"
    tags = ["privacy"]
    guards = [role_required(Role.ADMIN)]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get("/{person_id:int}/export", summary="All data about a person (admin, for a request)")
    async def export_person(
        self, db: DbDep, clock: ClockDep, user: UserDep, person_id: FromPath[int]
    ) -> Response[dict[str, Any]]:
        return _download(await services.export_person(db, clock, user, person_id), person_id)

    @delete(
        "/{person_id:int}",
        summary="Delete a person: personal data removed, bookings kept anonymously (admin)",
        status_code=200,
        responses=conflict(
            "Administrators cannot delete themselves, or erasure does not yet cover a column "
            "that holds personal data (`conflict`)."
        ),
    )
    async def erase_person(
        self, db: DbDep, clock: ClockDep, user: UserDep, person_id: FromPath[int]
    ) -> ErasureOut:
        rows = await services.erase_person(db, clock, user, person_id)
        return ErasureOut(person_id=person_id, rows=rows)


ROUTES = [ExportController, PersonDataController]
