"""Pages: the floor plan for employees (/plan, its live layer, the desk and room panels,
the list view) and the plan editor for facilities (/admin/floors/{id}/plan)."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.di import Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.bookings import favourites
from werkplek.bookings import services as bookings
from werkplek.bookings.availability import page_day
from werkplek.bookings.schemas import BookingIn
from werkplek.bookings.views import favourite_changed
from werkplek.clock import AMSTERDAM, Clock, local_today
from werkplek.errors import DomainError
from werkplek.floorplans import services
from werkplek.floorplans.api import UPLOAD_CEILING, read_plan_upload
from werkplek.floorplans.images import FORMAT_NAMES
from werkplek.floorplans.schemas import PositionIn
from werkplek.i18n import N_, _, current_language, format_number
from werkplek.people.models import Role
from werkplek.people.services import CurrentUser
from werkplek.rooms.models import Amenity
from werkplek.rooms.services import (
    DayPart,
    amenities_named,
    day_part_or_none,
    get_floor,
    get_site,
)
from werkplek.web import (
    ClockDep,
    DbDep,
    FormInvalid,
    SettingsDep,
    UserDep,
    convert_form,
    date_or,
    int_or_none,
    is_htmx,
    login_required,
    page,
    provide_user,
    read_form,
    read_query,
    role_required,
)

POLL_SECONDS = 15
STATE_TEXT = {
    "free": N_("Free"),
    "mine": N_("Yours"),
    "taken": N_("Taken"),
    "blocked": N_("Not bookable"),
    "restricted": N_("For other teams"),
}
ROOM_STATE_TEXT = {
    "free": N_("Free"),
    "busy": N_("Busy"),
    "mine": N_("Yours"),
    "restricted": N_("For other teams"),
    "blocked": N_("Not bookable"),
}
STATUS_TEXT = {
    "free": N_("Free"),
    "yours": N_("Yours"),
    "taken": N_("Taken"),
    "full": N_("Capacity cap reached"),
    "closed": N_("Closed"),
    "restricted": N_("For other teams"),
    "past": N_("Over"),
}


def _part_or_day(value: Any) -> DayPart:
    return day_part_or_none(value) or DayPart.DAY


def plan_query(floor_id: int, day: date, part: DayPart, **extra: Any) -> str:
    """The query of a plan page; ``extra`` carries the filters (a list repeats its key)."""
    values: dict[str, Any] = {"floor": floor_id, "date": day.isoformat(), "day_part": part.value}
    values.update({k: v for k, v in extra.items() if v not in (None, "", [])})
    return urlencode(values, doseq=True)


def _render(request: Request[Any, Any, Any], template: str, **context: Any) -> Template:
    return page(
        request,
        template,
        state_text=STATE_TEXT,
        room_state_text=ROOM_STATE_TEXT,
        status_text=STATUS_TEXT,
        room_label=services.room_label,
        room_status_text=services.room_status_text,
        room_booking_url=services.room_booking_url,
        plan_query=plan_query,
        poll_seconds=POLL_SECONDS,
        **context,
    )


async def _booked_message(db: AsyncSession, user: CurrentUser, booked: Any) -> str | None:
    """The "Booked: desk" line after a booking without script (the id is checked as usual)."""
    booking_id = int_or_none(booked)
    if booking_id is None:
        return None
    try:
        booking = await bookings.get_booking(db, user, booking_id)
    except DomainError:
        return None
    out = (await bookings.bookings_out(db, [booking]))[0]
    return bookings.booked_message(out)


def _desk_of(context: dict[str, Any], space_id: int | None) -> Any:
    state = context["state"]
    desks = state.out.desks if state is not None else []
    return next((desk for desk in desks if desk.space_id == space_id), None)


def _desk_panel(
    request: Request[Any, Any, Any],
    context: dict[str, Any],
    space_id: int | None,
    *,
    template: str = "floorplans/_desk_panel.html",
    status_code: int = 200,
    message: str | None = None,
    error: str | None = None,
) -> Template:
    """One desk of the plan: its state, whether it is one of the user's favourites, and a
    line on what was just done (or went wrong)."""
    desk = _desk_of(context, space_id)
    return _render(
        request,
        template,
        status_code=status_code,
        desk=desk,
        favourite=desk is not None and desk.space_id in context["favourite_ids"],
        message=message,
        error=error,
        **context,
    )


def _room_of(context: dict[str, Any], space_id: int) -> Any:
    state = context["state"]
    rooms = state.out.rooms if state is not None else []
    return next((room for room in rooms if room.space_id == space_id), None)


class FloorPlanPages(Controller):
    tags = ["pages"]
    include_in_schema = False
    guards = [login_required]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    async def _context(
        self,
        db: AsyncSession,
        clock: Clock,
        user: CurrentUser,
        values: dict[str, Any],
    ) -> dict[str, Any]:
        choice = await services.choose_floor(
            db, int_or_none(values.get("site")), int_or_none(values.get("floor")), user.id
        )
        floor = choice.floor
        today = local_today(clock)
        site_id = choice.site.id if choice.site else None
        day = await page_day(db, clock, date_or(values.get("date"), None), site_id)
        chosen = day_part_or_none(values.get("day_part"))
        part = chosen or DayPart.DAY
        find = str(values.get("find") or "").strip()[:80]
        amenities = amenities_named(values.get("amenity"))
        state = None
        if floor is not None:
            state = await services.floor_state(db, clock, user, floor.id, day, chosen, amenities)
            part = state.out.day_part
        found = await services.find_colleague_desks(db, user, find, day, part) if find else None
        found_ids = {c.space_id for c in found or [] if c.space_id is not None}
        favourite_ids = await favourites.favourite_desk_ids(db, user.id)
        etag = None
        if state is not None:
            marks = ",".join(str(i) for i in sorted(found_ids))
            kept = ",".join(str(i) for i in sorted(favourite_ids))
            etag = f'"{state.out.etag}-{current_language()}-{marks}-{kept}"'
        return {
            "etag": etag,
            "sites": choice.sites,
            "site": choice.site,
            "floors": choice.floors,
            "floor": floor,
            "planned": choice.planned,
            "day": day,
            "today": today,
            "day_part": part,
            "day_parts": list(DayPart),
            "state": state,
            "find": find,
            "amenities": list(Amenity),
            "chosen_amenities": [amenity.value for amenity in amenities],
            "filters": {"find": find, "amenity": [amenity.value for amenity in amenities]},
            "found": found,
            "found_ids": found_ids,
            "favourite_ids": favourite_ids,
        }

    @get("/plan")
    async def plan_page(
        self, request: Request[Any, Any, Any], db: DbDep, clock: ClockDep, user: UserDep
    ) -> Template:
        context = await self._context(db, clock, user, read_query(request, ("amenity",)))
        return _render(
            request,
            "floorplans/plan.html",
            message=await _booked_message(db, user, request.query_params.get("booked")),
            **context,
        )

    @get("/plan/live")
    async def live(
        self, request: Request[Any, Any, Any], db: DbDep, clock: ClockDep, user: UserDep
    ) -> Template | Response[bytes]:
        """The plan's live layer, polled by the page; 304 when nothing changed."""
        context = await self._context(db, clock, user, read_query(request, ("amenity",)))
        etag = context["etag"]
        headers = {"ETag": etag, "Cache-Control": "private, no-cache"} if etag else {}
        if etag and etag in request.headers.get("if-none-match", ""):
            return Response(b"", status_code=304, headers=headers)
        response = _render(request, "floorplans/_live.html", **context)
        response.headers.update(headers)
        return response

    @get("/plan/list")
    async def list_page(
        self, request: Request[Any, Any, Any], db: DbDep, clock: ClockDep, user: UserDep
    ) -> Template:
        context = await self._context(db, clock, user, read_query(request, ("amenity",)))
        message = await _booked_message(db, user, request.query_params.get("booked"))
        return _render(request, "floorplans/list.html", message=message, error=None, **context)

    @get("/plan/desks/{space_id:int}")
    async def desk_panel(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        space_id: FromPath[int],
    ) -> Template:
        context = await self._context(db, clock, user, read_query(request, ("amenity",)))
        template = "floorplans/_desk_panel.html" if is_htmx(request) else "floorplans/desk.html"
        return _desk_panel(request, context, space_id, template=template)

    @get("/plan/rooms/{space_id:int}")
    async def room_panel(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        space_id: FromPath[int],
    ) -> Template:
        """One room: its state, capacity, amenities and free times in the day part, and
        the way to the room booking page (rooms are booked there, by time)."""
        context = await self._context(db, clock, user, read_query(request, ("amenity",)))
        room = _room_of(context, space_id)
        template = "floorplans/_room_panel.html" if is_htmx(request) else "floorplans/room.html"
        return _render(request, template, room=room, **context)

    @post("/plan/book")
    async def book(
        self, request: Request[Any, Any, Any], db: DbDep, clock: ClockDep, user: UserDep
    ) -> Template | Redirect:
        """Book a desk from the plan or the list, through the bookings' own rules."""
        form = await read_form(request, ("amenity",))
        htmx = is_htmx(request)
        space_id = int_or_none(form.get("space_id"))
        try:
            data = convert_form(
                {
                    "space_id": form.get("space_id"),
                    "date": form.get("date"),
                    "day_part": form.get("day_part"),
                },
                BookingIn,
            )
            result = await bookings.create_booking(db, clock, user, data)
        except (DomainError, FormInvalid) as exc:
            await db.rollback()
            error = exc.message if isinstance(exc, DomainError) else _("Choose a desk.")
            status = exc.status_code if isinstance(exc, DomainError) else 422
            context = await self._context(db, clock, user, form)
            template = (
                "floorplans/_desk_panel.html"
                if htmx
                else (
                    "floorplans/list.html" if form.get("from") == "list" else "floorplans/desk.html"
                )
            )
            return _desk_panel(
                request,
                context,
                space_id,
                template=template,
                status_code=status,
                error=error,
            )
        outs = await bookings.bookings_out(db, result.created)
        booked = outs[0]
        if not htmx:
            target = "/plan/list" if form.get("from") == "list" else "/plan"
            floor_id = int_or_none(form.get("floor")) or 0
            query = plan_query(
                floor_id, booked.date, _part_or_day(form.get("day_part")), amenity=form["amenity"]
            )
            return Redirect(path=f"{target}?{query}&booked={booked.id}")
        await db.commit()
        context = await self._context(db, clock, user, form)
        response = _desk_panel(request, context, space_id, message=bookings.booked_message(booked))
        response.headers["HX-Trigger"] = "plan-changed"
        return response

    @post("/plan/favourite")
    async def keep_favourite(
        self, request: Request[Any, Any, Any], db: DbDep, clock: ClockDep, user: UserDep
    ) -> Template | Redirect:
        """Keep the panel's desk as a favourite, or no longer (``favourite_changed``)."""
        form = await read_form(request, ("amenity",))
        htmx = is_htmx(request)
        space_id = int_or_none(form.get("add_favourite") or form.get("remove_favourite"))
        try:
            message = await favourite_changed(db, clock, user, form)
        except DomainError as exc:
            await db.rollback()
            context = await self._context(db, clock, user, form)
            template = "floorplans/_desk_panel.html" if htmx else "floorplans/desk.html"
            return _desk_panel(
                request,
                context,
                space_id,
                template=template,
                status_code=exc.status_code,
                error=exc.message,
            )
        if not htmx:
            floor_id = int_or_none(form.get("floor")) or 0
            day = date_or(form.get("date"), None) or local_today(clock)
            query = plan_query(
                floor_id, day, _part_or_day(form.get("day_part")), amenity=form["amenity"]
            )
            return Redirect(path=f"/plan/desks/{space_id}?{query}")
        await db.commit()
        context = await self._context(db, clock, user, form)
        response = _desk_panel(request, context, space_id, message=message)
        response.headers["HX-Trigger"] = "plan-changed"  # the live layer redraws the star
        return response


