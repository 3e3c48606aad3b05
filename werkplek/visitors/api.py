"""JSON API of expected visitors: /api/bookings/{id}/visitors (whoever may change the
booking) and /api/visitors (reception: the reception role and facilities)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, delete, get, post
from litestar.di import Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from werkplek.rooms.services import get_site
from werkplek.visitors import services
from werkplek.visitors.schemas import ExpectedVisitorOut, VisitorIn, VisitorOut
from werkplek.web import ClockDep, DbDep, UserDep, login_required, provide_user, role_required

REFUSED = (
    "A desk booking (`desk_booking`), a booking no longer active (`booking_not_active`) "
    "or one that has ended (`in_the_past`) answers 422 at `booking`."
)


class BookingVisitorsController(Controller):
    path = "/api/bookings/{booking_id:int}/visitors"
    tags = ["visitors"]
    guards = [login_required]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get(
        "/",
        summary="The visitors expected at a booking",
        description="Residents and partners from outside expected at a room booking you "
        "may see, by name, with when reception marked them arrived.",
    )
    async def list_visitors(
        self, db: DbDep, user: UserDep, booking_id: FromPath[int]
    ) -> list[VisitorOut]:
        return await services.list_visitors(db, user, booking_id)

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Expect a visitor at a room booking",
        description="Whoever may change the booking names someone from outside who comes "
        "to it: a `name` (required) and optionally an `organisation`; nothing more is "
        f"kept. Reception sees them on the day's list. {REFUSED}",
    )
    async def add_visitor(
        self,
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        booking_id: FromPath[int],
        data: JSONBody[VisitorIn],
    ) -> VisitorOut:
        return await services.add_visitor(db, clock, user, booking_id, data)

    @delete(
        "/{visitor_id:int}",
        summary="No longer expect a visitor at a room booking",
        description=f"Whoever may change the booking takes a visitor off it. {REFUSED}",
    )
    async def remove_visitor(
        self,
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        booking_id: FromPath[int],
        visitor_id: FromPath[int],
    ) -> None:
        await services.remove_visitor(db, clock, user, booking_id, visitor_id)


class ReceptionController(Controller):
    path = "/api/visitors"
    tags = ["visitors"]
    guards = [role_required(*services.RECEPTIONISTS)]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get(
        "/",
        summary="Reception's list: the visitors expected at a site on a day",
        description="Reception and facilities: the visitors of the site's active room "
        "bookings that start on `date`, by time and room, with the host and whether they "
        "arrived.",
    )
    async def visitors_of_day(
        self,
        db: DbDep,
        user: UserDep,
        site_id: Annotated[int, QueryParameter(name="site", description="The site (id).")],
        day: Annotated[
            date, QueryParameter(name="date", description="The day, in the site's time zone.")
        ],
    ) -> list[ExpectedVisitorOut]:
        return await services.visitors_of_day(db, user, await get_site(db, site_id), day)

    @post(
        "/{visitor_id:int}/arrived",
        status_code=HTTP_200_OK,
        summary="Mark a visitor arrived; the host gets a mail",
        description="Reception (or facilities) marks that a visitor has come; the holder of "
        "the booking is told by mail. Marking them again changes nothing. A booking no longer "
        "active answers 422 `booking_not_active` at `booking`.",
    )
    async def mark_arrived(
        self, db: DbDep, clock: ClockDep, user: UserDep, visitor_id: FromPath[int]
    ) -> VisitorOut:
        return await services.mark_arrived(db, clock, user, visitor_id)

    @post(
        "/{visitor_id:int}/left",
        status_code=HTTP_200_OK,
        summary="Mark a visitor gone",
        description="Reception (or facilities) marks that a visitor who arrived has left, so "
        "that an evacuation's roll call no longer lists them. Marking them again changes "
        "nothing; a visitor not marked arrived answers 409 `visitor_not_arrived`.",
    )
    async def mark_left(
        self, db: DbDep, clock: ClockDep, user: UserDep, visitor_id: FromPath[int]
    ) -> VisitorOut:
        return await services.mark_left(db, clock, user, visitor_id)


ROUTES = [BookingVisitorsController, ReceptionController]
