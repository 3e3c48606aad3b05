"""Pages: my week and weekly pattern, the KCC finder, team boards, callback notes, home blocks."""

from __future__ import annotations

from datetime import date, time, timedelta
from functools import partial
from typing import Annotated, Any
from urllib.parse import urlencode

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import Provide
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.bookings.availability import sites_with_spaces
from werkplek.bookings.services import DESK_KINDS, bookings_out, rooms_held_while_absent
from werkplek.clock import Clock, local_today
from werkplek.config import Settings
from werkplek.errors import DomainError
from werkplek.feeds.models import FeedScope
from werkplek.feeds.services import may_subscribe
from werkplek.i18n import _
from werkplek.labels import WEEKDAY_NAMES, long_date
from werkplek.labels import label as label_of
from werkplek.people.models import Person, Role
from werkplek.people.services import CurrentUser, colleague_choices, list_teams, search_text
from werkplek.people.views import safe_next
from werkplek.presence import absences, callback_notes, finder, services
from werkplek.presence import days as person_days
from werkplek.presence.models import WorkKind
from werkplek.presence.schemas import (
    AbsenceIn,
    AbsencePeriod,
    Area,
    BoardOut,
    CallbackNoteIn,
    CallbackNoteOut,
    DayIn,
    DayOut,
    PatternDayIn,
    PatternIn,
    PatternSlotIn,
    Reason,
)
from werkplek.rooms.services import DayPart
from werkplek.web import (
    ClockDep,
    DbDep,
    FormInvalid,
    SettingsDep,
    UserDep,
    convert_form,
    date_or,
    form_error,
    form_problem,
    int_or_none,
    is_htmx,
    login_required,
    page,
    people_search,
    provide_user,
    read_form,
    refusal,
    role_required,
)

formatters = services.formatters
hhmm = services.hhmm
USER = {"user": Provide(provide_user, sync_to_thread=False)}


# --- location choices in forms ------------------------------------------------------------


def location_value(kind: str, site_id: int | None) -> str:
    """A select value combining kind and site: 'office:3', 'home'."""
    return f"{kind}:{site_id}" if site_id is not None else kind


def parse_location(raw: object, field_name: str) -> tuple[WorkKind, int | None] | None:
    text = str(raw or "").strip()
    if not text:
        return None
    kind_text, _sep, site_text = text.partition(":")
    try:
        kind = WorkKind(kind_text)
        site_id = int(site_text) if site_text else None
    except ValueError as exc:
        raise FormInvalid({field_name: _("This value is not valid.")}) from exc
    return kind, site_id


def parse_time(raw: object, field_name: str) -> time | None:
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        return time.fromisoformat(text)
    except ValueError as exc:
        raise FormInvalid({field_name: _("Enter a time as hh:mm.")}) from exc


#: A location select's choices: groups of (value, label), the group named or (None) not.
LocationChoices = list[tuple[str | None, list[tuple[str, str]]]]


def location_options(sites: list[Any]) -> LocationChoices:
    """A location select's choices: offices and field bases under their kind (so a choice
    names only its site, and a long name still fits the select), then home, on location
    and absent."""
    groups: dict[WorkKind, list[tuple[str, str]]] = {WorkKind.OFFICE: [], WorkKind.FIELD_BASE: []}
    for site in sorted(sites, key=lambda site: site.name):
        kind = WorkKind.FIELD_BASE if site.kind == "field_base" else WorkKind.OFFICE
        groups[kind].append((location_value(kind.value, site.id), site.name))
    others = [
        (kind.value, label_of(kind.value))
        for kind in (WorkKind.HOME, WorkKind.ON_LOCATION, WorkKind.ABSENT)
    ]
    named: LocationChoices = [
        (label_of(kind.value), sites) for kind, sites in groups.items() if sites
    ]
    return [*named, (None, others)]


def pattern_field(field: str) -> str:
    """Where a weekly pattern error belongs on the pattern form: ``days.0.morning.site_id``
    is the select ``morning_0``, ``days.0.morning.area`` the input ``area_0``, and either
    of the reachable hours ``hours_0`` (they are wrong together: both inputs are marked)."""
    path = field.split(".")
    if len(path) < 3 or path[0] != "days":
        return field
    weekday, name = path[1], path[2]
    if name in ("reachable_from", "reachable_until"):
        return f"hours_{weekday}"
    if path[-1] == "area":
        return f"area_{weekday}"
    return f"{name}_{weekday}"


