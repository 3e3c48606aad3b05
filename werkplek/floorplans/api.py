"""JSON API: /api/floors/{id}/plan (the plan, its image, the desks' state) and
/api/spaces/{id}/position."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, put
from litestar.di import Provide
from litestar.params import FromPath, JSONBody, QueryParameter

from werkplek.config import FLOOR_PLAN_CEILING_KB, Settings
from werkplek.errors import InvalidInput
from werkplek.floorplans import services
from werkplek.floorplans.images import too_large_text
from werkplek.floorplans.models import FloorPlan
from werkplek.floorplans.schemas import FloorPlanOut, PlanStateOut, PositionIn, PositionOut
from werkplek.i18n import _
from werkplek.people.models import Role
from werkplek.rooms.models import Amenity
from werkplek.rooms.services import DayPart
from werkplek.web import (
    ClockDep,
    DbDep,
    SettingsDep,
    UserDep,
    login_required,
    provide_user,
    read_uploaded_file,
    role_required,
)

MANAGE = [role_required(Role.FACILITIES)]
UPLOAD_CEILING = FLOOR_PLAN_CEILING_KB * 1024
"""Bodies above this are refused before they are read; the setting
``WERKPLEK_FLOOR_PLAN_MAX_KB`` sets the real limit below it."""
IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


async def read_plan_upload(request: Request[Any, Any, Any], settings: Settings) -> bytes:
    """The file from a multipart ``file`` field, or the raw request body."""
    payload = await read_uploaded_file(request, too_large_text(settings.floor_plan_max_kb))
    if payload is None:
        raise InvalidInput(_("Choose a PNG, JPEG or SVG file."), field="file")
    return payload


def image_response(request: Request[Any, Any, Any], plan: FloorPlan) -> Response[bytes]:
    """The plan's bytes with a strict CSP (an SVG opened on its own runs nothing either),
    ``nosniff`` and an ETag from its hash."""
    etag = f'"{plan.sha256}"'
    headers = {
        "ETag": etag,
        "Cache-Control": "private, max-age=0, must-revalidate",
        "Content-Security-Policy": IMAGE_CSP,
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": "inline",
    }
    if etag in request.headers.get("if-none-match", ""):
        return Response(b"", status_code=304, headers=headers)
    return Response(plan.data, media_type=plan.content_type, headers=headers)


class FloorPlansController(Controller):
    path = "/api/floors/{floor_id:int}/plan"
    tags = ["floor plans"]
    guards = [login_required]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get("/", summary="A floor's plan (size, hash, image address) and where its spaces are")
    async def get_plan(self, db: DbDep, floor_id: FromPath[int]) -> FloorPlanOut:
        return await services.plan_out(db, floor_id)

    @put(
        "/",
        summary="Upload a floor's plan (facilities)",
        description=(
            "Send a PNG, JPEG or SVG as the request body or as multipart field `file`. The "
            "type is read from the content. An SVG is rebuilt from an allow-list of drawing "
            "elements; one with scripts, `foreignObject`, event handlers, `javascript:` or "
            "external links is refused. A refused file leaves the old plan in place. The "
            "size limit is `WERKPLEK_FLOOR_PLAN_MAX_KB`."
        ),
        guards=MANAGE,
        request_max_body_size=UPLOAD_CEILING,
    )
    async def upload_plan(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        floor_id: FromPath[int],
    ) -> FloorPlanOut:
        payload = await read_plan_upload(request, settings)
        await services.upload_plan(db, clock, settings, user, floor_id, payload)
        return await services.plan_out(db, floor_id)

    @delete("/", summary="Remove a floor's plan (facilities); positions are kept", guards=MANAGE)
    async def delete_plan(
        self, db: DbDep, clock: ClockDep, user: UserDep, floor_id: FromPath[int]
    ) -> None:
        await services.delete_plan(db, clock, user, floor_id)

    @get(
        "/image",
        summary="The plan image itself (ETag; conditional requests answer 304)",
        media_type="application/octet-stream",
    )
    async def image(
        self, request: Request[Any, Any, Any], db: DbDep, floor_id: FromPath[int]
    ) -> Response[bytes]:
        return image_response(request, await services.get_plan(db, floor_id))

    @get(
        "/state",
        summary="Each desk and room on the floor with its state for me on a date and day part",
    )
    async def state(
        self,
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        floor_id: FromPath[int],
        on: Annotated[
            date,
            QueryParameter(
                name="date",
                description="The day, YYYY-MM-DD: a local date at the floor's site (in its "
                "time zone, Europe/Amsterdam unless set otherwise).",
            ),
        ],
        day_part: Annotated[
            DayPart,
            QueryParameter(description="The day part whose state is shown; default `day`."),
        ] = DayPart.DAY,
        amenity: Annotated[
            list[Amenity] | None,
            QueryParameter(
                description="Repeatable: sets each desk's `matches`, whether it has every "
                "amenity given. Every desk stays listed; rooms are not matched.",
            ),
        ] = None,
    ) -> PlanStateOut:
        """Every desk is listed; `amenity` (repeatable) sets each desk's `matches`: whether
        it has every amenity asked for."""
        state = await services.floor_state(db, clock, user, floor_id, on, day_part, amenity or ())
        return state.out


class PositionsController(Controller):
    path = "/api/spaces/{space_id:int}/position"
    tags = ["floor plans"]
    guards = MANAGE
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @put("/", summary="Place or move a space on its floor's plan (fractions 0–1; facilities)")
    async def place(
        self,
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        space_id: FromPath[int],
        data: JSONBody[PositionIn],
    ) -> PositionOut:
        return services.position_out(await services.set_position(db, clock, user, space_id, data))

    @delete("/", summary="Take a space off the plan (facilities)")
    async def remove(
        self, db: DbDep, clock: ClockDep, user: UserDep, space_id: FromPath[int]
    ) -> None:
        await services.clear_position(db, clock, user, space_id)


ROUTES = [FloorPlansController, PositionsController]
