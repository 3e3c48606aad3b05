"""Pages: my visits, plan or change a visit, the phone page for check-in/out, one visit,
the safety board.

Every action is a plain form (works without JavaScript: it redirects back); with htmx
the action answers with the updated card or board, swapped in place (on a visit's own
page: its details, card and cancel button together).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, time, timedelta
from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from werkplek.bookings.models import ACTIVE_STATUS_VALUES, Booking
from werkplek.clock import Clock, local_today
from werkplek.errors import DomainError
from werkplek.labels import day_and_date
from werkplek.people.models import Person, TeamMembership
from werkplek.people.services import CurrentUser, colleague_choices, list_teams
from werkplek.rooms.models import Site, Space, SpaceKind
from werkplek.visits import services
from werkplek.visits.schemas import (
    EXTENSION_MINUTES,
    SafetyContactIn,
    VisitChangeIn,
    VisitIn,
    VisitOut,
)
from werkplek.web import (
    ClockDep,
    DbDep,
    FormInvalid,
    SettingsDep,
    UserDep,
    convert_form,
    int_or_none,
    is_htmx,
    login_required,
    page,
    people_search,
    provide_user,
    read_form,
    refusal,
)

#: "My visits" shows today and this many days ahead.
UPCOMING_DAYS = 14


def _return_to(form: dict[str, Any], default: str) -> str:
    target = str(form.get("next") or "")
    if target == "/" or (target.startswith("/visits") and not target.startswith("//")):
        return target
    return default


def _is_visitor(visit: VisitOut, user: CurrentUser) -> bool:
    return any(v.id == user.id for v in visit.visitors)


async def _booking_choices(
    session: AsyncSession, clock: Clock, user: CurrentUser, keep: int | None = None
) -> list[dict[str, Any]]:
    """My upcoming resident room bookings, to hold a visit there instead of at home; and
    the one a visit being changed is linked to (``keep``), whoever booked it."""
    mine = (Booking.booked_for_id == user.id) | (Booking.booked_by_id == user.id)
    rows = await session.execute(
        select(Booking.id, Booking.start_at, Booking.end_at, Space.name, Site.name)
        .join(Space, Space.id == Booking.space_id)
        .join(Site, Site.id == Booking.site_id)
        .where(
            Space.kind == SpaceKind.RESIDENT_ROOM.value,
            Booking.status.in_(ACTIVE_STATUS_VALUES),
            Booking.end_at > clock.now(),
            mine | (Booking.id == keep) if keep is not None else mine,
        )
        .order_by(Booking.start_at)
        .limit(50)
    )
    return [
        {
            "id": booking_id,
            "label": f"{day_and_date(services.local(start).date())} "
            f"{services.local(start):%H:%M}–{services.local(end):%H:%M} · {space} ({site})",
        }
        for booking_id, start, end, space, site in rows
    ]


async def _team_members(
    session: AsyncSession, user: CurrentUser, keep: int | None = None
) -> list[Person]:
    """People a team lead may plan visits for: the members of the teams they lead; and the
    first visitor of a visit being changed (``keep``), whoever it is."""
    wanted: list[ColumnElement[bool]] = []
    if user.lead_team_ids:
        wanted.append(
            Person.id.in_(
                select(TeamMembership.person_id).where(
                    TeamMembership.team_id.in_(user.lead_team_ids)
                )
            )
        )
    if keep is not None:
        wanted.append(Person.id == keep)
    if not wanted:
        return []
    rows = await session.execute(
        select(Person)
        .where(or_(*wanted), Person.active.is_(True), Person.id != user.id)
        .order_by(Person.name)
    )
    return list(rows.scalars())


def _minutes(form: dict[str, Any]) -> int:
    """The extension asked for; what is not a whole number is 0, which the service refuses."""
    try:
        return int(str(form.get("minutes") or "0"))
    except ValueError:
        return 0


def _local_time(day: str, clock_time: str) -> str:
    """A date and an HH:MM (what time inputs send) as an ISO datetime without a zone."""
    return f"{day}T{clock_time}:00" if len(clock_time) == 5 else f"{day}T{clock_time}"


def _end_date(day: str, start_time: str, end_time: str) -> str:
    """The end's date for the form's one date (``services.end_day``); input that does not
    parse stays as it is, for the form's own error on that field."""
    try:
        start, end = time.fromisoformat(start_time), time.fromisoformat(end_time)
        return services.end_day(date.fromisoformat(day), start, end).isoformat()
    except ValueError:
        return day