def _checked(value: str | None, kind: Any, field_name: str) -> str | None:
    """``value`` of the one ``field_name`` field that serves both half days, checked here:
    refused later, inside ``parts``, its message would name no field of the form."""
    if value is not None:
        try:
            msgspec.convert(value, kind)
        except msgspec.ValidationError as exc:
            raise FormInvalid({field_name: form_problem(str(exc))[1]}) from exc
    return value


def day_in_from_form(form: dict[str, Any]) -> DayIn:
    """The day form as a DayIn: area and reason apply to the half days they fit.

    One area and one reason field serve both half days, so they are ignored for
    half days of another kind (the API, which takes them per half day, refuses that).
    """
    whole = parse_location(form.get("whole_day"), "whole_day")
    chosen: dict[DayPart, tuple[WorkKind, int | None]] = {}
    if whole is not None:
        chosen[DayPart.DAY] = whole
    else:
        for part in (DayPart.MORNING, DayPart.AFTERNOON):
            location = parse_location(form.get(part.value), part.value)
            if location is not None:
                chosen[part] = location
    area = _checked(str(form.get("area") or "").strip() or None, Area, "area")
    reason = _checked(
        str(form.get("absence_reason") or "").strip() or None, Reason, "absence_reason"
    )
    parts = [
        {
            "day_part": part.value,
            "kind": kind.value,
            "site_id": site_id,
            "area": area if kind is WorkKind.ON_LOCATION else None,
            "absence_reason": reason if kind is WorkKind.ABSENT else None,
        }
        for part, (kind, site_id) in chosen.items()
    ]
    raw = {
        "parts": parts,
        "reachable_from": parse_time(form.get("reachable_from"), "reachable_from"),
        "reachable_until": parse_time(form.get("reachable_until"), "reachable_until"),
        "note": str(form.get("note") or ""),
        "backup_id": form.get("backup_id") or None,
    }
    return convert_form(raw, DayIn, empty_is_none=("backup_id",))


def day_values(day: DayOut) -> dict[str, Any]:
    """What a day card's form shows: explicit entries selected, the rest automatic."""
    values: dict[str, Any] = {"area": "", "absence_reason": ""}
    for part in day.parts:
        if part.source == "entry":
            values[part.day_part] = location_value(part.kind, part.site_id)
            values["area"] = values["area"] or (part.area or "")
            values["absence_reason"] = values["absence_reason"] or (part.absence_reason or "")
        else:
            values[part.day_part] = ""
    own_hours = day.hours_source == "day"
    values["reachable_from"] = hhmm(day.reachable_from) if own_hours else ""
    values["reachable_until"] = hhmm(day.reachable_until) if own_hours else ""
    values["note"] = day.note
    values["backup_id"] = str(day.backup.id) if day.backup and day.backup_source == "day" else ""
    return values


# --- my week ------------------------------------------------------------------------------


def whose_week(user: CurrentUser, subject: Person | None) -> int:
    """The person whose week a page plans: the colleague chosen, else oneself."""
    return subject.id if subject is not None else user.id


def week_url(subject: Person | None, page: str = "") -> str:
    """The address of the week page (or another, such as ``/pattern``) to add query
    parameters to: one's own, or a colleague's."""
    return f"/my-week{page}?person={subject.id}&" if subject is not None else f"/my-week{page}?"


def _absence_done(subject: Person | None, period: AbsencePeriod, **counts: int) -> Redirect:
    """Back to the absence page, which says what was done for the period (``counts``)."""
    query = {"first": period.first.isoformat(), "last": period.last.isoformat(), **counts}
    return Redirect(path=f"{week_url(subject, '/absence')}{urlencode(query)}")


