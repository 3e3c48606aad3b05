"""JSON API: /api/sites, /api/spaces and their floors and closures."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from litestar import Controller, delete, get, post, put
from litestar.di import Provide
from litestar.params import FromPath, JSONBody, QueryParameter

from werkplek.bookings import displaced
from werkplek.errors import InvalidInput
from werkplek.i18n import _
from werkplek.openapi import conflict
from werkplek.people.models import Role
from werkplek.rooms import services
from werkplek.rooms.models import SpaceKind
from werkplek.rooms.schemas import (
    ClosureAddedOut,
    ClosureIn,
    ClosureOut,
    FloorIn,
    FloorOut,
    SiteChanged,
    SiteDayOut,
    SiteIn,
    SiteOut,
    SpaceChanged,
    SpaceIn,
    SpaceOut,
)
from werkplek.web import ClockDep, DbDep, UserDep, login_required, provide_user, role_required

MANAGE = [role_required(Role.FACILITIES)]
SITE_NAME_TAKEN = conflict("Another site has this name (`name_taken`).")
FLOOR_NAME_TAKEN = conflict("The site already has a floor with this name (`name_taken`).")
FLOOR_IN_USE = conflict("The floor still has spaces (`floor_in_use`).")
ALREADY_CLOSED = conflict(
    "A closure of the same place already covers all these days (`already_closed`)."
)
SPACE_NAME_TAKEN = conflict("The site already has a space with this name (`name_taken`).")
MAX_CALENDAR_DAYS = 92


class SitesController(Controller):
    path = "/api/sites"
    tags = ["rooms"]
    guards = [login_required]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get("/", summary="All sites")
    async def list_sites(self, db: DbDep) -> list[SiteOut]:
        return [services.site_out(site) for site in await services.list_sites(db)]

    @get("/{site_id:int}", summary="One site")
    async def get_site(self, db: DbDep, site_id: FromPath[int]) -> SiteOut:
        return await services.read_site(db, site_id)

    @post("/", summary="Create a site (facilities)", guards=MANAGE, responses=SITE_NAME_TAKEN)
    async def create_site(
        self, db: DbDep, clock: ClockDep, user: UserDep, data: JSONBody[SiteIn]
    ) -> SiteOut:
        return services.site_out(await services.save_site(db, clock, user, data))

    @put(
        "/{site_id:int}",
        summary="Change a site (facilities)",
        description=(
            "Taking it out of use (`active: false`) cancels the bookings there that have not "
            "begun: their holders are told by mail, webhooks get `booking.cancelled`, the "
            "audit log says `site_withdrawn`. `cancelled_booking_ids` lists them. A site out "
            "of use is left out of the sites list."
        ),
        guards=MANAGE,
        responses=SITE_NAME_TAKEN,
    )
    async def update_site(
        self,
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        site_id: FromPath[int],
        data: JSONBody[SiteIn],
    ) -> SiteChanged:
        saved = await displaced.save_site(db, clock, user, data, site_id)
        return SiteChanged(
            **msgspec.structs.asdict(services.site_out(saved.site)),
            cancelled_booking_ids=[booking.id for booking in saved.cancelled],
        )

    @get("/{site_id:int}/floors", summary="Floors of a site")
    async def list_floors(self, db: DbDep, site_id: FromPath[int]) -> list[FloorOut]:
        return [services.floor_out(floor) for floor in await services.list_floors(db, site_id)]

    @post(
        "/{site_id:int}/floors",
        summary="Add a floor (facilities)",
        guards=MANAGE,
        responses=FLOOR_NAME_TAKEN,
    )
    async def create_floor(
        self,
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        site_id: FromPath[int],
        data: JSONBody[FloorIn],
    ) -> FloorOut:
        return services.floor_out(await services.create_floor(db, clock, user, site_id, data))

    @put(
        "/{site_id:int}/floors/{floor_id:int}",
        summary="Change a floor (facilities)",
        description=(
            "Renames a floor and sets its level and zones. A zone named again (in any case) "
            "keeps its id and spaces, a new name adds a zone, and a zone left out is removed; "
            "one that still has spaces is refused (422 on `zones`)."
        ),
        guards=MANAGE,
        responses=FLOOR_NAME_TAKEN,
    )
    async def update_floor(
        self,
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        site_id: FromPath[int],
        floor_id: FromPath[int],
        data: JSONBody[FloorIn],
    ) -> FloorOut:
        floor = await services.update_floor(db, clock, user, site_id, floor_id, data)
        return services.floor_out(floor)

    @delete(
        "/{site_id:int}/floors/{floor_id:int}",
        summary="Remove a floor (facilities)",
        description=(
            "Removes the floor with its zones and floor plan. A floor that still has "
            "spaces (in use or not) is refused: 409 `floor_in_use`, `details.spaces` "
            "saying how many; give them another floor first. The audit log keeps the "
            "floor's name."
        ),
        guards=MANAGE,
        responses=FLOOR_IN_USE,
    )
    async def delete_floor(
        self,
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        site_id: FromPath[int],
        floor_id: FromPath[int],
    ) -> None:
        await services.delete_floor(db, clock, user, site_id, floor_id)

    @get("/{site_id:int}/closures", summary="Closures of a site from a date on")
    async def list_closures(
        self,
        db: DbDep,
        site_id: FromPath[int],
        from_date: Annotated[
            date | None,
            QueryParameter(
                name="from",
                description="Only closures that end on this day or later, YYYY-MM-DD. "
                "Default: every closure, also those long past.",
            ),
        ] = None,
    ) -> list[ClosureOut]:
        await services.get_site(db, site_id)
        closures = await services.list_closures(db, site_id, from_date=from_date)
        return [services.closure_out(c) for c in closures]

    @post(
        "/{site_id:int}/closures",
        summary="Close a site or space (facilities)",
        description=(
            "The bookings on the closed days (of the site, or of the one space) that have "
            "not begun are cancelled: their holders get the cancellation by mail with the "
            "closure's reason, webhooks get `booking.cancelled`, the audit log says "
            "`closure`. `cancelled_booking_ids` lists them. Removing the closure brings "
            "none back."
        ),
        guards=MANAGE,
        responses=ALREADY_CLOSED,
    )
    async def add_closure(
        self,
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        site_id: FromPath[int],
        data: JSONBody[ClosureIn],
    ) -> ClosureAddedOut:
        added = await displaced.add_closure(db, clock, user, site_id, data)
        return ClosureAddedOut(
            **msgspec.structs.asdict(services.closure_out(added.closure)),
            cancelled_booking_ids=[booking.id for booking in added.cancelled],
        )

    @delete("/{site_id:int}/closures/{closure_id:int}", summary="Remove a closure", guards=MANAGE)
    async def delete_closure(
        self,
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        site_id: FromPath[int],
        closure_id: FromPath[int],
    ) -> None:
        await services.delete_closure(db, clock, user, site_id, closure_id)

    @get("/{site_id:int}/calendar", summary="Open or closed per day, with the reason")
    async def calendar(
        self,
        db: DbDep,
        site_id: FromPath[int],
        from_date: Annotated[
            date, QueryParameter(name="from", description="First day, YYYY-MM-DD.")
        ],
        to_date: Annotated[
            date,
            QueryParameter(
                name="to",
                description=f"Last day, YYYY-MM-DD, included: not before `from` and at most "
                f"{MAX_CALENDAR_DAYS} days after it (else 422 on `to`).",
            ),
        ],
    ) -> list[SiteDayOut]:
        if to_date < from_date:
            raise InvalidInput(_("The end date is before the start date."), field="to")
        if (to_date - from_date).days > MAX_CALENDAR_DAYS:
            raise InvalidInput(
                _("Ask for at most %(days)s days at once.", days=MAX_CALENDAR_DAYS), field="to"
            )
        site = await services.get_site(db, site_id)
        closures = await services.closures_between(db, site_id, from_date, to_date)
        days = (
            from_date.fromordinal(n) for n in range(from_date.toordinal(), to_date.toordinal() + 1)
        )
        return [services.site_day_out(services.site_day(site, day, closures)) for day in days]


class SpacesController(Controller):
    path = "/api/spaces"
    tags = ["rooms"]
    guards = [login_required]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get(
        "/",
        summary="Spaces, filtered by site, floor and kind",
        description="Spaces in use only, by site and then name.",
    )
    async def list_spaces(
        self,
        db: DbDep,
        site_id: Annotated[
            int | None,
            QueryParameter(name="site", description="Only the spaces of this site (id)."),
        ] = None,
        floor_id: Annotated[
            int | None,
            QueryParameter(name="floor", description="Only the spaces on this floor (id)."),
        ] = None,
        kind: Annotated[
            list[SpaceKind] | None,
            QueryParameter(
                description="Only spaces of these kinds; repeatable (`kind=desk&kind=quiet_desk`). "
                "Default: every kind.",
            ),
        ] = None,
    ) -> list[SpaceOut]:
        spaces = await services.list_spaces(db, site_id=site_id, floor_id=floor_id, kinds=kind)
        return [services.space_out(space) for space in spaces]

    @get("/{space_id:int}", summary="One space")
    async def get_space(self, db: DbDep, space_id: FromPath[int]) -> SpaceOut:
        return services.space_out(await services.get_space(db, space_id))

    @post("/", summary="Create a space (facilities)", guards=MANAGE, responses=SPACE_NAME_TAKEN)
    async def create_space(
        self, db: DbDep, clock: ClockDep, user: UserDep, data: JSONBody[SpaceIn]
    ) -> SpaceOut:
        return services.space_out(await services.save_space(db, clock, user, data))

    @put(
        "/{space_id:int}",
        summary="Change a space (facilities)",
        description=(
            "A space stays at its site (`site_id` cannot change). Taking it out of use "
            "(`active: false`) cancels its bookings that have not begun (the audit log says "
            "`space_withdrawn`); restricting it to other teams than before cancels those of "
            "holders it rules out: allowed before (it was open to all, or they were in one of "
            "its former teams) and in none of its `team_ids` now, facilities and "
            "administrators aside (`space_restricted`; a booking facilities made for someone "
            "outside its teams stays); lowering its capacity cancels those for more attendees "
            "(`space_capacity`). Their holders are told by mail, webhooks get "
            "`booking.cancelled`, and `cancelled_booking_ids` lists them. A new floor clears "
            "the space's place on the floor plan."
        ),
        guards=MANAGE,
        responses=SPACE_NAME_TAKEN,
    )
    async def update_space(
        self,
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        space_id: FromPath[int],
        data: JSONBody[SpaceIn],
    ) -> SpaceChanged:
        saved = await displaced.save_space(db, clock, user, data, space_id)
        return SpaceChanged(
            **msgspec.structs.asdict(services.space_out(saved.space)),
            cancelled_booking_ids=[booking.id for booking in saved.cancelled],
        )


ROUTES = [SitesController, SpacesController]