def _form_values(visit: VisitOut, user: CurrentUser) -> dict[str, Any]:
    """The plan form filled in with a visit, to change it: the user first when they go (the
    second select offers everyone but them)."""
    ids = [v.id for v in visit.visitors]
    if user.id in ids:
        ids.remove(user.id)
        ids.insert(0, user.id)
    values: dict[str, Any] = {
        "visitor_id": str(ids[0]) if ids else "",
        "second_visitor_id": str(ids[1]) if len(ids) > 1 else "",
        "date": visit.start.date().isoformat(),
        "start_time": visit.start.strftime("%H:%M"),
        "end_time": visit.end.strftime("%H:%M"),
        "area": visit.area,
        "address": visit.address or "",
        "purpose": visit.purpose or "",
        "booking_id": str(visit.booking.id) if visit.booking else "",
    }
    if visit.two_person_required:
        values["two_person_required"] = "on"
    return values


def _visit_form_input(form: dict[str, Any]) -> dict[str, Any]:
    """The plan form (date + times, two person selects) as VisitIn fields; an end before the
    start is on the next day (a visit across midnight). Changing a visit sends every
    field too: an empty booking choice unlinks the resident room."""
    day = str(form.get("date") or "")
    start_time, end_time = str(form.get("start_time") or ""), str(form.get("end_time") or "")
    values: dict[str, Any] = {
        "visitor_ids": [v for v in (form.get("visitor_id"), form.get("second_visitor_id")) if v],
        "start": _local_time(day, start_time),
        "end": _local_time(_end_date(day, start_time, end_time), end_time),
        "area": form.get("area") or "",
        "address": form.get("address") or "",
        "purpose": form.get("purpose") or "",
        "two_person_required": form.get("two_person_required") == "on",
    }
    values["booking_id"] = form.get("booking_id") or None
    return values