class MyWeekPages(Controller):
    """My week, and with ``?person=`` a team member's week for their lead (or an admin):
    the same page, form and rules, as the API's ``?person=``."""

    path = "/my-week"
    tags = ["pages"]
    include_in_schema = False
    guards = [login_required]
    dependencies = USER

    async def _subject(
        self, db: AsyncSession, user: CurrentUser, person: int | None
    ) -> Person | None:
        """The colleague whose week is planned, or None for one's own; refused (403, 404)
        when the user may not plan theirs."""
        if person is None or person == user.id:
            return None
        return await person_days.manageable_person(db, user, person)

    async def _card_context(
        self, db: AsyncSession, clock: Clock, user: CurrentUser, subject: Person | None
    ) -> dict[str, Any]:
        """What a day card needs besides its day."""
        desk_site_ids = await sites_with_spaces(db, DESK_KINDS)
        return {
            "subject": subject,
            "week_url": week_url(subject),
            # A member's week leads back to their team board; a lead's own week to theirs.
            "board_team": (
                services.board_team_of(user, subject)
                if subject
                else min(user.lead_team_ids, default=None)
            ),
            "sees_reason": subject is None or services.sees_absence_reason(user, subject),
            "location_options": location_options(await services.workplace_sites(db)),
            "backups": await services.backup_candidates(db, whose_week(user, subject)),
            "day_values": day_values,
            "desks_to_book": partial(
                person_days.desks_to_book, today=local_today(clock), desk_site_ids=desk_site_ids
            ),
            **formatters(clock),
        }

    async def _context(
        self,
        db: AsyncSession,
        clock: Clock,
        settings: Settings,
        user: CurrentUser,
        subject: Person | None,
        week: date,
    ) -> dict[str, Any]:
        days = services.week_of(week)
        person_id = whose_week(user, subject)
        return {
            "week_days": days,
            "days": await person_days.days_of(
                db, clock, settings, user, person_id, days[0], days[-1]
            ),
            "previous_week": days[0] - timedelta(days=7),
            "next_week": days[0] + timedelta(days=7),
            **await self._card_context(db, clock, user, subject),
        }

    @get("/")
    async def my_week(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        week: FromQuery[str | None] = None,
        person: FromQuery[int | None] = None,
        saved: FromQuery[str | None] = None,
        copied: FromQuery[int | None] = None,
        kept: FromQuery[int] = 0,
        unavailable: FromQuery[int] = 0,
        backups_left_out: FromQuery[int] = 0,
    ) -> Template:
        subject = await self._subject(db, user, person)
        planned = services.planning_day(local_today(clock))
        asked = date_or(week, None)
        if week and asked is None:
            return self._refused_day(request, clock, settings, subject, week)
        try:
            context = await self._context(db, clock, settings, user, subject, asked or planned)
        except DomainError as exc:
            await db.rollback()
            return self._refused_day(request, clock, settings, subject, week or "", exc)
        return page(
            request,
            "presence/my_week.html",
            errors_for={},
            values_for={},
            saved=saved,
            copied=copied,
            kept=kept,
            unavailable=unavailable,
            backups_left_out=backups_left_out,
            **context,
        )

    @post("/copy")
    async def copy_week(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        person: FromQuery[int | None] = None,
    ) -> Redirect:
        subject = await self._subject(db, user, person)
        form = await read_form(request)
        week = date_or(form.get("week"), local_today(clock))
        done = await person_days.copy_previous_week(
            db, clock, settings, user, whose_week(user, subject), week
        )
        return Redirect(
            path=(
                f"{week_url(subject)}week={week.isoformat()}&copied={done.copied}"
                f"&kept={done.kept}&unavailable={done.unavailable}"
                f"&backups_left_out={done.backups_left_out}"
            )
        )

    def _refused_day(
        self,
        request: Request[Any, Any, Any],
        clock: Clock,
        settings: Settings,
        subject: Person | None,
        asked: str,
        exc: DomainError | None = None,
    ) -> Template:
        """A day or week asked for that cannot be shown or planned: outside the planning
        horizon (``exc``, 422), or no date at all (400). The page (for htmx the day's card)
        says why and which days are open, with a link back to this week."""
        first, last = services.planning_window(clock, settings)
        return page(
            request,
            "presence/day_refused.html" if is_htmx(request) else "presence/week_refused.html",
            status_code=exc.status_code if exc is not None else 400,
            subject=subject,
            week_url=week_url(subject),
            key=asked,
            message=exc.message
            if exc is not None
            else _(
                "“%(value)s” is not a date: write it as yyyy-mm-dd, such as %(example)s.",
                value=asked,
                example=local_today(clock).isoformat(),
            ),
            allowed=_(
                "You can see and plan the days from %(first)s through %(last)s.",
                first=long_date(first),
                last=long_date(last),
            ),
        )

    async def _absence_page(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        clock: Clock,
        settings: Settings,
        user: CurrentUser,
        subject: Person | None,
        *,
        values: dict[str, Any],
        errors: dict[str, str],
        status_code: int = 200,
        done: dict[str, Any] | None = None,
    ) -> Template:
        """The absence form; after a report (``done``) what it did, with the rooms still
        held in the period (asked anew, so a meeting handed over since drops off)."""
        person_id = whose_week(user, subject)
        rooms = []
        if done and done.get("first") and done.get("last"):
            held = await rooms_held_while_absent(db, clock, person_id, done["first"], done["last"])
            rooms = await bookings_out(db, held)
        first, last = services.planning_window(clock, settings)
        return page(
            request,
            "presence/absence.html",
            periods=await absences.absent_periods(db, clock, settings, user, person_id),
            status_code=status_code,
            subject=subject,
            week_url=week_url(subject),
            values=values,
            errors=errors,
            done=done,
            rooms=rooms,
            sees_reason=subject is None or services.sees_absence_reason(user, subject),
            backups=await services.backup_candidates(db, person_id),
            window_first=first,
            window_last=last,
            **formatters(clock),
        )

    async def _absence_refused(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        clock: Clock,
        settings: Settings,
        user: CurrentUser,
        person: int | None,
        form: dict[str, Any],
        exc: FormInvalid | DomainError,
    ) -> Template:
        """The absence form again with what was entered and why it was refused."""
        errors, status_code = await refusal(db, exc)
        subject = await self._subject(db, user, person)  # as the rollback forgot them
        return await self._absence_page(
            request,
            db,
            clock,
            settings,
            user,
            subject,
            values=form,
            errors=errors,
            status_code=status_code,
        )

    @get("/absence")
    async def absence(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        person: FromQuery[int | None] = None,
        first: FromQuery[str | None] = None,
        last: FromQuery[str | None] = None,
        reported: FromQuery[int | None] = None,
        cancelled: FromQuery[int] = 0,
        declined: FromQuery[int] = 0,
        withdrawn: FromQuery[int | None] = None,
        restored: FromQuery[int] = 0,
        not_restored: FromQuery[int] = 0,
        answered: FromQuery[int] = 0,
    ) -> Template:
        subject = await self._subject(db, user, person)
        asked = {"first": date_or(first, None), "last": date_or(last, None)}
        done = None
        if reported is not None or withdrawn is not None:
            done = {
                **asked,
                "reported": reported,
                "cancelled": cancelled,
                "declined": declined,
                "withdrawn": withdrawn,
                "restored": restored,
                "not_restored": not_restored,
                "answered": answered,
            }
        values = {"cancel_desk_bookings": "on", "decline_invitations": "on"} | {
            key: day.isoformat() for key, day in asked.items() if day is not None
        }
        return await self._absence_page(
            request, db, clock, settings, user, subject, values=values, errors={}, done=done
        )

    @post("/absence")
    async def report_absence(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        person: FromQuery[int | None] = None,
    ) -> Template | Redirect:
        subject = await self._subject(db, user, person)
        form = await read_form(request)
        try:
            raw = {
                "first": form.get("first"),
                "last": form.get("last"),
                "absence_reason": str(form.get("absence_reason") or "").strip() or None,
                "note": str(form.get("note") or ""),
                "backup_id": form.get("backup_id") or None,
                "cancel_desk_bookings": bool(form.get("cancel_desk_bookings")),
                "decline_invitations": bool(form.get("decline_invitations")),
            }
            data = convert_form(raw, AbsenceIn, empty_is_none=("backup_id",))
            done = await absences.report_absence(
                db, clock, settings, user, whose_week(user, subject), data
            )
        except (FormInvalid, DomainError) as exc:
            return await self._absence_refused(
                request, db, clock, settings, user, person, form, exc
            )
        return _absence_done(
            subject,
            data,
            reported=len(done.days),
            cancelled=len(done.cancelled_desk_bookings),
            declined=len(done.declined_invitations),
        )

    @post("/absence/withdraw")
    async def withdraw_absence(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        person: FromQuery[int | None] = None,
    ) -> Template | Redirect:
        subject = await self._subject(db, user, person)
        form = await read_form(request)
        try:
            period = convert_form(
                {"first": form.get("first"), "last": form.get("last")}, AbsencePeriod
            )
            done = await absences.withdraw_absence(
                db, clock, settings, user, whose_week(user, subject), period.first, period.last
            )
        except (FormInvalid, DomainError) as exc:
            return await self._absence_refused(
                request, db, clock, settings, user, person, form, exc
            )
        return _absence_done(
            subject,
            period,
            withdrawn=len(done.days),
            restored=len(done.desks.booked),
            not_restored=len(done.desks.not_restored),
            answered=len(done.invitations),
        )

    @post("/{day:str}")
    async def save_day(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        day: FromPath[str],
        person: FromQuery[int | None] = None,
    ) -> Template | Redirect:
        subject = await self._subject(db, user, person)
        on = date_or(day, None)
        if on is None:
            return self._refused_day(request, clock, settings, subject, day)
        try:
            services.check_horizon(clock, settings, on)
        except DomainError as exc:
            return self._refused_day(request, clock, settings, subject, day, exc)
        person_id = whose_week(user, subject)
        form = await read_form(request)
        errors: dict[str, str] = {}
        status_code = 200
        try:
            data = DayIn() if form.get("action") == "reset" else day_in_from_form(form)
            saved = await person_days.set_day(db, clock, settings, user, person_id, on, data)
        except (FormInvalid, DomainError) as exc:
            errors, status_code = await refusal(db, exc)
            # The rollback forgot the colleague loaded before; the card still names them.
            subject = await self._subject(db, user, person)
        if not errors and not is_htmx(request):
            return Redirect(path=f"{week_url(subject)}week={on.isoformat()}&saved={on.isoformat()}")
        if is_htmx(request):
            if errors:
                saved = await person_days.get_day(db, clock, settings, user, person_id, on)
                values = dict(form)
            else:
                values = day_values(saved)
            return page(
                request,
                "presence/day_card.html",
                status_code=status_code,
                day=saved,
                values=values,
                errors=errors,
                just_saved=not errors,
                **await self._card_context(db, clock, user, subject),
            )
        context = await self._context(db, clock, settings, user, subject, on)
        return page(
            request,
            "presence/my_week.html",
            status_code=status_code,
            errors_for={on: errors},
            values_for={on: dict(form)},
            saved=None,
            copied=None,
            kept=0,
            unavailable=0,
            backups_left_out=0,
            **context,
        )

    @get("/pattern")
    async def pattern(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        user: UserDep,
        person: FromQuery[int | None] = None,
        saved: FromQuery[bool] = False,
    ) -> Template:
        subject = await self._subject(db, user, person)
        pattern = await person_days.get_pattern(db, user, whose_week(user, subject))
        values: dict[str, str] = {}
        for day in pattern.days:
            for part_name in ("morning", "afternoon"):
                slot = getattr(day, part_name)
                if slot is not None:
                    values[f"{part_name}_{day.weekday}"] = location_value(
                        slot.kind.value, slot.site_id
                    )
                    if slot.area:
                        values[f"area_{day.weekday}"] = slot.area
            values[f"from_{day.weekday}"] = hhmm(day.reachable_from)
            values[f"until_{day.weekday}"] = hhmm(day.reachable_until)
        return await self._pattern_page(request, db, subject, values, {}, saved=saved)

    async def _pattern_page(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        subject: Person | None,
        values: dict[str, Any],
        errors: dict[str, str],
        *,
        status_code: int = 200,
        saved: bool = False,
    ) -> Template:
        return page(
            request,
            "presence/pattern.html",
            status_code=status_code,
            subject=subject,
            week_url=week_url(subject),
            values=values,
            errors=errors,
            saved=saved,
            weekdays=[(n, _(WEEKDAY_NAMES[n])) for n in range(7)],
            location_options=location_options(await services.workplace_sites(db)),
            default_from=hhmm(services.DEFAULT_REACHABLE_FROM),
            default_until=hhmm(services.DEFAULT_REACHABLE_UNTIL),
        )

    @post("/pattern")
    async def save_pattern(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        person: FromQuery[int | None] = None,
    ) -> Template | Redirect:
        subject = await self._subject(db, user, person)
        form = await read_form(request)
        try:
            days = []
            for weekday in range(7):
                slots: dict[str, PatternSlotIn | None] = {}
                area = str(form.get(f"area_{weekday}") or "").strip() or None
                for part_name in ("morning", "afternoon"):
                    location = parse_location(
                        form.get(f"{part_name}_{weekday}"), f"days.{weekday}.{part_name}"
                    )
                    slots[part_name] = (
                        PatternSlotIn(
                            kind=location[0],
                            site_id=location[1],
                            area=area if location[0] is WorkKind.ON_LOCATION else None,
                        )
                        if location is not None
                        else None
                    )
                days.append(
                    PatternDayIn(
                        weekday=weekday,
                        morning=slots["morning"],
                        afternoon=slots["afternoon"],
                        reachable_from=parse_time(
                            form.get(f"from_{weekday}"), f"days.{weekday}.reachable_from"
                        ),
                        reachable_until=parse_time(
                            form.get(f"until_{weekday}"), f"days.{weekday}.reachable_until"
                        ),
                    )
                )
            await person_days.set_pattern(
                db, clock, user, whose_week(user, subject), PatternIn(days=days)
            )
        except (FormInvalid, DomainError) as exc:
            errors, status_code = await refusal(db, exc)
        else:
            return Redirect(path=f"{week_url(subject, '/pattern')}saved=true")
        subject = await self._subject(db, user, person)  # as the rollback forgot them
        errors = {pattern_field(name): text for name, text in errors.items()}
        return await self._pattern_page(request, db, subject, form, errors, status_code=status_code)


