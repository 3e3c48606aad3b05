"""Pages for facilities: sites, floors, spaces and closures."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import time
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.bookings import displaced
from werkplek.bookings.models import Booking
from werkplek.clock import Clock, local_today
from werkplek.errors import Conflict, DomainError, InvalidInput, NotFound, refuse_all
from werkplek.i18n import N_, _
from werkplek.labels import WEEKDAY_NAMES
from werkplek.people.models import Role
from werkplek.people.services import CurrentUser, list_teams, search_text
from werkplek.rooms import services
from werkplek.rooms.models import Amenity, SafetyFeature, SiteKind, Space, SpaceKind
from werkplek.rooms.schemas import ClosureIn, FloorIn, SiteIn, SpaceIn
from werkplek.web import (
    ClockDep,
    DbDep,
    FormInvalid,
    UserDep,
    convert_form,
    int_or_none,
    page,
    provide_user,
    read_form,
    refusal,
    role_required,
)


def _site_values(site: Any) -> dict[str, Any]:
    if site is None:
        hours = {day: (time(7, 30), time(18, 0)) for day in range(5)}
        return {
            "name": "",
            "kind": "central_office",
            "address": "",
            "city": "",
            "day_split": "13:00",
            "max_days_ahead": "14",
            "capacity_cap_percent": "",
            "observe_public_holidays": True,
            "active": True,
            "hours": {d: (o.strftime("%H:%M"), c.strftime("%H:%M")) for d, (o, c) in hours.items()},
        }
    return {
        "name": site.name,
        "kind": site.kind,
        "address": site.address,
        "city": site.city,
        "day_split": site.day_split.strftime("%H:%M"),
        "max_days_ahead": str(site.max_days_ahead),
        "capacity_cap_percent": str(site.capacity_cap_percent or ""),
        "observe_public_holidays": site.observe_public_holidays,
        "active": site.active,
        "hours": {
            h.weekday: (h.opens.strftime("%H:%M"), h.closes.strftime("%H:%M"))
            for h in site.opening_hours
        },
    }


def _form_hours(form: dict[str, Any]) -> dict[int, tuple[str, str]]:
    hours = {}
    for day in range(7):
        opens = str(form.get(f"opens_{day}") or "")
        closes = str(form.get(f"closes_{day}") or "")
        if opens or closes:
            hours[day] = (opens, closes)
    return hours


def _site_form_values(form: dict[str, Any]) -> dict[str, Any]:
    """The submitted site form, shaped as the form template shows it again."""
    return {
        **form,
        "hours": _form_hours(form),
        "observe_public_holidays": form.get("observe_public_holidays") == "on",
        "active": form.get("active") == "on",
    }


def _form_time(value: Any) -> Any:
    """Browsers send ``<input type="time">`` as HH:MM; the schema reads HH:MM:SS."""
    text = str(value or "").strip()
    return f"{text}:00" if re.fullmatch(r"\d{1,2}:\d{2}", text) else value


def _site_from_form(form: dict[str, Any]) -> SiteIn:
    raw = {
        key: form.get(key)
        for key in (
            "name",
            "kind",
            "address",
            "city",
            "day_split",
            "max_days_ahead",
            "capacity_cap_percent",
        )
    }
    raw["day_split"] = _form_time(raw["day_split"])
    raw["observe_public_holidays"] = form.get("observe_public_holidays") == "on"
    raw["active"] = form.get("active") == "on"
    hours = _form_hours(form)
    halves = [
        InvalidInput(
            _(
                "On %(day)s fill in both the opening and the closing time, "
                "or neither when the site is closed.",
                day=_(WEEKDAY_NAMES[day]),
            ),
            field=services.opening_hours_field(day),
        )
        for day, (opens, closes) in hours.items()
        if not (opens and closes)
    ]
    raw["opening_hours"] = [
        {"weekday": day, "opens": _form_time(opens), "closes": _form_time(closes)}
        for day, (opens, closes) in hours.items()
        if opens and closes
    ]
    data = convert_form(raw, SiteIn)
    # The days filled in whole are checked with the half ones, so one save names them all.
    problems = halves + services.opening_hours_problems(data.opening_hours) if halves else []
    refuse_all(sorted(problems, key=lambda problem: str(problem.field)))
    return data


#: What the site's page says after a change sent from it or its forms (``?saved=``).
SAVED_NOTICES: dict[str, str] = {
    "site": N_("The site has been saved."),
    "floor": N_("The floor has been saved."),
    "floor_removed": N_("The floor has been removed."),
    "closure": N_("The closure has been added."),
    "closure_removed": N_("The closure has been removed."),
    "space": N_("The space has been saved."),
}


class SitesAdminPages(Controller):
    path = "/admin/sites"
    tags = ["pages"]
    include_in_schema = False
    guards = [role_required(Role.FACILITIES)]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get("/")
    async def sites(self, request: Request[Any, Any, Any], db: DbDep) -> Template:
        return page(
            request,
            "rooms/sites.html",
            sites=await services.list_sites(db, include_inactive=True),
            space_counts=await services.space_counts_by_site(db),
            no_spaces=services.SiteSpaceCounts(),
        )

    def _site_form(
        self,
        request: Request[Any, Any, Any],
        site: Any,
        values: dict[str, Any],
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        return page(
            request,
            "rooms/site_form.html",
            status_code=status_code,
            site=site,
            values=values,
            errors=errors or {},
            kinds=list(SiteKind),
            weekdays=WEEKDAY_NAMES,
        )

    @get("/new")
    async def new_site(self, request: Request[Any, Any, Any]) -> Template:
        return self._site_form(request, None, _site_values(None))

    @post("/new")
    async def create_site(
        self, request: Request[Any, Any, Any], db: DbDep, clock: ClockDep, user: UserDep
    ) -> Template | Redirect:
        return await self._save_site(request, db, clock, user, None)

    async def _save_site(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        clock: Clock,
        user: CurrentUser,
        site_id: int | None,
    ) -> Template | Redirect:
        if site_id:
            await services.get_site(db, site_id)
        form = await read_form(request)
        values = _site_form_values(form)
        try:
            saved = await displaced.save_site(db, clock, user, _site_from_form(form), site_id)
        except (FormInvalid, DomainError) as exc:
            errors, status_code = await refusal(db, exc)
            # Read after the refusal, whose rollback expired what the session had loaded.
            site = await services.get_site(db, site_id) if site_id else None
            return self._site_form(request, site, values, errors, status_code)
        return Redirect(path=_after_saving(saved.site.id, "site", saved.cancelled))

    @get("/{site_id:int}")
    async def site_detail(
        self, request: Request[Any, Any, Any], db: DbDep, clock: ClockDep, site_id: FromPath[int]
    ) -> Template:
        return await self._detail(request, db, clock, site_id)

    async def _detail(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        clock: Clock,
        site_id: int,
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
        status_code: int = 200,
    ) -> Template:
        """The site with its floors, closures and spaces; the query's ``floor``, ``kind``
        and ``q`` (part of the name) choose the spaces listed."""
        site = await services.get_site(db, site_id)
        floors = await services.list_floors(db, site_id)
        spaces = await services.list_spaces(db, site_id=site_id, include_inactive=True)
        floor_id = services.floor_among(floors, int_or_none(request.query_params.get("floor")))
        kind = request.query_params.get("kind") or ""
        kinds = [SpaceKind(kind)] if kind in {k.value for k in SpaceKind} else []
        query = search_text(request.query_params.get("q") or "")
        listed = (
            await services.list_spaces(
                db,
                site_id=site_id,
                floor_id=floor_id,
                kinds=kinds,
                include_inactive=True,
                containing=query,
            )
            if floor_id or kinds or query
            else spaces
        )
        return page(
            request,
            "rooms/site_detail.html",
            status_code=status_code,
            site=site,
            floors=floors,
            spaces=spaces,
            space_kinds=list(SpaceKind),
            filters={"floor_id": floor_id, "kind": kinds[0].value if kinds else "", "q": query},
            listed_count=len(listed),
            listed_groups=services.by_floor(listed, floors, lambda space: space.floor_id),
            closable_groups=services.by_floor(
                [space for space in spaces if space.active], floors, lambda space: space.floor_id
            ),
            space_names={space.id: space.name for space in spaces},
            restricted_to=await services.restricted_team_names(db, spaces),
            zone_names={zone.id: zone.name for floor in floors for zone in floor.zones},
            closures=await services.list_closures(db, site_id, from_date=local_today(clock)),
            saved=SAVED_NOTICES.get(request.query_params.get("saved") or ""),
            cancelled=int_or_none(request.query_params.get("cancelled")),
            errors=errors or {},
            values=values or {},
        )

    @get("/{site_id:int}/edit")
    async def edit_site(
        self, request: Request[Any, Any, Any], db: DbDep, site_id: FromPath[int]
    ) -> Template:
        site = await services.get_site(db, site_id)
        return self._site_form(request, site, _site_values(site))

    @post("/{site_id:int}/edit")
    async def update_site(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        site_id: FromPath[int],
    ) -> Template | Redirect:
        return await self._save_site(request, db, clock, user, site_id)

    @post("/{site_id:int}/floors")
    async def add_floor(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        site_id: FromPath[int],
    ) -> Template | Redirect:
        form = _floor_form_values(await read_form(request))
        try:
            await services.create_floor(db, clock, user, site_id, convert_form(form, FloorIn))
        except (FormInvalid, DomainError) as exc:
            errors, status_code = await refusal(db, exc)
            return await self._detail(
                request, db, clock, site_id, errors=errors, values=form, status_code=status_code
            )
        return Redirect(path=_after_saving(site_id, "floor"))

    async def _floor_form(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        site_id: int,
        floor_id: int,
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
        *,
        delete_error: str | None = None,
    ) -> Template:
        """The floor's form; ``delete_error`` why removing it was refused."""
        floor = await services.get_floor(db, floor_id)
        if floor.site_id != site_id:
            raise NotFound(_("No such floor."))
        shown = values or {
            "name": floor.name,
            "level": str(floor.level),
            "zones": [zone.name for zone in floor.zones],
        }
        return page(
            request,
            "rooms/floor_form.html",
            status_code=status_code,
            site=await services.get_site(db, site_id),
            floor=floor,
            values=shown,
            errors=errors or {},
            delete_error=delete_error,
        )

    @get("/{site_id:int}/floors/{floor_id:int}")
    async def edit_floor(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        site_id: FromPath[int],
        floor_id: FromPath[int],
        notice: FromQuery[str] = "",
    ) -> Template:
        """``?notice=floor_in_use``: a removal was just refused, for the spaces on it (if
        they have not moved meanwhile)."""
        on_floor = (
            await services.count_spaces_on_floor(db, floor_id) if notice == "floor_in_use" else 0
        )
        delete_error = services.floor_in_use_message(on_floor) if on_floor else None
        return await self._floor_form(request, db, site_id, floor_id, delete_error=delete_error)

    @post("/{site_id:int}/floors/{floor_id:int}")
    async def update_floor(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        site_id: FromPath[int],
        floor_id: FromPath[int],
    ) -> Template | Redirect:
        form = _floor_form_values(await read_form(request))
        try:
            data = convert_form(form, FloorIn)
            await services.update_floor(db, clock, user, site_id, floor_id, data)
        except (FormInvalid, DomainError) as exc:
            errors, status_code = await refusal(db, exc)
            return await self._floor_form(request, db, site_id, floor_id, form, errors, status_code)
        return Redirect(path=_after_saving(site_id, "floor"))

    @post("/{site_id:int}/floors/{floor_id:int}/delete")
    async def delete_floor(
        self,
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        site_id: FromPath[int],
        floor_id: FromPath[int],
    ) -> Redirect:
        floor = f"/admin/sites/{site_id}/floors/{floor_id}"
        try:
            await services.delete_floor(db, clock, user, site_id, floor_id)
        except Conflict as exc:
            if exc.code != "floor_in_use":
                raise
            await db.rollback()
            # Post/redirect/get: the form says why after the redirect, so reloading it does
            # not send the removal again.
            return Redirect(path=f"{floor}?notice=floor_in_use")
        return Redirect(path=_after_saving(site_id, "floor_removed"))

    @post("/{site_id:int}/closures")
    async def add_closure(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        site_id: FromPath[int],
    ) -> Template | Redirect:
        """A closure that would cancel bookings is added only once the confirmation page,
        which says how many, sends the form again with ``confirmed=1``."""
        form = await read_form(request)
        confirmed = form.pop("confirmed", None) == "1"
        try:
            closure = convert_form(form, ClosureIn, empty_is_none=("space_id",))
            added = await displaced.add_closure(
                db, clock, user, site_id, closure, cancelling_confirmed=confirmed
            )
        except (FormInvalid, DomainError) as exc:
            errors, status_code = await refusal(db, exc)
            return await self._detail(
                request, db, clock, site_id, errors=errors, values=form, status_code=status_code
            )
        except displaced.CancellingNotConfirmed as asked:
            site = await services.get_site(db, site_id)
            space = await services.get_space(db, closure.space_id) if closure.space_id else None
            return page(
                request,
                "rooms/closure_confirm.html",
                site=site,
                space=space,
                closure=closure,
                cancelling=asked.count,
            )
        return Redirect(path=_after_saving(site_id, "closure", added.cancelled))

    @post("/{site_id:int}/closures/{closure_id:int}/delete")
    async def delete_closure(
        self,
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        site_id: FromPath[int],
        closure_id: FromPath[int],
    ) -> Redirect:
        await services.delete_closure(db, clock, user, site_id, closure_id)
        return Redirect(path=_after_saving(site_id, "closure_removed"))

    async def _space_form(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        site_id: int,
        space: Any,
        values: dict[str, Any],
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        return page(
            request,
            "rooms/space_form.html",
            status_code=status_code,
            site=await services.get_site(db, site_id),
            floors=await services.list_floors(db, site_id),
            teams=await list_teams(db),
            space=space,
            values=values,
            errors=errors or {},
            kinds=list(SpaceKind),
            amenities=list(Amenity),
            safety_features=list(SafetyFeature),
        )

    @get("/{site_id:int}/spaces/new")
    async def new_space(
        self, request: Request[Any, Any, Any], db: DbDep, site_id: FromPath[int]
    ) -> Template:
        values = {
            "kind": "desk",
            "capacity": "1",
            "amenities": [],
            "safety_features": [],
            "team_ids": [],
            "active": True,
        }
        return await self._space_form(request, db, site_id, None, values)

    @get("/{site_id:int}/spaces/{space_id:int}")
    async def edit_space(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        site_id: FromPath[int],
        space_id: FromPath[int],
    ) -> Template:
        space = await _space_at(db, site_id, space_id)
        values = {
            "name": space.name,
            "kind": space.kind,
            "capacity": str(space.capacity),
            "floor_id": str(space.floor_id or ""),
            "zone_id": str(space.zone_id or ""),
            "amenities": list(space.amenities),
            "safety_features": list(space.safety_features),
            "team_ids": [str(t) for t in space.team_ids],
            "requires_approval": space.requires_approval,
            "active": space.active,
        }
        return await self._space_form(request, db, site_id, space, values)

    @post("/{site_id:int}/spaces/new")
    async def create_space(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        site_id: FromPath[int],
    ) -> Template | Redirect:
        return await self._save_space(request, db, clock, user, site_id, None)

    @post("/{site_id:int}/spaces/{space_id:int}")
    async def update_space(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        site_id: FromPath[int],
        space_id: FromPath[int],
    ) -> Template | Redirect:
        return await self._save_space(request, db, clock, user, site_id, space_id)

    async def _save_space(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        clock: Clock,
        user: CurrentUser,
        site_id: int,
        space_id: int | None,
    ) -> Template | Redirect:
        if space_id:
            await _space_at(db, site_id, space_id)
        form = await read_form(request, ("amenities", "safety_features", "team_ids"))
        form["site_id"] = site_id
        form["requires_approval"] = form.get("requires_approval") == "on"
        form["active"] = form.get("active") == "on"
        try:
            data = convert_form(form, SpaceIn, empty_is_none=("floor_id", "zone_id"))
            saved = await displaced.save_space(db, clock, user, data, space_id)
        except (FormInvalid, DomainError) as exc:
            errors, status_code = await refusal(db, exc)
            # Read after the refusal, whose rollback expired what the session had loaded.
            space = await _space_at(db, site_id, space_id) if space_id else None
            return await self._space_form(request, db, site_id, space, form, errors, status_code)
        return Redirect(path=_after_saving(site_id, "space", saved.cancelled))


def _floor_form_values(form: dict[str, Any]) -> dict[str, Any]:
    """A floor form with its zones (typed comma separated) as a list."""
    zones = [zone.strip() for zone in str(form.get("zones") or "").split(",") if zone.strip()]
    return {**form, "zones": zones}


def _after_saving(site_id: int, saved: str, cancelled: Sequence[Booking] = ()) -> str:
    """The site's page, saying what was saved (a key of ``SAVED_NOTICES``) and how many
    bookings the change cancelled (if any)."""
    site = f"/admin/sites/{site_id}?saved={saved}"
    return f"{site}&cancelled={len(cancelled)}" if cancelled else site


async def _space_at(db: AsyncSession, site_id: int, space_id: int) -> Space:
    """The space, if it is at the site the address names."""
    space = await services.get_space(db, space_id)
    if space.site_id != site_id:
        raise NotFound(_("No such space."))
    return space


ROUTES = [SitesAdminPages]
