"""JSON API of emergency roll calls (ontruiming): the emergency responders (BHV),
facilities and admins start one for a site, tick people off and close it."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from werkplek.emergency import services
from werkplek.emergency.schemas import AddPersonIn, MarkIn, RollCallEntryOut, RollCallOut
from werkplek.rooms.services import get_site
from werkplek.web import ClockDep, DbDep, UserDep, provide_user, role_required

CLOSED = "A closed roll call answers 409 `roll_call_closed` at `roll_call`."


class SiteRollCallController(Controller):
    path = "/api/sites/{site_id:int}/roll-calls"
    tags = ["emergency"]
    guards = [role_required(*services.RESPONDERS)]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Start the roll call of an evacuation",
        description="Emergency responders (BHV), facilities and admins: freezes who Werkplek "
        "knows to be in the site's building now (bookings checked in, a desk booked for now, "
        "work locations saying office or field base there this half day, visitors marked "
        "arrived today), checked in first and then by name, each with a floor and space (only "
        "the floor for someone who hides their desk) and a number to call. While one is open "
        "at the site, another answers 409 `roll_call_open` at `site`.",
    )
    async def start(
        self, db: DbDep, clock: ClockDep, user: UserDep, site_id: FromPath[int]
    ) -> RollCallOut:
        site = await get_site(db, site_id)
        roll_call = await services.start_roll_call(db, clock, user, site)
        return await services.roll_call_out(db, user, roll_call.id)


class RollCallController(Controller):
    path = "/api/roll-calls/{roll_call_id:int}"
    tags = ["emergency"]
    guards = [role_required(*services.RESPONDERS)]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get(
        "/",
        summary="A roll call with its list and count",
        description="The list in its order, with who is accounted for, who marked it and when.",
    )
    async def roll_call(self, db: DbDep, user: UserDep, roll_call_id: FromPath[int]) -> RollCallOut:
        return await services.roll_call_out(db, user, roll_call_id)

    @post(
        "/entries/{entry_id:int}",
        status_code=HTTP_200_OK,
        summary="Tick someone off (or take the tick back)",
        description=f"`accounted_for`: seen at the assembly point; who marked it and when are "
        f"kept. {CLOSED}",
    )
    async def mark(
        self,
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        roll_call_id: FromPath[int],
        entry_id: FromPath[int],
        data: JSONBody[MarkIn],
    ) -> RollCallEntryOut:
        await services.mark(db, clock, user, roll_call_id, entry_id, data.accounted_for)
        return await services.entry_out(db, user, roll_call_id, entry_id)

    @post(
        "/entries",
        status_code=HTTP_201_CREATED,
        summary="Add someone not on the list, accounted for",
        description=f"A `name` as they give it (required: 422 at `name`). {CLOSED}",
    )
    async def add_person(
        self,
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        roll_call_id: FromPath[int],
        data: JSONBody[AddPersonIn],
    ) -> RollCallEntryOut:
        entry = await services.add_person(db, clock, user, roll_call_id, data)
        return await services.entry_out(db, user, roll_call_id, entry.id)

    @post(
        "/close",
        status_code=HTTP_200_OK,
        summary="Close a roll call",
        description=f"Its list no longer changes; it is deleted "
        f"`WERKPLEK_RETENTION_ROLL_CALL_DAYS` later. {CLOSED}",
    )
    async def close(
        self, db: DbDep, clock: ClockDep, user: UserDep, roll_call_id: FromPath[int]
    ) -> RollCallOut:
        await services.close_roll_call(db, clock, user, roll_call_id)
        return await services.roll_call_out(db, user, roll_call_id)


ROUTES = [SiteRollCallController, RollCallController]