# --- KCC finder and team boards -----------------------------------------------------------


class FinderPages(Controller):
    tags = ["pages"]
    include_in_schema = False
    guards = [login_required]
    dependencies = USER

    @get("/kcc")
    async def finder(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        q: FromQuery[str] = "",
        created: FromQuery[str | None] = None,
    ) -> Template:
        q = search_text(q[:100])
        found = await finder.kcc_search(db, clock, user, q)
        context = {
            "q": q,
            "results": found.statuses,
            "more": found.more,
            "too_short": finder.search_too_short(q),
            "suggestions": found.suggestions,
            "may_leave_notes": user.has_role(Role.KCC),
            **formatters(clock),
        }
        if is_htmx(request) and request.headers.get("hx-target") == "kcc-results":
            # The rows, and (out of band) what was found for the live region #kcc-count.
            return page(request, "presence/kcc_rows.html", oob=True, **context)
        return page(
            request,
            "presence/kcc.html",
            teams=await list_teams(db),
            note_left=await callback_notes.note_left_by(db, user, int_or_none(created)),
            **context,
        )

    @get("/teams/board")
    async def choose_board(self, user: UserDep, team: FromQuery[int | None] = None) -> Redirect:
        """The board of the team chosen, else of one's own team (the one led first), else
        the finder, where a team can be chosen."""
        own = sorted(user.lead_team_ids) + sorted(user.team_ids)
        chosen = team if team is not None else next(iter(own), None)
        if chosen is None:
            return Redirect(path="/kcc")
        return Redirect(path=f"/teams/{chosen}/board")

    @get("/teams/{team_id:int}/board")
    async def board(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        team_id: FromPath[int],
        day: Annotated[str | None, QueryParameter(name="date")] = None,
    ) -> Template:
        board = await finder.team_board(db, clock, settings, user, team_id, date_or(day, None))
        return self._board(
            request,
            clock,
            user,
            board,
            "presence/board.html",
            # Opened on the week one plans (no date): its refresh follows that week.
            following=day is None,
            previous_week=board.days[0] - timedelta(days=7),
            next_week=board.days[0] + timedelta(days=7),
            teams=await list_teams(db),
            may_subscribe=may_subscribe(user, FeedScope.TEAM, team_id),
            may_see_absences=absences.may_see_team_absences(user, team_id),
        )

    @get("/teams/{team_id:int}/board/table")
    async def board_table(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        team_id: FromPath[int],
        day: Annotated[str | None, QueryParameter(name="date")] = None,
        following: Annotated[str | None, QueryParameter()] = None,
    ) -> Template | Redirect | Response[bytes]:
        """The board's table, which its page fetches again every minute, so that a board
        left open shows who is reachable now; opened on its own, that page.

        A page showing the week one plans asks with ``following`` (that week's Monday)
        instead of a date: once the week one plans is another (the weekend began), the
        whole page is loaded again (``HX-Refresh``), its heading and week links with it,
        rather than last week's days staying on a board left open over the weekend."""
        if not is_htmx(request):
            query = f"?{urlencode({'date': day})}" if day else ""
            return Redirect(path=f"/teams/{team_id}/board{query}")
        board = await finder.team_board(db, clock, settings, user, team_id, date_or(day, None))
        if following is not None and day is None and date_or(following, None) != board.days[0]:
            return Response(b"", headers={"HX-Refresh": "true"})
        return self._board(request, clock, user, board, "presence/_board.html")

    @staticmethod
    def _board(
        request: Request[Any, Any, Any],
        clock: Clock,
        user: CurrentUser,
        board: BoardOut,
        template: str,
        **context: Any,
    ) -> Template:
        return page(
            request,
            template,
            board=board,
            present=finder.present_per_part(board),
            may_plan=services.may_plan_team(user, board.team.id),
            **formatters(clock),
            **context,
        )

    @get("/teams/{team_id:int}/absences")
    async def team_absences(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        team_id: FromPath[int],
        start: Annotated[str | None, QueryParameter(name="from")] = None,
    ) -> Template:
        found = await absences.team_absences(
            db, clock, settings, user, team_id, date_or(start, None)
        )
        weeks = [
            found.days[n : n + services.WORKWEEK]
            for n in range(0, len(found.days), services.WORKWEEK)
        ]
        return page(
            request,
            "presence/team_absences.html",
            found=found,
            weeks=weeks,
            weekday_names=[_(WEEKDAY_NAMES[n]) for n in range(services.WORKWEEK)],
            previous_weeks=found.first - timedelta(weeks=absences.TEAM_WEEKS),
            next_weeks=found.first + timedelta(weeks=absences.TEAM_WEEKS),
            **formatters(clock),
        )


