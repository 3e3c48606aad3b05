"""Pages: a booking's expected visitors (/bookings/{id}/visitors, whoever may change it)
and reception's list of the day (/visitors/today, reception and facilities)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.bookings import services as bookings
from werkplek.clock import Clock, local_today
from werkplek.config import Settings
from werkplek.errors import DomainError
from werkplek.i18n import _
from werkplek.people.services import CurrentUser
from werkplek.presence.services import site_of_today
from werkplek.rooms.services import list_sites, main_site
from werkplek.visitors import services
from werkplek.visitors.schemas import ExpectedVisitorOut, VisitorIn, VisitorsDayFilter
from werkplek.web import (
    ClockDep,
    DbDep,
    FormInvalid,
    SettingsDep,
    UserDep,
    convert_form,
    is_htmx,
    login_required,
    page,
    provide_user,
    read_form,
    read_query,
    refusal,
    role_required,
)


def reception_query(row: ExpectedVisitorOut) -> dict[str, Any]:
    """The query of reception's list of the site and day a visitor is expected on."""
    return {"site": str(row.site_id), "date": row.local_start.date().isoformat()}


class BookingVisitorPages(Controller):
    path = "/bookings/{booking_id:int}/visitors"
    tags = ["pages"]
    include_in_schema = False
    guards = [login_required]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    async def _page(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        clock: Clock,
        settings: Settings,
        user: CurrentUser,
        booking_id: int,
        *,
        status_code: int = 200,
        message: str | None = None,
        error: str | None = None,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
    ) -> Template:
        booking = await bookings.get_booking(db, user, booking_id)
        (shown,) = await bookings.bookings_out(db, [booking])
        return page(
            request,
            "visitors/booking_visitors.html",
            status_code=status_code,
            booking=shown,
            visitors=await services.list_visitors(db, user, booking_id),
            closed=services.closed_to_visitors(booking, clock.now()),
            retention_days=settings.retention_visitor_days,
            message=message,
            error=error,
            errors=errors or {},
            values=values or {},
        )

    @get("/")
    async def visitors(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        booking_id: FromPath[int],
    ) -> Template:
        done = {"added": _("Visitor added."), "removed": _("Visitor removed.")}
        message = done.get(request.query_params.get("done", ""))
        return await self._page(request, db, clock, settings, user, booking_id, message=message)

    @post("/")
    async def add(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        booking_id: FromPath[int],
    ) -> Template | Redirect:
        form = await read_form(request)
        try:
            data = convert_form(
                {"name": form.get("name", ""), "organisation": form.get("organisation", "")},
                VisitorIn,
            )
            await services.add_visitor(db, clock, user, booking_id, data)
        except (FormInvalid, DomainError) as exc:
            errors, status_code = await refusal(db, exc)
            return await self._page(
                request,
                db,
                clock,
                settings,
                user,
                booking_id,
                status_code=status_code,
                error=errors.get("booking") or _("Please correct the marked fields."),
                errors=errors,
                values=form,
            )
        await db.commit()
        return Redirect(path=f"/bookings/{booking_id}/visitors?done=added")

    @post("/{visitor_id:int}/remove")
    async def remove(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        booking_id: FromPath[int],
        visitor_id: FromPath[int],
    ) -> Template | Redirect:
        try:
            await services.remove_visitor(db, clock, user, booking_id, visitor_id)
        except DomainError as exc:
            if exc.status_code == 404:
                raise
            await db.rollback()
            return await self._page(
                request,
                db,
                clock,
                settings,
                user,
                booking_id,
                status_code=exc.status_code,
                error=exc.message,
            )
        await db.commit()
        return Redirect(path=f"/bookings/{booking_id}/visitors?done=removed")


async def _reception_page(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    clock: Clock,
    user: CurrentUser,
    values: dict[str, Any],
    *,
    status_code: int = 200,
    error: str | None = None,
) -> Template:
    """Reception's list of the site and day ``values`` ask for (the site where the user
    works today, and today, when they do not), or what is wrong with them."""
    sites = list(await list_sites(db))
    errors: dict[str, str] = {}
    try:
        asked = convert_form(values, VisitorsDayFilter, empty_is_none=("site", "date"))
    except FormInvalid as exc:
        errors, asked = exc.errors, VisitorsDayFilter()
    site = next((s for s in sites if s.id == asked.site), None)
    if asked.site is not None and site is None:
        errors.setdefault("site", _("Choose one of the sites listed."))
    if site is None:
        site = await site_of_today(db, clock, user.id, sites) or main_site(sites)
    day = asked.date or local_today(clock)
    listed = (
        await services.visitors_of_day(db, user, site, day)
        if site is not None and not errors
        else None
    )
    return page(
        request,
        "visitors/today.html",
        status_code=400 if errors else status_code,
        sites=sites,
        site=site,
        day=day,
        values=values,
        errors=errors,
        error=error,
        listed=listed,
    )


class ReceptionPages(Controller):
    tags = ["pages"]
    include_in_schema = False
    guards = [role_required(*services.RECEPTIONISTS)]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get("/visitors/today")
    async def today(
        self, request: Request[Any, Any, Any], db: DbDep, clock: ClockDep, user: UserDep
    ) -> Template:
        """Reception: the visitors expected at a site on a day (today unless asked), each
        with a button that marks them arrived."""
        return await _reception_page(request, db, clock, user, read_query(request))

    @post("/visitors/{visitor_id:int}/arrived")
    async def arrived(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        visitor_id: FromPath[int],
    ) -> Template | Redirect:
        """The "Aangekomen" button."""
        return await _mark(request, db, clock, user, visitor_id, services.mark_arrived)

    @post("/visitors/{visitor_id:int}/left")
    async def left(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        visitor_id: FromPath[int],
    ) -> Template | Redirect:
        """The "Vertrokken" button."""
        return await _mark(request, db, clock, user, visitor_id, services.mark_left)


Mark = Callable[[AsyncSession, Clock, CurrentUser, int], Awaitable[object]]


async def _mark(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    clock: Clock,
    user: CurrentUser,
    visitor_id: int,
    mark: Mark,
) -> Template | Redirect:
    """A button on a visitor's row (arrived, left): htmx swaps the row; without JavaScript
    the list of their day is shown again; a refusal says why there."""
    try:
        await mark(db, clock, user, visitor_id)
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        await db.rollback()
        row = await services.expected_visitor(db, user, visitor_id)
        if is_htmx(request):
            return page(
                request,
                "visitors/_reception_row.html",
                status_code=exc.status_code,
                visitor=row,
                row_error=exc.message,
            )
        return await _reception_page(
            request,
            db,
            clock,
            user,
            reception_query(row),
            status_code=exc.status_code,
            error=exc.message,
        )
    await db.commit()
    row = await services.expected_visitor(db, user, visitor_id)
    if not is_htmx(request):
        return Redirect(path=f"/visitors/today?{urlencode(reception_query(row))}")
    return page(request, "visitors/_reception_row.html", visitor=row)


ROUTES = [BookingVisitorPages, ReceptionPages]