# --- the editor (facilities) --------------------------------------------------------------


class FloorPlanEditor(Controller):
    path = "/admin/floors/{floor_id:int}/plan"
    tags = ["pages"]
    include_in_schema = False
    guards = [role_required(Role.FACILITIES)]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    async def _editor(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        floor_id: int,
        *,
        template: str = "floorplans/editor.html",
        status_code: int = 200,
        message: str | None = None,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
    ) -> Template:
        floor = await get_floor(db, floor_id)
        site = await get_site(db, floor.site_id)
        plan = await services.plan_out(db, floor_id)
        return page(
            request,
            template,
            status_code=status_code,
            floor=floor,
            site=site,
            plan=plan,
            placed=[s for s in plan.spaces if s.x is not None and s.y is not None],
            uploaded_at=(
                plan.uploaded_at.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")
                if plan.uploaded_at
                else ""
            ),
            plan_format=FORMAT_NAMES.get(plan.content_type or "", ""),
            plan_kb=format_number((plan.size_bytes or 0) / 1024),
            message=message,
            errors=errors or {},
            values=values or {},
        )

    @get("/")
    async def editor(
        self, request: Request[Any, Any, Any], db: DbDep, floor_id: FromPath[int]
    ) -> Template:
        message = _("Saved.") if request.query_params.get("saved") else None
        return await self._editor(request, db, floor_id, message=message)

    @get("/markers")
    async def markers(
        self, request: Request[Any, Any, Any], db: DbDep, floor_id: FromPath[int]
    ) -> Template:
        """The editor's plan with its markers, reloaded by the script after each change."""
        return await self._editor(request, db, floor_id, template="floorplans/_editor_plan.html")

    @post("/", request_max_body_size=UPLOAD_CEILING)
    async def upload(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        floor_id: FromPath[int],
    ) -> Template | Redirect:
        try:
            payload = await read_plan_upload(request, settings)
            await services.upload_plan(db, clock, settings, user, floor_id, payload)
        except DomainError as exc:
            await db.rollback()
            return await self._editor(
                request,
                db,
                floor_id,
                status_code=exc.status_code,
                errors={exc.field or "file": exc.message},
            )
        return Redirect(path=f"/admin/floors/{floor_id}/plan?saved=1")

    @post("/delete")
    async def delete(
        self, db: DbDep, clock: ClockDep, user: UserDep, floor_id: FromPath[int]
    ) -> Redirect:
        await services.delete_plan(db, clock, user, floor_id)
        return Redirect(path=f"/admin/floors/{floor_id}/plan?saved=1")

    @post("/positions")
    async def position(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        floor_id: FromPath[int],
    ) -> Template | Redirect:
        """The keyboard and no-script way to place: x and y in percent, or remove."""
        form = await read_form(request)
        space_id = int_or_none(form.get("space_id"))
        try:
            spaces = await services.spaces_on_floor(db, floor_id)
            if space_id is None or space_id not in {space.id for space in spaces}:
                raise FormInvalid({"space_id": _("This space is not on this floor.")})
            if form.get("action") == "remove":
                await services.clear_position(db, clock, user, space_id)
            else:
                raw = {}
                for name in ("x", "y"):
                    try:
                        raw[name] = float(str(form.get(name) or "").replace(",", ".")) / 100
                    except ValueError:
                        raise FormInvalid({name: _("Give a percentage from 0 to 100.")}) from None
                data = convert_form(raw, PositionIn)
                await services.set_position(db, clock, user, space_id, data)
        except (DomainError, FormInvalid) as exc:
            await db.rollback()
            errors = (
                exc.errors if isinstance(exc, FormInvalid) else {exc.field or "form": exc.message}
            )
            if set(errors) & {"x", "y"} and "space_id" not in errors:
                errors = {"position": _("Give a percentage from 0 to 100.")}
            return await self._editor(
                request,
                db,
                floor_id,
                status_code=exc.status_code if isinstance(exc, DomainError) else 422,
                errors={f"{space_id}-{k}": v for k, v in errors.items()},
                values={"space_id": space_id, "x": form.get("x"), "y": form.get("y")},
            )
        return Redirect(path=f"/admin/floors/{floor_id}/plan?saved=1#space-{space_id}")


ROUTES = [FloorPlanPages, FloorPlanEditor]