# --- callback notes -----------------------------------------------------------------------


class CallbackNotePages(Controller):
    path = "/callback-notes"
    tags = ["pages"]
    include_in_schema = False
    guards = [login_required]
    dependencies = USER

    async def _page(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        clock: Clock,
        settings: Settings,
        user: CurrentUser,
        *,
        person: int | None = None,
        show_done: bool = False,
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
        created: int | None = None,
        removed: bool = False,
        q: str = "",
    ) -> Template:
        """``values``: the note form as sent, shown again (its colleague box narrowing the
        colleagues offered). A colleague not reachable now is said so above the form, with
        when they are again and their backup, so that the resident hears how long the
        callback may take."""
        is_kcc = user.has_role(Role.KCC)
        addressee = None
        if is_kcc and person is not None:
            try:
                addressee = await services.get_active_person(db, person)
            except DomainError:
                addressee = None
        values = values or {}
        people = None
        if is_kcc and addressee is None:
            people = await colleague_choices(
                db,
                containing=people_search(values).text,
                keep=int_or_none(values.get("person_id")),
            )
        return page(
            request,
            "presence/callback_notes.html",
            status_code=status_code,
            notes=await callback_notes.callback_notes_for(db, user, include_done=show_done),
            show_done=show_done,
            is_kcc=is_kcc,
            sent=await callback_notes.callback_notes_created_by(db, user) if is_kcc else [],
            addressee=addressee,
            addressee_status=(
                await services.person_status(db, clock, settings, user, addressee.id)
                if addressee is not None
                else None
            ),
            people=people,
            values=values,
            errors=errors or {},
            note_left=await callback_notes.note_left_by(db, user, created),
            removed=removed,
            q=q,
            **formatters(clock),
        )

    @get("/")
    async def notes(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        person: FromQuery[int | None] = None,
        done: FromQuery[bool] = False,
        created: FromQuery[str | None] = None,
        removed: FromQuery[bool] = False,
        q: FromQuery[str] = "",
    ) -> Template:
        """``q``: the finder's search the note was started from, to go back to."""
        return await self._page(
            request,
            db,
            clock,
            settings,
            user,
            person=person,
            show_done=done,
            created=int_or_none(created),
            removed=removed,
            q=search_text(q[:100]),
        )

    @post("/", guards=[role_required(Role.KCC)])
    async def create(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
    ) -> Template | Redirect:
        """Back to the finder's search the note was started from (``q``), else to this
        page, saying for whom the note was left (``?created=<id>``): a refresh shows that
        again instead of leaving the note twice. A search in the colleague box without the
        script (its Search button, or a name typed since the form was drawn:
        ``people_search``) only shows the form again, everything typed kept, the
        colleagues narrowed: the question and number stay out of the address."""
        form = await read_form(request)
        person_text = str(form.get("person_id") or "")
        q = search_text(str(form.pop("q", None) or "")[:100])
        if people_search(form).asked:
            return await self._page(request, db, clock, settings, user, values=form, q=q)
        try:
            data = convert_form(form, CallbackNoteIn)
            note = await callback_notes.create_callback_note(db, clock, user, data)
        except FormInvalid as exc:
            errors, status_code = callback_note_errors(exc.errors), 422
        except DomainError as exc:
            await db.rollback()
            errors, status_code = form_error(exc), exc.status_code
        else:
            back = "/kcc" if q else "/callback-notes"
            query = urlencode({"q": q, "created": note.id} if q else {"created": note.id})
            return Redirect(path=f"{back}?{query}")
        return await self._page(
            request,
            db,
            clock,
            settings,
            user,
            person=int(person_text) if person_text.isdigit() else None,
            values=form,
            errors=errors,
            status_code=status_code,
            q=q,
        )

    @post("/{note_id:int}/done")
    async def mark_done(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        note_id: FromPath[int],
    ) -> Template | Redirect:
        note = await callback_notes.set_callback_note_done(db, clock, user, note_id, True)
        return await _note_changed(request, db, clock, user, note)

    @post("/{note_id:int}/reopen")
    async def reopen(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        note_id: FromPath[int],
    ) -> Template | Redirect:
        note = await callback_notes.set_callback_note_done(db, clock, user, note_id, False)
        return await _note_changed(request, db, clock, user, note)

    @post("/{note_id:int}/delete")
    async def remove(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        note_id: FromPath[int],
    ) -> Template | Redirect:
        """Asks first on a page of its own, naming the note: a note removed by mistake
        cannot be brought back, and the colleague no longer sees the resident waiting."""
        if (await read_form(request)).get("confirmed") != "1":
            note = await callback_notes.note_left_by(db, user, note_id)
            if note is not None:
                return page(
                    request, "presence/note_remove_confirm.html", note=note, **formatters(clock)
                )
        await callback_notes.delete_callback_note(db, clock, user, note_id)
        return Redirect(path="/callback-notes?removed=true")