class VisitPages(Controller):
    path = "/visits"
    tags = ["pages"]
    include_in_schema = False
    guards = [login_required]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    # --- my visits and planning -----------------------------------------------------------

    @get("/")
    async def my_visits(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        saved: FromQuery[int | None] = None,
    ) -> Template:
        today = local_today(clock)
        last = today + timedelta(days=UPCOMING_DAYS)
        return page(
            request,
            "visits/list.html",
            visits=await services.my_visits(db, clock, user, today, last),
            planned_for_others=await services.visits_planned_for_others(
                db, clock, user, today, last
            ),
            is_guardian=await services.is_guardian(db, user),
            saved=bool(saved),
            days=UPCOMING_DAYS,
        )

    async def _form(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        clock: Clock,
        user: CurrentUser,
        values: dict[str, Any],
        *,
        visit: VisitOut | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        """The plan form; with ``visit``, to change it (its visitors and its room stay
        choices, whoever they are)."""
        return page(
            request,
            "visits/form.html",
            status_code=status_code,
            values=values,
            errors=errors or {},
            visit=visit,
            team_members=await _team_members(
                db, user, keep=visit.visitors[0].id if visit and visit.visitors else None
            ),
            colleagues=await colleague_choices(
                db,
                containing=people_search(values).text,
                keep=int_or_none(values.get("second_visitor_id")),
                exclude=user.id,
            ),
            bookings=await _booking_choices(
                db, clock, user, keep=visit.booking.id if visit and visit.booking else None
            ),
        )

    @get("/new")
    async def new_visit(
        self, request: Request[Any, Any, Any], db: DbDep, clock: ClockDep, user: UserDep
    ) -> Template:
        start, end = await services.proposed_window_for(db, clock, user)
        values = {
            "visitor_id": str(user.id),
            "date": start.date().isoformat(),
            "start_time": start.strftime("%H:%M"),
            "end_time": end.strftime("%H:%M"),
        }
        return await self._form(request, db, clock, user, values)

    @post("/new")
    async def create_visit(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
    ) -> Template | Redirect:
        form = await read_form(request)
        if people_search(form).asked:  # only the colleague looked up: nothing is planned
            return await self._form(request, db, clock, user, form)
        try:
            data = convert_form(_visit_form_input(form), VisitIn)
            visit = await services.plan_visit(db, clock, settings, user, data)
        except (FormInvalid, DomainError) as exc:
            errors, status_code = await refusal(db, exc)
            return await self._form(
                request, db, clock, user, form, errors=errors, status_code=status_code
            )
        return Redirect(path=f"/visits/{visit.id}?saved=1")

    @get("/{visit_id:int}/edit")
    async def edit_visit(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        visit_id: FromPath[int],
    ) -> Template:
        visit = await services.visit_to_change(db, clock, user, visit_id)
        return await self._form(request, db, clock, user, _form_values(visit, user), visit=visit)

    @post("/{visit_id:int}/edit")
    async def change_visit(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        visit_id: FromPath[int],
    ) -> Template | Redirect:
        """The plan form sent to change a visit: every field, as it now is."""
        visit = await services.visit_to_change(db, clock, user, visit_id, show_address=False)
        form = await read_form(request)
        if people_search(form).asked:  # only the colleague looked up: nothing changes
            return await self._form(request, db, clock, user, form, visit=visit)
        try:
            # read as a whole visit: an emptied field is emptied, not left as it was
            whole = convert_form(_visit_form_input(form), VisitIn)
            data = VisitChangeIn(**msgspec.structs.asdict(whole))
            await services.change_visit(db, clock, settings, user, visit_id, data)
        except (FormInvalid, DomainError) as exc:
            errors, status_code = await refusal(db, exc)
            return await self._form(
                request, db, clock, user, form, visit=visit, errors=errors, status_code=status_code
            )
        return Redirect(path=f"/visits/{visit_id}?changed=1")

    # --- the phone page -------------------------------------------------------------------

    @get("/today")
    async def today(
        self, request: Request[Any, Any, Any], db: DbDep, clock: ClockDep, user: UserDep
    ) -> Template:
        return page(
            request,
            "visits/today.html",
            visits=await services.visits_today(db, clock, user),
            extension_minutes=EXTENSION_MINUTES,
            back="/visits/today",
        )

    # --- one visit ------------------------------------------------------------------------

    @get("/{visit_id:int}")
    async def visit(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        visit_id: FromPath[int],
        saved: FromQuery[int | None] = None,
        changed: FromQuery[int | None] = None,
    ) -> Template:
        visit = await services.get_visit(db, clock, user, visit_id)
        is_visitor = _is_visitor(visit, user)
        views = (
            await services.address_views(db, user, visit_id) if is_visitor or user.is_admin else []
        )
        return page(
            request,
            "visits/detail.html",
            v=visit,
            is_visitor=is_visitor,
            address_views=views,
            saved=bool(saved),
            changed=bool(changed),
            extension_minutes=EXTENSION_MINUTES,
            back=f"/visits/{visit_id}",
        )

    async def _after_action(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        clock: Clock,
        user: CurrentUser,
        visit_id: int,
        form: dict[str, Any],
        error: DomainError | None = None,
        *,
        done: str | None = None,
    ) -> Template | Redirect:
        """Without htmx back where the form came from; with htmx the card (or the visit's
        page) as it is now, telling what was just ``done`` ("check_in", "extend"); from the
        safety board, the board."""
        back = _return_to(form, "/visits/today")
        if error is not None:
            await db.rollback()
            if not is_htmx(request):
                raise error
        if not is_htmx(request):
            return Redirect(path=back)
        if back == "/visits/safety":
            # Checked out on their behalf from the board: the board, saying it was done.
            return await self._board(
                request,
                db,
                clock,
                user,
                "visits/_board.html",
                status_code=error.status_code if error is not None else 200,
                error=error.message if error is not None else None,
                checked_out=error is None,
            )
        visit = await services.get_visit(db, clock, user, visit_id)
        # On the visit's own page the details and the cancel button change with the card.
        on_visit_page = back == f"/visits/{visit_id}"
        return page(
            request,
            "visits/_detail.html" if on_visit_page else "visits/_card.html",
            status_code=error.status_code if error is not None else 200,
            v=visit,
            is_visitor=_is_visitor(visit, user),
            error=error.message if error is not None else None,
            done=done if error is None else None,
            extension_minutes=EXTENSION_MINUTES,
            back=back,
        )

    async def _act(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        clock: Clock,
        user: CurrentUser,
        visit_id: int,
        action: Callable[[dict[str, Any]], Awaitable[object]],
        *,
        done: str | None = None,
    ) -> Template | Redirect:
        """Run one of a visit's actions with the posted form, and answer as
        ``_after_action`` does, with what was ``done`` or why it was refused."""
        form = await read_form(request)
        try:
            await action(form)
        except DomainError as exc:
            return await self._after_action(request, db, clock, user, visit_id, form, exc)
        return await self._after_action(request, db, clock, user, visit_id, form, done=done)

    @post("/{visit_id:int}/check-in")
    async def check_in(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        visit_id: FromPath[int],
    ) -> Template | Redirect:
        async def check_in(form: dict[str, Any]) -> object:
            return await services.check_in(db, clock, user, visit_id)

        return await self._act(request, db, clock, user, visit_id, check_in, done="check_in")

    @post("/{visit_id:int}/check-out")
    async def check_out(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        visit_id: FromPath[int],
    ) -> Template | Redirect:
        async def check_out(form: dict[str, Any]) -> object:
            return await services.check_out(db, clock, settings, user, visit_id)

        return await self._act(request, db, clock, user, visit_id, check_out)

    @post("/{visit_id:int}/extend")
    async def extend(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        visit_id: FromPath[int],
    ) -> Template | Redirect:
        async def extend(form: dict[str, Any]) -> object:
            return await services.extend(db, clock, settings, user, visit_id, _minutes(form))

        return await self._act(request, db, clock, user, visit_id, extend, done="extend")

    @post("/{visit_id:int}/cancel")
    async def cancel(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        visit_id: FromPath[int],
    ) -> Template | Redirect:
        """Asks first on a page of its own naming the visit: those told about it hear that
        it is off, and a visit cancelled by mistake has to be planned again."""
        if (await read_form(request)).get("confirmed") != "1":
            visit = await services.visit_to_confirm(db, clock, user, visit_id)
            if visit.can_cancel:  # else cancelling says why not
                return page(request, "visits/cancel_confirm.html", v=visit)

        async def cancel(form: dict[str, Any]) -> object:
            return await services.cancel(db, clock, settings, user, visit_id)

        return await self._act(request, db, clock, user, visit_id, cancel)

    # --- the safety board -----------------------------------------------------------------

    async def _board(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        clock: Clock,
        user: CurrentUser,
        template: str,
        **context: Any,
    ) -> Template:
        return page(
            request,
            template,
            board=await services.safety_board(db, clock, user),
            **context,
        )

    @get("/safety")
    async def safety(
        self, request: Request[Any, Any, Any], db: DbDep, clock: ClockDep, user: UserDep
    ) -> Template:
        return await self._safety_page(request, db, clock, user)

    async def _safety_page(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        clock: Clock,
        user: CurrentUser,
        *,
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        """``values``: the safety contact form as sent, shown again."""
        values = values or {}
        led_teams = [t for t in await list_teams(db) if user.is_admin or user.leads(t.id)]
        return await self._board(
            request,
            db,
            clock,
            user,
            "visits/safety.html",
            status_code=status_code,
            contacts=await services.list_safety_contacts(db, user) if led_teams else [],
            led_teams=led_teams,
            colleagues=(
                await colleague_choices(
                    db,
                    containing=people_search(values).text,
                    keep=int_or_none(values.get("person_id")),
                )
                if led_teams
                else None
            ),
            values=values,
            errors=errors or {},
        )

    @get("/safety/board")
    async def safety_board(
        self, request: Request[Any, Any, Any], db: DbDep, clock: ClockDep, user: UserDep
    ) -> Template | Redirect:
        """The board's part that the safety page polls; opened on its own, that page."""
        if not is_htmx(request):
            return Redirect(path="/visits/safety")
        return await self._board(request, db, clock, user, "visits/_board.html")

    @post("/alerts/{alert_id:int}/acknowledge")
    async def acknowledge(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        alert_id: FromPath[int],
    ) -> Template | Redirect:
        await services.acknowledge_alert(db, clock, user, alert_id)
        if not is_htmx(request):
            return Redirect(path="/visits/safety")
        return await self._board(request, db, clock, user, "visits/_board.html", acknowledged=True)

    @post("/safety/contacts")
    async def add_contact(
        self, request: Request[Any, Any, Any], db: DbDep, clock: ClockDep, user: UserDep
    ) -> Template | Redirect:
        form = await read_form(request)
        if people_search(form).asked:  # only the colleague looked up: nobody is added
            return await self._safety_page(request, db, clock, user, values=form)
        try:
            data = convert_form(form, SafetyContactIn)
            await services.add_safety_contact(db, clock, user, data)
        except (FormInvalid, DomainError) as exc:
            errors, status_code = await refusal(db, exc)
            return await self._safety_page(
                request, db, clock, user, values=form, errors=errors, status_code=status_code
            )
        return Redirect(path="/visits/safety#safety-contacts")

    @post("/safety/contacts/{team_id:int}/{person_id:int}/remove")
    async def remove_contact(
        self,
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        team_id: FromPath[int],
        person_id: FromPath[int],
    ) -> Redirect:
        await services.remove_safety_contact(db, clock, user, team_id, person_id)
        return Redirect(path="/visits/safety#safety-contacts")


ROUTES = [VisitPages]