def callback_note_errors(errors: dict[str, str]) -> dict[str, str]:
    """The form's errors, a callback number with other signs than a phone number has (a
    letter), which the form's checks call only "not valid", named as such; an empty or
    too long one keeps its own message. No colleague chosen is said as such, not as a
    number missing."""
    if "person_id" in errors:
        errors = {**errors, "person_id": _("Choose a colleague.")}
    if errors.get("callback_number") == _("This value is not valid."):
        errors = {
            **errors,
            "callback_number": _(
                "A callback number has at least %(digits)s digits and besides them only"
                " spaces and + ( ) -, such as 06 12345678.",
                digits=callback_notes.CALLBACK_MIN_DIGITS,
            ),
        }
    return errors


async def _back(request: Request[Any, Any, Any]) -> str:
    """Back where the form came from (the home page or the notes page)."""
    form = await read_form(request)
    return safe_next(form.get("next") or "/callback-notes")


async def _note_changed(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    clock: Clock,
    user: CurrentUser,
    note: CallbackNoteOut,
) -> Template | Redirect:
    """Without htmx back where the form came from; with htmx the note as it is now, saying
    what changed (focus goes there, never to the resident's number), and on the home page
    also its heading with the new number of open notes."""
    back = await _back(request)
    if not is_htmx(request):
        return Redirect(path=back)
    context = {**formatters(clock)}
    if back == "/":
        context["home_count"] = await callback_notes.count_open_callback_notes(db, user.id)
    return page(request, "presence/note_item.html", note=note, changed=True, **context)


ROUTES = [MyWeekPages, FinderPages, CallbackNotePages]
