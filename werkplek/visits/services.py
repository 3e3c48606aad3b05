"""Field visits: planning, check-in and check-out, overdue alerts, the safety board.

Who sees what:
- the visitors, the team leads of the visitors' teams and those teams' safety contacts
  (together: the visit's guardians) see everything, including the address;
- every other colleague (the KCC too) sees who goes, when, and the area only;
- admins receive escalations and see the address while an escalation is open.
Every time the address is shown to someone other than a visitor an audit event
``view_address`` is recorded, so the visitors can see who looked it up.

Overdue: a visit still open ``visit_grace_minutes`` after its planned end raises one
alert (level 1) to the guardians; if nobody acknowledges it within
``visit_escalation_minutes`` it escalates once (level 2), also to the admins or the
configured escalation address. Check-out, extension and cancellation resolve alerts.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

import msgspec
from sqlalchemy import Select, and_, bindparam, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import lazyload
from sqlalchemy.sql.elements import BindParameter, ColumnElement

from werkplek.audit.models import AuditEvent
from werkplek.audit.services import record, record_saved
from werkplek.bookings.models import ACTIVE_STATUS_VALUES, Booking
from werkplek.clock import AMSTERDAM, Clock, local_midnight, local_today
from werkplek.config import Settings
from werkplek.db import (
    ids_param,
    in_ids,
    lock_for_write,
    mark_changed,
    one_of,
    select_rows,
)
from werkplek.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    read_date_time,
    read_instant,
    refuse_all,
)
from werkplek.i18n import N_, _, ngettext, using_language
from werkplek.labels import clock_time, day_and_date, glance_date, long_date, time_range
from werkplek.mail import Mail
from werkplek.notifications import services as notify
from werkplek.notifications.models import MailKind
from werkplek.notifications.outbox import (
    addressed_to,
    cancel_mail,
    delivered_refs,
    queue_mail,
    send_due_mail,
    take_over_unsent,
    withdraw_mail,
)
from werkplek.notifications.render import signed
from werkplek.people.models import Person, PersonRole, Role, Team, TeamMembership
from werkplek.people.security import mac
from werkplek.people.services import CurrentUser
from werkplek.rooms.models import Site, Space, SpaceKind
from werkplek.visits.models import (
    OPEN_STATUS_VALUES,
    AlertLevel,
    FieldVisit,
    FieldVisitor,
    VisitAlert,
    VisitSafetyContact,
    VisitStatus,
)
from werkplek.visits.schemas import (
    EXTENSION_MINUTES,
    AddressViewOut,
    AlertOut,
    BookingRef,
    PersonRef,
    SafetyBoardOut,
    SafetyContactIn,
    SafetyContactOut,
    VisitChangeIn,
    VisitIn,
    VisitorOut,
    VisitOut,
)

logger = logging.getLogger("werkplek.visits")

#: The longest a visit may last, extensions included.
MAX_DURATION = timedelta(hours=12)
#: Visits that ended longer ago than this raise no new alerts (nor show on the board).
LOOKBACK = timedelta(hours=24)
#: The longest date range "my visits" lists at once.
MAX_LIST_DAYS = 92
#: Presence's half days: the morning ends here (Europe/Amsterdam).
DAY_SPLIT = time(13, 0)

OBJECT_TYPE = "field_visit"


class VisitClosed(Conflict):
    code = "visit_closed"


class CheckInTooEarly(Conflict):
    code = "check_in_too_early"


class CheckInTooLate(Conflict):
    code = "check_in_too_late"


class VisitNotUnderWay(Conflict):
    code = "visit_not_under_way"


class VisitUnderWay(Conflict):
    """A visit under way (or past its planned start) is no longer changed: extend it, or
    check out."""

    code = "visit_under_way"


class TwoPeopleRequired(InvalidInput):
    code = "two_people_required"


class VisitorAbsent(InvalidInput):
    code = "visitor_absent"


class VisitorElsewhere(InvalidInput):
    code = "visitor_elsewhere"


class TimeSkipped(InvalidInput):
    """A local time the clocks skip when summer time starts."""

    code = "time_skipped"


# --- small helpers ------------------------------------------------------------------------


#: Refusals of a local time that does not exist, per input field.
_SKIPPED_TIME = {
    "start": N_(
        "The start time %(time)s does not exist on %(date)s: "
        "the clocks go forward an hour for summer time."
    ),
    "end": N_(
        "The end time %(time)s does not exist on %(date)s: "
        "the clocks go forward an hour for summer time."
    ),
}


def as_instant(text: str, field: Literal["start", "end"]) -> datetime:
    """A date-time from input (``errors.read_date_time``), for ``field``: without a zone it
    is Amsterdam time.

    A local time the clocks skip when summer time starts (02:00-03:00 on the last Sunday
    of March) is refused. One that happens twice when summer time ends (02:00-03:00 on
    the last Sunday of October) is its first occurrence, still in summer time.
    """
    typed = read_date_time(text, field)
    instant = read_instant(text, field)
    if typed.tzinfo is None and instant.replace(tzinfo=None) != typed:
        raise TimeSkipped(
            _(_SKIPPED_TIME[field], time=typed.strftime("%H:%M"), date=day_and_date(typed.date())),
            field=field,
        )
    return instant.astimezone(UTC)


def local(at: datetime) -> datetime:
    return at.astimezone(AMSTERDAM)


def _local_or_none(at: datetime | None) -> datetime | None:
    return local(at) if at is not None else None


def covered_half_days(start: datetime, end: datetime) -> list[tuple[date, str]]:
    """The (date, ``morning``/``afternoon``) pairs [start, end) overlaps, in Amsterdam."""
    covered: list[tuple[date, str]] = []
    day = local(start).date()
    while local_midnight(day) < end:
        split = datetime.combine(day, DAY_SPLIT, tzinfo=AMSTERDAM).astimezone(UTC)
        if start < split and end > local_midnight(day):
            covered.append((day, "morning"))
        if start < local_midnight(day + timedelta(days=1)) and end > split:
            covered.append((day, "afternoon"))
        day += timedelta(days=1)
    return covered


def _clean(text: str) -> str:
    return " ".join(text.split())


# --- who looks after whom -----------------------------------------------------------------


async def teams_of(session: AsyncSession, person_ids: Iterable[int]) -> dict[int, set[int]]:
    """The team ids of each person."""
    ids = sorted(set(person_ids))
    found: dict[int, set[int]] = defaultdict(set)
    if ids:
        rows = await session.execute(
            select(TeamMembership.person_id, TeamMembership.team_id).where(
                TeamMembership.person_id.in_(ids)
            )
        )
        for person_id, team_id in rows:
            found[person_id].add(team_id)
    return found


async def guarded_team_ids(session: AsyncSession, viewer: CurrentUser) -> set[int]:
    """Teams whose visits ``viewer`` looks after: as team lead or as safety contact."""
    rows = await session.execute(
        select(VisitSafetyContact.team_id).where(VisitSafetyContact.person_id == viewer.id)
    )
    return set(viewer.lead_team_ids) | set(rows.scalars())


async def guardian_ids(session: AsyncSession, visitor_ids: Iterable[int]) -> set[int]:
    """Team leads and safety contacts of the visitors' teams (active people, not visitors)."""
    visitors = set(visitor_ids)
    team_ids = {t for teams in (await teams_of(session, visitors)).values() for t in teams}
    if not team_ids:
        return set()
    leads = select(TeamMembership.person_id).where(
        TeamMembership.team_id.in_(team_ids), TeamMembership.is_lead.is_(True)
    )
    contacts = select(VisitSafetyContact.person_id).where(VisitSafetyContact.team_id.in_(team_ids))
    rows = await session.execute(
        select(Person.id).where(
            Person.active.is_(True), or_(Person.id.in_(leads), Person.id.in_(contacts))
        )
    )
    return set(rows.scalars()) - visitors


def plans_for(actor: CurrentUser, person_ids: Iterable[int], teams: dict[int, set[int]]) -> bool:
    """Whether ``actor`` may plan a visit for these people (``teams``: their team ids, from
    ``teams_of``): for themselves (with a colleague), as team lead of the team of each of
    them, or as admin. Changing a visit asks the same of its visitors before and after."""
    ids = set(person_ids)
    return (
        actor.is_admin
        or actor.id in ids
        or all(teams.get(pid, set()) & actor.lead_team_ids for pid in ids)
    )


async def require_plans_for(
    session: AsyncSession, actor: CurrentUser, person_ids: Collection[int]
) -> None:
    """``plans_for``, or 403 at ``visitor_ids``."""
    if not plans_for(actor, person_ids, await teams_of(session, person_ids)):
        raise Forbidden(
            _("You can plan visits for yourself, or as team lead for your team."),
            field="visitor_ids",
        )


@dataclass(frozen=True)
class Access:
    """What one viewer may see and do with one visit."""

    is_visitor: bool
    is_guardian: bool
    is_admin: bool
    is_creator: bool
    open_escalation: bool
    #: May plan a visit for its visitors (``plans_for``).
    plans_for_visitors: bool = False

    @property
    def may_change(self) -> bool:
        """Who may change a planned visit: its planner, or whoever may plan it for its
        visitors (a visitor, the team lead of each of them, an admin)."""
        return self.is_creator or self.plans_for_visitors

    @property
    def sees_address(self) -> bool:
        return self.is_visitor or self.is_guardian or (self.is_admin and self.open_escalation)

    @property
    def looks_after(self) -> bool:
        """May act for the visitors: check out on their behalf, extend, acknowledge."""
        return self.is_visitor or self.is_guardian or self.is_admin


def can_acknowledge(access: Access) -> bool:
    """Who may take up a visit's alert ("I am taking this up"), on the safety board and in
    the API alike: a team lead or safety contact of the visitors' teams, or an admin, but
    never a visitor, even one who leads the team: the alert is about them, and their
    acknowledging it would stop its escalation with nobody having reached them."""
    return (access.is_guardian or access.is_admin) and not access.is_visitor


def _access(
    viewer: CurrentUser,
    visit: FieldVisit,
    visitor_teams: dict[int, set[int]],
    guarded: set[int],
    alerts: Sequence[VisitAlert],
) -> Access:
    teams = {t for pid in visit.visitor_ids for t in visitor_teams.get(pid, set())}
    return Access(
        is_visitor=viewer.id in visit.visitor_ids,
        is_guardian=bool(teams & guarded),
        is_admin=viewer.is_admin,
        is_creator=viewer.id == visit.created_by_id,
        open_escalation=any(
            a.level == AlertLevel.ESCALATION and a.resolved_at is None for a in alerts
        ),
        plans_for_visitors=plans_for(viewer, visit.visitor_ids, visitor_teams),
    )


# --- reading visits -----------------------------------------------------------------------


@dataclass
class Loaded:
    """Visits with what is needed to show them, loaded in a fixed number of queries."""

    visits: list[FieldVisit]
    people: dict[int, Person]
    alerts: dict[int, list[VisitAlert]]
    bookings: dict[int, BookingRef]
    visitor_teams: dict[int, set[int]]
    guarded: set[int]


async def _load(session: AsyncSession, viewer: CurrentUser, visits: Sequence[FieldVisit]) -> Loaded:
    visit_ids = [v.id for v in visits]
    person_ids = {pid for v in visits for pid in v.visitor_ids}
    person_ids |= {
        a for v in visits for a in (v.checked_in_by_id, v.checked_out_by_id) if a is not None
    }
    alerts: dict[int, list[VisitAlert]] = defaultdict(list)
    if visit_ids:
        for alert in (
            await session.execute(
                select(VisitAlert)
                .where(VisitAlert.visit_id.in_(visit_ids))
                .order_by(VisitAlert.raised_at, VisitAlert.level)
            )
        ).scalars():
            alerts[alert.visit_id].append(alert)
            if alert.acknowledged_by_id is not None:
                person_ids.add(alert.acknowledged_by_id)
    people: dict[int, Person] = {}
    if person_ids:
        people = {
            p.id: p
            for p in (
                await session.execute(
                    select(Person)
                    .where(Person.id.in_(person_ids))
                    .options(
                        lazyload(Person.roles),
                        lazyload(Person.topics),
                        lazyload(Person.memberships),
                    )
                )
            ).scalars()
        }
    bookings: dict[int, BookingRef] = {}
    booking_ids = {v.booking_id for v in visits if v.booking_id is not None}
    if booking_ids:
        rows = await session.execute(
            select(Booking.id, Space.name, Site.name, Booking.start_at, Booking.end_at)
            .join(Space, Space.id == Booking.space_id)
            .join(Site, Site.id == Booking.site_id)
            .where(Booking.id.in_(booking_ids))
        )
        for booking_id, space_name, site_name, start_at, end_at in rows:
            bookings[booking_id] = BookingRef(
                id=booking_id,
                space_name=space_name,
                site_name=site_name,
                start=local(start_at),
                end=local(end_at),
            )
    return Loaded(
        visits=list(visits),
        people=people,
        alerts=alerts,
        bookings=bookings,
        visitor_teams=await teams_of(session, {pid for v in visits for pid in v.visitor_ids}),
        guarded=await guarded_team_ids(session, viewer),
    )


def alert_out(alert: VisitAlert, people: dict[int, Person], access: Access) -> AlertOut:
    by = people.get(alert.acknowledged_by_id) if alert.acknowledged_by_id else None
    return AlertOut(
        id=alert.id,
        visit_id=alert.visit_id,
        level="escalation" if alert.level == AlertLevel.ESCALATION else "overdue",
        raised_at=local(alert.raised_at),
        due_end=local(alert.due_end),
        acknowledged_by=PersonRef(id=by.id, name=by.name) if by is not None else None,
        acknowledged_at=_local_or_none(alert.acknowledged_at),
        resolved_at=_local_or_none(alert.resolved_at),
        can_acknowledge=can_acknowledge(access)
        and alert.acknowledged_at is None
        and alert.resolved_at is None,
    )


def _wall_instant(day: date, clock_time: time) -> datetime:
    """A date and a clock time in Amsterdam as an instant (a time the clocks skip or pass
    twice as ``as_instant`` reads it, without refusing it)."""
    return datetime.combine(day, clock_time, tzinfo=AMSTERDAM).astimezone(UTC)


def end_day(day: date, start: time, end: time) -> date:
    """The day a visit given as one date and two times ends: the next day when the end is
    before the start and the night between fits in a visit (22:00-02:00); else the same
    day, so swapped times (15:00-14:00) are refused as an end before the start.

    The night fits when it does by the clock or by the time that passes, which differ by
    an hour when the clocks change: 21:00-09:30 into the start of summer time is 11½
    hours, 22:00-09:30 into its end 12½ hours, refused as too long, not as swapped."""
    if end >= start:
        return day
    next_day = day + timedelta(days=1)
    by_clock = datetime.combine(next_day, end) - datetime.combine(day, start)
    passing = _wall_instant(next_day, end) - _wall_instant(day, start)
    return next_day if min(by_clock, passing) <= MAX_DURATION else day


def _reads_back(at: datetime) -> bool:
    """Whether ``at`` written as a local date and time is read as ``at`` again: not so in
    the hour the clocks pass twice in autumn, whose second time reads as the first."""
    wall = local(at)
    return _wall_instant(wall.date(), wall.time().replace(fold=0)) == at


def proposed_window(
    now: datetime, busy: Sequence[tuple[datetime, datetime]] = ()
) -> tuple[datetime, datetime]:
    """The visit a new plan form proposes: from the next full hour for an hour, in
    Amsterdam, and after the planner's own visits in ``busy`` that it would overlap (the
    form would refuse it, ``visitor_elsewhere``). Counted in time that passes, so it never
    proposes a time the clocks skip; a time they pass twice moves on to the next hour, as
    the form's clock times could only name its first occurrence (01:30 on the last Sunday
    of October proposes 02:00-03:00, two hours)."""
    start = _full_hour_from(now + timedelta(hours=1))
    while True:
        while not _reads_back(start):
            start += timedelta(hours=1)
        end = start + timedelta(hours=1)
        while not _reads_back(end):
            end += timedelta(hours=1)
        overlapped = max((e for s, e in busy if s < end and e > start), default=None)
        if overlapped is None:
            return local(start), local(end)
        start = _full_hour_from(overlapped + timedelta(hours=1) - timedelta(microseconds=1))


def _full_hour_from(at: datetime) -> datetime:
    """The full hour (UTC, which Amsterdam's whole-hour offsets share) ``at`` lies in."""
    return at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


#: How far ahead the plan form looks for the planner's own visits to propose a time after.
PROPOSAL_LOOKAHEAD = timedelta(days=2)


async def proposed_window_for(
    session: AsyncSession, clock: Clock, planner: CurrentUser
) -> tuple[datetime, datetime]:
    """``proposed_window`` after the planner's own visits (those not cancelled)."""
    now = clock.now()
    stays = await time_on_location(session, [planner.id], now, now + PROPOSAL_LOOKAHEAD)
    return proposed_window(now, [(stay.start, stay.end) for stay in stays])


def check_in_window(visit: FieldVisit) -> tuple[datetime, datetime]:
    """When arriving can be recorded: from the start of the visit's first day to the end
    of its last day (Amsterdam). Later, a check-in would mark someone on location days
    after the visit, whose alerts have long stopped."""
    last_day = local(visit.planned_end).date()
    return local_midnight(local(visit.planned_start).date()), local_midnight(
        last_day + timedelta(days=1)
    )


def _within(now: datetime, window: tuple[datetime, datetime]) -> bool:
    return window[0] <= now < window[1]


def under_way(visit: FieldVisit, now: datetime) -> bool:
    """Whether leaving and more time make sense: on arrival (checked in), or from the
    planned start when nobody checked in (forgotten, or the phone died). Before that a
    check-out would close a visit nobody has started, which is then never watched."""
    return visit.state is VisitStatus.CHECKED_IN or now >= visit.planned_start


def visit_out(
    visit: FieldVisit,
    loaded: Loaded,
    viewer: CurrentUser,
    now: datetime,
    *,
    with_address: bool = True,
) -> VisitOut:
    """The visit as ``viewer`` may see it; ``with_address=False`` leaves private parts out
    even for those allowed (the safety board: the address is shown on request)."""
    alerts = loaded.alerts.get(visit.id, [])
    access = _access(viewer, visit, loaded.visitor_teams, loaded.guarded, alerts)
    private = access.sees_address and with_address
    status = visit.state
    started = under_way(visit, now)
    return VisitOut(
        id=visit.id,
        status=status.value,
        area=visit.area,
        start=local(visit.planned_start),
        end=local(visit.planned_end),
        two_person_required=visit.two_person_required,
        visitors=[
            VisitorOut(id=pid, name=person.name, mobile=person.mobile)
            for pid in visit.visitor_ids
            if (person := loaded.people.get(pid)) is not None
        ],
        address_visible=private,
        address=visit.address if private else None,
        purpose=visit.purpose if private else None,
        booking=(
            loaded.bookings.get(visit.booking_id)
            if private and visit.booking_id is not None
            else None
        ),
        checked_in_at=_local_or_none(visit.checked_in_at),
        checked_out_at=_local_or_none(visit.checked_out_at),
        checked_out_by=(
            PersonRef(id=by.id, name=by.name)
            if visit.checked_out_by_id is not None
            and (by := loaded.people.get(visit.checked_out_by_id)) is not None
            else None
        ),
        cancelled_at=_local_or_none(visit.cancelled_at),
        late=status.is_open and now >= visit.planned_end,
        alerts=[alert_out(a, loaded.people, access) for a in alerts] if access.looks_after else [],
        can_check_in=access.is_visitor
        and status is VisitStatus.PLANNED
        and _within(now, check_in_window(visit)),
        can_check_out=access.looks_after and status.is_open and started,
        can_extend=access.looks_after and status.is_open and started,
        can_cancel=(access.looks_after or access.is_creator) and status is VisitStatus.PLANNED,
        can_change=access.may_change and status is VisitStatus.PLANNED and not started,
    )


async def _get(session: AsyncSession, visit_id: int) -> FieldVisit:
    visit = await session.get(FieldVisit, visit_id)
    if visit is None:
        raise NotFound(_("No such visit."))
    return visit


async def _one_access(session: AsyncSession, viewer: CurrentUser, visit: FieldVisit) -> Access:
    alerts = (
        (await session.execute(select(VisitAlert).where(VisitAlert.visit_id == visit.id)))
        .scalars()
        .all()
    )
    return _access(
        viewer,
        visit,
        await teams_of(session, visit.visitor_ids),
        await guarded_team_ids(session, viewer),
        alerts,
    )


async def _out(
    session: AsyncSession,
    clock: Clock,
    viewer: CurrentUser,
    visit: FieldVisit,
    *,
    show_address: bool = False,
) -> VisitOut:
    """One visit as the answer to ``viewer``: every service answering with a single visit
    goes through here.

    The private parts (address, purpose, booked room) are in every answer to a visitor;
    to the others allowed to see them only with ``show_address`` (asking for the visit
    itself), and then the look is recorded. So the answers to actions (planning, check-in
    and -out, extending, cancelling) never show a team lead the address unrecorded: they
    read it on the visit, as its page does after an action.
    """
    loaded = await _load(session, viewer, [visit])
    is_visitor = viewer.id in visit.visitor_ids
    out = visit_out(visit, loaded, viewer, clock.now(), with_address=show_address or is_visitor)
    if out.address_visible and not is_visitor:
        await record(
            session,
            clock,
            actor_id=viewer.id,
            action="view_address",
            object_type=OBJECT_TYPE,
            object_id=visit.id,
        )
    return out


async def get_visit(
    session: AsyncSession, clock: Clock, viewer: CurrentUser, visit_id: int
) -> VisitOut:
    """One visit; showing the address to anyone but a visitor is recorded, so it is a
    writer from the start."""
    await lock_for_write(session)
    visit = await _get(session, visit_id)
    return await _out(session, clock, viewer, visit, show_address=True)


async def visit_to_confirm(
    session: AsyncSession, clock: Clock, viewer: CurrentUser, visit_id: int
) -> VisitOut:
    """One visit to name on a page that asks before an action: without the address for
    anyone but its visitors, so asking records no look at it."""
    return await _out(session, clock, viewer, await _get(session, visit_id))


async def visit_to_change(
    session: AsyncSession,
    clock: Clock,
    viewer: CurrentUser,
    visit_id: int,
    *,
    show_address: bool = True,
) -> VisitOut:
    """One visit for its change form: only for whoever may change it (403) while it can be
    changed (409, as ``change_visit``); the address to fill the form with is shown (and
    recorded for anyone but a visitor) only with ``show_address``."""
    if show_address:
        await lock_for_write(session)
    visit = await _get(session, visit_id)
    if not (await _one_access(session, viewer, visit)).may_change:
        raise Forbidden(_("You cannot change this visit."))
    _refuse_unless_planned(visit, clock.now())
    return await _out(session, clock, viewer, visit, show_address=show_address)


async def my_visits(
    session: AsyncSession,
    clock: Clock,
    viewer: CurrentUser,
    first: date | None = None,
    last: date | None = None,
) -> list[VisitOut]:
    """The viewer's visits (as a visitor) overlapping the days ``first``..``last``."""
    return await _visits_between(
        session, clock, viewer, FieldVisit.id.in_(_visits_of(viewer.id)), first, last
    )


def _visits_of(person_id: int) -> Select[int]:
    """The ids of the visits the person goes on."""
    return select(FieldVisitor.visit_id).where(FieldVisitor.person_id == person_id)


async def visits_planned_for_others(
    session: AsyncSession, clock: Clock, viewer: CurrentUser, first: date, last: date
) -> list[VisitOut]:
    """The visits the viewer planned without going (a team lead for a member) overlapping
    the days ``first``..``last``, so that they can find them again; without the address,
    whose every look by someone other than the visitors is recorded on the visit itself."""
    return await _visits_between(
        session,
        clock,
        viewer,
        (FieldVisit.created_by_id == viewer.id) & FieldVisit.id.not_in(_visits_of(viewer.id)),
        first,
        last,
        with_address=False,
    )


async def _visits_between(
    session: AsyncSession,
    clock: Clock,
    viewer: CurrentUser,
    which: ColumnElement[bool],
    first: date | None,
    last: date | None,
    *,
    with_address: bool = True,
) -> list[VisitOut]:
    today = local_today(clock)
    first = first or today
    last = last or first
    if last < first:
        raise InvalidInput(_("The last day must not be before the first."), field="to")
    if (last - first).days >= MAX_LIST_DAYS:
        raise InvalidInput(
            _("Ask for at most %(days)s days at once.", days=MAX_LIST_DAYS), field="to"
        )
    visits = (
        (
            await session.execute(
                select(FieldVisit)
                .where(
                    which,
                    FieldVisit.planned_start < local_midnight(last + timedelta(days=1)),
                    FieldVisit.planned_end > local_midnight(first),
                )
                .order_by(FieldVisit.planned_start, FieldVisit.id)
            )
        )
        .scalars()
        .all()
    )
    loaded = await _load(session, viewer, visits)
    now = clock.now()
    return [visit_out(v, loaded, viewer, now, with_address=with_address) for v in visits]


async def visits_today(session: AsyncSession, clock: Clock, viewer: CurrentUser) -> list[VisitOut]:
    """For the phone page: today's visits, and earlier ones still not checked out."""
    now = clock.now()
    today = local_today(clock)
    visits = (
        (
            await session.execute(
                select(FieldVisit)
                .where(
                    FieldVisit.id.in_(_visits_of(viewer.id)),
                    FieldVisit.planned_start < local_midnight(today + timedelta(days=1)),
                    or_(
                        FieldVisit.planned_end > local_midnight(today),
                        and_(
                            one_of(FieldVisit.status, OPEN_STATUS_VALUES),
                            FieldVisit.planned_end > now - LOOKBACK,
                        ),
                    ),
                )
                .order_by(FieldVisit.planned_start, FieldVisit.id)
            )
        )
        .scalars()
        .all()
    )
    loaded = await _load(session, viewer, visits)
    return [visit_out(v, loaded, viewer, now) for v in visits]


async def address_views(
    session: AsyncSession, viewer: CurrentUser, visit_id: int
) -> list[AddressViewOut]:
    """Who was shown the visit's address, newest first (for the visitors and admins)."""
    visit = await _get(session, visit_id)
    if viewer.id not in visit.visitor_ids and not viewer.is_admin:
        raise Forbidden(_("Only the visitors can see who viewed the address."))
    rows = await session.execute(
        select(AuditEvent.at, Person.id, Person.name)
        .outerjoin(Person, Person.id == AuditEvent.actor_id)
        .where(
            AuditEvent.object_type == OBJECT_TYPE,
            AuditEvent.object_id == str(visit.id),
            AuditEvent.action == "view_address",
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    return [
        AddressViewOut(
            at=local(at),
            viewer=PersonRef(id=pid, name=name) if pid is not None else None,
        )
        for at, pid, name in rows
    ]


# --- planning -----------------------------------------------------------------------------


async def _check_visitors(session: AsyncSession, data: VisitIn) -> dict[int, Person]:
    ids = data.visitor_ids
    if not ids:
        raise InvalidInput(_("Choose who goes on the visit."), field="visitor_ids")
    if len(set(ids)) != len(ids):
        raise InvalidInput(_("A colleague is listed twice."), field="visitor_ids")
    if len(ids) > 2:
        raise InvalidInput(_("A visit has one or two visitors."), field="visitor_ids")
    people = {
        p.id: p for p in (await session.execute(select(Person).where(Person.id.in_(ids)))).scalars()
    }
    for pid in ids:
        person = people.get(pid)
        if person is None:
            raise InvalidInput(_("Unknown colleague."), field="visitor_ids", person_id=pid)
        if not person.active:
            raise InvalidInput(
                _("%(name)s is no longer active.", name=person.name),
                field="visitor_ids",
                person_id=pid,
            )
    if data.two_person_required and len(ids) < 2:
        raise TwoPeopleRequired(
            _("This visit needs two people: add a colleague."), field="visitor_ids"
        )
    return people


def _check_times(clock: Clock, settings: Settings, start: datetime, end: datetime) -> None:
    if end <= start:
        raise InvalidInput(_("The end must be after the start."), field="end")
    if end - start > MAX_DURATION:
        raise InvalidInput(_("A visit lasts at most 12 hours."), field="end")
    now = clock.now()
    if end <= now:
        raise InvalidInput(_("The visit must end in the future."), field="end")
    if local(start).date() > local_today(clock) + timedelta(days=settings.planning_horizon_days):
        raise InvalidInput(
            _("Plan at most %(days)s days ahead.", days=settings.planning_horizon_days),
            field="start",
        )


async def _check_not_absent(
    session: AsyncSession, people: Sequence[Person], start: datetime, end: datetime
) -> None:
    """A visitor whose work location is ``absent`` during the visit cannot go."""
    from werkplek.presence.models import PresencePart, WorkKind
    from werkplek.presence.services import load_presence, resolve_slot

    parts = covered_half_days(start, end)
    if not parts:
        return
    data = await load_presence(session, [p.id for p in people], parts[0][0], parts[-1][0])
    for person in people:
        for day, part in parts:
            slot = resolve_slot(data, person.id, day, PresencePart(part))
            if slot.kind is WorkKind.ABSENT:
                raise VisitorAbsent(
                    _("%(name)s is absent at the time of the visit.", name=person.name),
                    field="visitor_ids",
                    person_id=person.id,
                )


async def _check_not_elsewhere(
    session: AsyncSession,
    people: Sequence[Person],
    start: datetime,
    end: datetime,
    *,
    changing: int | None = None,
) -> None:
    """A visitor on another visit during this one cannot go: the safety board and the KCC
    would show them at two places at once. The visit being ``changing`` is no other visit."""
    ids = [person.id for person in people]
    busy = {
        stay.person_id
        for stay in await time_on_location(session, ids, start, end)
        if stay.visit_id != changing
    }
    for person in people:
        if person.id in busy:
            raise VisitorElsewhere(
                _("%(name)s has another visit at that time.", name=person.name),
                field="visitor_ids",
                person_id=person.id,
            )


async def _check_booking(
    session: AsyncSession, data: VisitIn, start: datetime, end: datetime
) -> Site | None:
    if data.booking_id is None:
        return None
    row = (
        await session.execute(
            select(Booking, Space, Site)
            .join(Space, Space.id == Booking.space_id)
            .join(Site, Site.id == Booking.site_id)
            .where(Booking.id == data.booking_id)
        )
    ).one_or_none()
    if row is None:
        raise InvalidInput(_("No such booking."), field="booking_id")
    booking, space, site = row
    if space.kind != SpaceKind.RESIDENT_ROOM.value:
        raise InvalidInput(_("Choose a booking of a resident room."), field="booking_id")
    if booking.status not in ACTIVE_STATUS_VALUES:
        raise InvalidInput(_("This booking was cancelled."), field="booking_id")
    if not {booking.booked_for_id, booking.booked_by_id} & set(data.visitor_ids):
        raise InvalidInput(
            _("This booking was not made by or for one of the visitors."), field="booking_id"
        )
    if booking.start_at >= end or booking.end_at <= start:
        raise InvalidInput(_("The booking is at another time than the visit."), field="booking_id")
    return site


def _area(data: VisitIn, site: Site | None) -> str:
    """What colleagues and the KCC see of the place: the area given, else the town of the
    booked resident room. An area given follows the rule for working on location in
    presence: a place name, never an address."""
    from werkplek.presence.days import check_location
    from werkplek.presence.models import WorkKind

    area = _clean(data.area)
    if area:
        check_location(WorkKind.ON_LOCATION, None, area, {})
    elif site is not None:
        area = _clean(site.city or site.name)
    if not area:
        raise InvalidInput(_("Fill in the area or village."), field="area")
    return area


def _place(data: VisitIn, site: Site | None) -> tuple[str, str]:
    """The area and the address, a missing one of each refused together, so one save names
    both instead of the address only once the area is filled in."""
    problems: list[InvalidInput] = []
    area = ""
    try:
        area = _area(data, site)
    except InvalidInput as exc:
        problems.append(exc)
    address = data.address.strip()
    if site is None and not address:
        problems.append(
            InvalidInput(_("Fill in the address, or link a booked resident room."), field="address")
        )
    refuse_all(problems)
    return area, address


@dataclass(frozen=True)
class _Checked:
    """A plan that passed every rule: its visitors, instants and place."""

    people: dict[int, Person]
    start: datetime
    end: datetime
    area: str
    address: str


async def _checked(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    actor: CurrentUser,
    data: VisitIn,
    *,
    changing: int | None = None,
) -> _Checked:
    """Every rule of a plan, for a new visit or one ``changing``: the visitors and who may
    plan for them, the times, the booked room, the place, nobody absent or elsewhere."""
    people = await _check_visitors(session, data)
    await require_plans_for(session, actor, people)
    start, end = as_instant(data.start, "start"), as_instant(data.end, "end")
    _check_times(clock, settings, start, end)
    site = await _check_booking(session, data, start, end)
    area, address = _place(data, site)
    await _check_not_absent(session, list(people.values()), start, end)
    await _check_not_elsewhere(session, list(people.values()), start, end, changing=changing)
    return _Checked(people, start, end, area, address)


async def plan_visit(
    session: AsyncSession, clock: Clock, settings: Settings, actor: CurrentUser, data: VisitIn
) -> VisitOut:
    """Plan a visit for oneself (with a colleague), or as team lead for team members."""
    await lock_for_write(session)
    plan = await _checked(session, clock, settings, actor, data)
    start, end, area, address = plan.start, plan.end, plan.area, plan.address
    now = clock.now()
    visit = FieldVisit(
        area=area,
        address=address,
        purpose=data.purpose.strip(),
        planned_start=start,
        planned_end=end,
        two_person_required=data.two_person_required,
        booking_id=data.booking_id,
        status=VisitStatus.PLANNED.value,
        created_by_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    visit.visitors = [
        FieldVisitor(person_id=pid, position=n) for n, pid in enumerate(data.visitor_ids)
    ]
    session.add(visit)
    await session.flush()
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="create",
        object_type=OBJECT_TYPE,
        object_id=visit.id,
        visitor_ids=list(data.visitor_ids),
        area=area,
        start=start.isoformat(),
        end=end.isoformat(),
        two_person_required=data.two_person_required,
        booking_id=data.booking_id,
    )
    others = [pid for pid in data.visitor_ids if pid != actor.id]
    await notify.visit_planned(
        session, clock, visit, others, actor.name, planner_goes=actor.id in data.visitor_ids
    )
    return await _out(session, clock, actor, visit)


# --- changing a planned visit -------------------------------------------------------------


#: The fields of a visit its change is audited by; the address and the purpose are named
#: when they change, never their values (the log is read by admins, not only guardians).
_PRIVATE_FIELDS = frozenset({"address", "purpose"})
#: The fields whose change the visitors staying on a visit hear of: when and where.
_WHEN_AND_WHERE = frozenset({"start", "end", "area", "address", "booking_id"})


def _change_fields(visit: FieldVisit) -> dict[str, Any]:
    """A visit's fields as a change compares and audits them (``audit.record_saved``)."""
    return {
        "id": visit.id,
        "visitor_ids": list(visit.visitor_ids),
        "start": visit.planned_start.isoformat(),
        "end": visit.planned_end.isoformat(),
        "area": visit.area,
        "address": visit.address,
        "purpose": visit.purpose,
        "two_person_required": visit.two_person_required,
        "booking_id": visit.booking_id,
    }


def _place_marker(settings: Settings, visit: FieldVisit) -> str:
    """What a change mail keeps of the place a visit was at (its address and booked resident
    room), to tell later whether the place is back to what a colleague last heard of it
    (``notify.change_heard_of``). Mails never hold the resident's address, so this is
    an HMAC under the secret key (``WERKPLEK_SECRET_KEY``), bound to the visit: equal for
    the same place, and unlike a plain hash not to be matched against a list of addresses
    by whoever reads the outbox. Should the key change meanwhile, a place back to what
    they heard is told as changed: a mail too many, never one too few."""
    place = f"{visit.id}\n{visit.booking_id or ''}\n{visit.address}"
    return mac(settings.secret_key, "visit-place", place)


def _with_changes(visit: FieldVisit, data: VisitChangeIn) -> VisitIn:
    """The visit as it would be: ``data``'s fields where given, else the visit's own."""
    given = {
        name: value
        for name in data.__struct_fields__
        if (value := getattr(data, name)) is not msgspec.UNSET
    }
    current = _change_fields(visit)
    del current["id"]
    return VisitIn(**(current | given))


def _refuse_unless_planned(visit: FieldVisit, now: datetime) -> None:
    """Only a visit nobody has started yet changes: once under way (checked in, or past its
    planned start) the safety board watches it as planned, and it is extended instead."""
    _refuse_if_closed(visit)
    if under_way(visit, now):
        raise VisitUnderWay(
            _("This visit is under way and can no longer be changed: extend it, or check out.")
        )


async def change_visit(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    actor: CurrentUser,
    visit_id: int,
    data: VisitChangeIn,
) -> VisitOut:
    """Change a planned visit before it starts: its time, place, purpose, whether two people
    are needed, and who goes (hand it over, add or take off the second person).

    Its planner, and whoever may plan it for its visitors both before and after the change
    (``plans_for``), may change it; the new values pass every check a new plan does, the
    visit itself being no other visit its visitors are on. A change that changes nothing
    stores nothing. Audited once (``update``, naming the fields that changed). Mails,
    never to whoever made the change: those put on it hear it is planned for them (the
    ``visit_planned`` mail), those taken off that they no longer go, and those who stay,
    when its time or place changed, what it was and is now. A mail about the visit that
    has not left yet is withdrawn rather than followed by another: one taken off whom the
    ``visit_planned`` mail was to tell hears nothing, one staying gets it anew; a change
    mail is taken into the next mail, which tells what the visit was as they last heard
    of it (none, to one staying, when the visit is back to that and its place unchanged)."""
    await lock_for_write(session)
    visit = await _get(session, visit_id)
    if not (await _one_access(session, actor, visit)).may_change:
        raise Forbidden(_("You cannot change this visit."))
    now = clock.now()
    _refuse_unless_planned(visit, now)
    wanted = _with_changes(visit, data)
    plan = await _checked(session, clock, settings, actor, wanted, changing=visit.id)
    start, end, area, address = plan.start, plan.end, plan.area, plan.address

    before = _change_fields(visit)
    was = (visit.planned_start, visit.planned_end, visit.area)
    was_place = _place_marker(settings, visit)
    if set(wanted.visitor_ids) != set(visit.visitor_ids):
        rows = {row.person_id: row for row in visit.visitors}
        visit.visitors = [
            rows.get(pid) or FieldVisitor(person_id=pid) for pid in wanted.visitor_ids
        ]
        for position, row in enumerate(visit.visitors):
            row.position = position
    visit.planned_start, visit.planned_end = start, end
    visit.area, visit.address, visit.purpose = area, address, wanted.purpose.strip()
    visit.two_person_required = wanted.two_person_required
    visit.booking_id = wanted.booking_id
    after = _change_fields(visit)
    changed = {name for name, value in after.items() if before[name] != value}
    if not changed:
        return await _out(session, clock, actor, visit)
    visit.updated_at = now
    await session.flush()
    await record_saved(
        session,
        clock,
        actor.id,
        OBJECT_TYPE,
        before,
        after,
        **{name: after[name] for name in sorted(changed - _PRIVATE_FIELDS)},
    )
    await _tell_of_change(
        session, clock, settings, visit, actor, before["visitor_ids"], changed, (was, was_place)
    )
    return await _out(session, clock, actor, visit)


async def _tell_of_change(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    visit: FieldVisit,
    actor: CurrentUser,
    old_ids: Sequence[int],
    changed: set[str],
    before: tuple[notify.Window, str],
) -> None:
    """The mails of ``change_visit`` (see there), and the calendar feeds of those taken off
    the visit, which no longer link them to it, told to drop it. ``before``: the visit's
    window and place (``_place_marker``) before the change."""
    new_ids = visit.visitor_ids
    added = [pid for pid in new_ids if pid not in old_ids and pid != actor.id]
    removed = [pid for pid in old_ids if pid not in new_ids]
    staying = [pid for pid in new_ids if pid in old_ids and pid != actor.id]
    # Whoever changed it knows the visit as it is now: a mail about it still waiting for
    # them would tell them of what they just changed.
    await cancel_mail(session, [notify.planned_ref(visit.id)], person_ids=[actor.id])
    if removed:
        await mark_changed(session, Person, Person.id.in_(removed))
        told = [pid for pid in removed if pid != actor.id]
        # it is as if those who never heard of it had never been on it
        withdrawn = await _withdraw_unheard(session, visit, told)
        for (heard, _place), pids in withdrawn.last_heard(told, *before).items():
            await notify.visit_dropped(session, clock, visit, pids, actor.name, was=heard)
    if changed & _WHEN_AND_WHERE:
        # those who never heard of it hear of it as it is now, as those put on it do
        withdrawn = await _withdraw_unheard(session, visit, staying)
        added += [pid for pid in staying if pid in withdrawn.unheard]
        now = (visit.planned_start, visit.planned_end, visit.area)
        place = _place_marker(settings, visit)
        for (heard, heard_place), pids in withdrawn.last_heard(staying, *before).items():
            if heard != now or heard_place != place:  # else it is back as they know it
                await notify.visit_changed(
                    session,
                    clock,
                    visit,
                    pids,
                    actor.name,
                    was=heard,
                    was_place=heard_place,
                    place_changed=heard_place != place,
                )
    await notify.visit_planned(
        session, clock, visit, added, actor.name, planner_goes=actor.id in new_ids
    )


@dataclass(frozen=True)
class _Withdrawn:
    """What withdrawing the mails about a visit not sent yet to some colleagues found:
    those who never heard of the visit, and per colleague what change mails withdrawn
    before they reached them had not told yet: the visit as they last heard of it and its
    place then (``notify.change_heard_of``)."""

    unheard: set[int]
    changes: dict[int, tuple[notify.Window, str | None]]

    def last_heard(
        self, person_ids: Sequence[int], was: notify.Window, place: str
    ) -> dict[tuple[notify.Window, str], list[int]]:
        """Those of ``person_ids`` who heard of the visit, by the visit as they last heard
        of it and the marker of its place then: ``was`` and ``place`` (before this
        change), unless a change mail withdrawn had not reached them yet."""
        found: dict[tuple[notify.Window, str], list[int]] = {}
        for pid in person_ids:
            if pid not in self.unheard:
                heard, heard_place = self.changes.get(pid, (was, None))
                key = (heard, place if heard_place is None else heard_place)
                found.setdefault(key, []).append(pid)
        return found


async def _take_over(
    session: AsyncSession, visit: FieldVisit, person_ids: Sequence[int] | None = None
) -> _Withdrawn:
    """Withdraw the mails about the visit that reached nobody yet (to ``person_ids``, when
    given: ``outbox.take_over_unsent``) and return what they were to tell: whom the
    ``visit_planned`` mail among them was to tell of the visit (as ``unheard``), and what
    the change mails among them had not told yet, for the next mail to tell as the
    colleague last heard of it."""
    unsent = await take_over_unsent(session, [notify.planned_ref(visit.id)], person_ids=person_ids)
    mine = {pid: facts for pid, facts in unsent.items() if pid is not None}
    return _Withdrawn(
        {pid for pid, facts in mine.items() if notify.plan_among(facts)},
        {
            pid: change
            for pid, facts in mine.items()
            if (change := notify.change_heard_of(facts)) is not None
        },
    )


async def _withdraw_unheard(
    session: AsyncSession, visit: FieldVisit, person_ids: Sequence[int]
) -> _Withdrawn:
    """Withdraw the mails about the visit to these people that have not gone out yet, and
    return those of them whose ``visit_planned`` mail was among them and whom no other
    mail about the visit reached: they never heard of the visit (those without such a
    mail, who planned it, switched these mails off or were told by a mail gone out, know
    of it or chose not to hear; one whose change mail alone waited knows of it too); and
    of the others what the change mails withdrawn had not told them yet, which the next
    mail to them tells instead."""
    taken = await _take_over(session, visit, person_ids)
    reached = await withdraw_mail(session, [notify.planned_ref(visit.id)], person_ids=person_ids)
    addresses = sorted({a.lower() for found in reached.values() for a in found})
    if not (taken.unheard and addresses):
        return taken
    rows = await session.execute(
        select(Person.id).where(
            Person.id.in_(sorted(taken.unheard)), func.lower(Person.email).in_(addresses)
        )
    )
    return replace(taken, unheard=taken.unheard - set(rows.scalars()))


# --- on the day: check in, check out, extend, cancel --------------------------------------


@dataclass(frozen=True)
class Resolved:
    """The alerts a check-out, extension or cancellation resolved, and the addresses their
    mails reached (or are reaching: being sent at that moment), per language."""

    alerts: Sequence[VisitAlert]
    alerted: dict[str, list[str]]


async def _resolve_alerts(session: AsyncSession, visit: FieldVisit, now: datetime) -> Resolved:
    """Resolve the visit's open alerts, withdrawing their mails not sent yet."""
    alerts = (
        (
            await session.execute(
                select(VisitAlert).where(
                    VisitAlert.visit_id == visit.id, VisitAlert.resolved_at.is_(None)
                )
            )
        )
        .scalars()
        .all()
    )
    alerted = await withdraw_mail(session, (alert_ref(a.id) for a in alerts))
    for alert in alerts:
        alert.resolved_at = now
    return Resolved(alerts, alerted)


def _refuse_if_closed(visit: FieldVisit) -> None:
    if visit.state is VisitStatus.CANCELLED:
        raise VisitClosed(_("This visit was cancelled."))
    if visit.state is VisitStatus.CHECKED_OUT:
        raise VisitClosed(_("This visit is already checked out."))


async def check_in(
    session: AsyncSession, clock: Clock, actor: CurrentUser, visit_id: int
) -> VisitOut:
    """A visitor arrives. Checking in again changes nothing."""
    await lock_for_write(session)
    visit = await _get(session, visit_id)
    if actor.id not in visit.visitor_ids:
        raise Forbidden(_("Only the visitors can check in."))
    if visit.state is VisitStatus.CHECKED_IN:
        return await _out(session, clock, actor, visit)
    _refuse_if_closed(visit)
    now = clock.now()
    opens, closes = check_in_window(visit)
    if now < opens:
        raise CheckInTooEarly(_("You can check in on the day of the visit."))
    if now >= closes:
        raise CheckInTooLate(
            _("This visit ended on %(date)s: checking in is no longer possible.")
            % {"date": day_and_date(local(visit.planned_end).date())}
        )
    visit.status = VisitStatus.CHECKED_IN.value
    visit.checked_in_at = now
    visit.checked_in_by_id = actor.id
    visit.updated_at = now
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="check_in",
        object_type=OBJECT_TYPE,
        object_id=visit.id,
    )
    return await _out(session, clock, actor, visit)


async def check_out(
    session: AsyncSession, clock: Clock, settings: Settings, actor: CurrentUser, visit_id: int
) -> VisitOut:
    """Left safely. A visitor taps it; a guardian may record it for them (after a call).

    Checking out twice changes nothing the second time.
    """
    await lock_for_write(session)
    visit = await _get(session, visit_id)
    access = await _one_access(session, actor, visit)
    if not access.looks_after:
        raise Forbidden(_("Only the visitors and their team lead can check out."))
    if visit.state is VisitStatus.CHECKED_OUT:
        return await _out(session, clock, actor, visit)
    if visit.state is VisitStatus.CANCELLED:
        raise VisitClosed(_("This visit was cancelled."))
    now = clock.now()
    if not under_way(visit, now):
        raise VisitNotUnderWay(
            _(
                "You can check out once the visit is under way: "
                "after checking in, or from its planned start."
            )
        )
    visit.status = VisitStatus.CHECKED_OUT.value
    visit.checked_out_at = now
    visit.checked_out_by_id = actor.id
    visit.updated_at = now
    resolved = await _resolve_alerts(session, visit, now)
    await _tell_those_told(
        session, clock, settings, visit, actor, "checked_out", resolved.alerted, {}
    )
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="check_out",
        object_type=OBJECT_TYPE,
        object_id=visit.id,
        on_behalf=not access.is_visitor,
        resolved_alerts=len(resolved.alerts),
    )
    await session.flush()  # the safety board, drawn next, reads it (sessions do not autoflush)
    return await _out(session, clock, actor, visit)


async def extend(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    actor: CurrentUser,
    visit_id: int,
    minutes: int,
) -> VisitOut:
    """More time needed: the planned end moves by ``minutes`` (from now when already past).

    Those an alert about the visit reached hear the all clear for now; the colleagues the
    ``visit_planned`` mail told (or is still to tell: it names the old end), and the
    visitor who planned it when their team lead extends it, hear the new end."""
    if minutes not in EXTENSION_MINUTES:
        raise InvalidInput(
            _("Extend by 15, 30 or 60 minutes."), field="minutes", allowed=list(EXTENSION_MINUTES)
        )
    await lock_for_write(session)
    visit = await _get(session, visit_id)
    access = await _one_access(session, actor, visit)
    if not access.looks_after:
        raise Forbidden(_("Only the visitors and their team lead can extend a visit."))
    _refuse_if_closed(visit)
    now = clock.now()
    if not under_way(visit, now):
        raise VisitNotUnderWay(
            _(
                "You can extend a visit once it is under way: "
                "after checking in, or from its planned start."
            )
        )
    old_end = visit.planned_end
    new_end = max(old_end, now) + timedelta(minutes=minutes)
    if new_end - visit.planned_start > MAX_DURATION:
        raise InvalidInput(_("A visit lasts at most 12 hours."), field="minutes")
    visit.planned_end = new_end
    visit.updated_at = now
    resolved = await _resolve_alerts(session, visit, now)
    told = await addressed_to(session, [notify.planned_ref(visit.id)])
    await _tell_those_told(
        session,
        clock,
        settings,
        visit,
        actor,
        "extended",
        resolved.alerted,
        told,
        planner=visit.created_by_id,
    )
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="extend",
        object_type=OBJECT_TYPE,
        object_id=visit.id,
        minutes=minutes,
        old_end=old_end.isoformat(),
        new_end=new_end.isoformat(),
        resolved_alerts=len(resolved.alerts),
    )
    return await _out(session, clock, actor, visit)


async def cancel(
    session: AsyncSession, clock: Clock, settings: Settings, actor: CurrentUser, visit_id: int
) -> VisitOut:
    """Called off before anyone arrived. Cancelling again changes nothing.

    Whoever was told about the visit by mail (a visitor someone else put on it, those an
    overdue alert reached) hears that it is cancelled, as does the visitor who planned it
    when their team lead cancels it; mails about it not sent yet are
    withdrawn, so nobody learns of a visit only once it is off. A visitor whose change
    mail was among them hears of the visit as they last heard of it, not at the time
    that mail was to tell them."""
    await lock_for_write(session)
    visit = await _get(session, visit_id)
    access = await _one_access(session, actor, visit)
    if not (access.looks_after or access.is_creator):
        raise Forbidden(_("You cannot cancel this visit."))
    if visit.state is VisitStatus.CANCELLED:
        return await _out(session, clock, actor, visit)
    if visit.state is VisitStatus.CHECKED_IN:
        raise VisitClosed(_("Someone is on location: check out instead of cancelling."))
    if visit.state is VisitStatus.CHECKED_OUT:
        raise VisitClosed(_("This visit is already checked out."))
    now = clock.now()
    visit.status = VisitStatus.CANCELLED.value
    visit.cancelled_at = now
    visit.updated_at = now
    # the planned mail first: its row is older than any alert's, and the sender locks in
    # id order too (take_over_unsent, withdraw_mail)
    untold = (await _take_over(session, visit)).changes
    told = await withdraw_mail(session, [notify.planned_ref(visit.id)])
    resolved = await _resolve_alerts(session, visit, now)
    await _tell_those_told(
        session,
        clock,
        settings,
        visit,
        actor,
        "cancelled",
        resolved.alerted,
        told,
        planner=visit.created_by_id,
        heard={pid: heard for pid, (heard, _place) in untold.items()},
    )
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="cancel",
        object_type=OBJECT_TYPE,
        object_id=visit.id,
        resolved_alerts=len(resolved.alerts),
    )
    return await _out(session, clock, actor, visit)


# --- overdue alerts -----------------------------------------------------------------------


async def raise_overdue_alerts(
    session: AsyncSession, clock: Clock, settings: Settings
) -> list[VisitAlert]:
    """Raise the alerts that are due now; each (visit, level, planned end) at most once."""
    await lock_for_write(session)
    now = clock.now()
    grace = timedelta(minutes=settings.visit_grace_minutes)
    escalation = timedelta(minutes=settings.visit_escalation_minutes)
    raised: list[VisitAlert] = []

    overdue = (
        (
            await session.execute(
                select(FieldVisit).where(
                    one_of(FieldVisit.status, OPEN_STATUS_VALUES),
                    FieldVisit.planned_end <= now - grace,
                    FieldVisit.planned_end > now - grace - LOOKBACK,
                )
            )
        )
        .scalars()
        .all()
    )
    if overdue:
        known = set(
            (
                await session.execute(
                    select(VisitAlert.visit_id, VisitAlert.due_end).where(
                        VisitAlert.level == AlertLevel.OVERDUE,
                        VisitAlert.visit_id.in_([v.id for v in overdue]),
                    )
                )
            ).all()
        )
        for visit in overdue:
            if (visit.id, visit.planned_end) not in known:
                raised.append(
                    VisitAlert(
                        visit_id=visit.id,
                        level=AlertLevel.OVERDUE,
                        due_end=visit.planned_end,
                        raised_at=now,
                    )
                )
        session.add_all(raised)
        await session.flush()

    first_alerts = (
        (
            await session.execute(
                select(VisitAlert)
                .join(FieldVisit, FieldVisit.id == VisitAlert.visit_id)
                .where(
                    VisitAlert.level == AlertLevel.OVERDUE,
                    VisitAlert.resolved_at.is_(None),
                    VisitAlert.acknowledged_at.is_(None),
                    VisitAlert.raised_at <= now - escalation,
                    VisitAlert.raised_at > now - LOOKBACK,
                    one_of(FieldVisit.status, OPEN_STATUS_VALUES),
                    FieldVisit.planned_end == VisitAlert.due_end,
                )
            )
        )
        .scalars()
        .all()
    )
    if first_alerts:
        escalated = set(
            (
                await session.execute(
                    select(VisitAlert.visit_id, VisitAlert.due_end).where(
                        VisitAlert.level == AlertLevel.ESCALATION,
                        VisitAlert.visit_id.in_({a.visit_id for a in first_alerts}),
                    )
                )
            ).all()
        )
        escalations = [
            VisitAlert(
                visit_id=a.visit_id, level=AlertLevel.ESCALATION, due_end=a.due_end, raised_at=now
            )
            for a in first_alerts
            if (a.visit_id, a.due_end) not in escalated
        ]
        session.add_all(escalations)
        await session.flush()
        raised.extend(escalations)

    for alert in raised:
        await record(
            session,
            clock,
            actor_id=None,
            action="raise_alert",
            object_type=OBJECT_TYPE,
            object_id=alert.visit_id,
            alert_id=alert.id,
            level="escalation" if alert.level == AlertLevel.ESCALATION else "overdue",
            due_end=alert.due_end.isoformat(),
        )
    if raised:
        logger.warning("Raised %d field visit alert(s)", len(raised))
        await queue_alert_mails(session, clock, settings, raised)
    return raised


async def alert_recipients(
    session: AsyncSession, settings: Settings, visit: FieldVisit, level: int
) -> list[tuple[str, str]]:
    """(e-mail address, language) pairs: the guardians, and on escalation (or when a team
    has no guardian at all) the escalation address or else the admins."""
    visitors = set(visit.visitor_ids)
    guardians = await guardian_ids(session, visitors)
    found: dict[str, str] = {}
    if guardians:
        for email, lang in await session.execute(
            select(Person.email, Person.language)
            .where(Person.id.in_(guardians))
            .order_by(Person.email)
        ):
            found.setdefault(email.lower(), lang)
    if level == AlertLevel.ESCALATION or not found:
        if settings.visit_escalation_address:
            found.setdefault(settings.visit_escalation_address.lower(), settings.default_language)
        else:
            admins = select(PersonRole.person_id).where(PersonRole.role == Role.ADMIN.value)
            for email, lang in await session.execute(
                select(Person.email, Person.language)
                .where(Person.id.in_(admins), Person.active.is_(True), Person.id.not_in(visitors))
                .order_by(Person.email)
            ):
                found.setdefault(email.lower(), lang)
    return sorted(found.items())


def _hhmm(at: datetime | None) -> str:
    """``labels.clock_time`` of a moment that may be missing (empty then)."""
    return clock_time(at) if at is not None else ""


def _names(visitors: Sequence[Person]) -> str:
    """The visitors named in a mail: "Anna Veld en Bram Buiten"."""
    if len(visitors) > 1:
        return _("%(first)s and %(second)s", first=visitors[0].name, second=visitors[1].name)
    return visitors[0].name if visitors else "?"


async def _names_by_address(session: AsyncSession, addresses: Iterable[str]) -> dict[str, str]:
    """The names of the people with these e-mail addresses, by address in lower case."""
    wanted = sorted({a.lower() for a in addresses})
    if not wanted:
        return {}
    rows = await session.execute(
        select(Person.email, Person.name).where(func.lower(Person.email).in_(wanted))
    )
    return {email.lower(): name for email, name in rows}


def _addressee(recipients: Sequence[str], names: dict[str, str]) -> str | None:
    """Whom a mail greets by name: its one recipient, when that is a person (a shared
    escalation address is not); a mail to several addresses at once greets them all."""
    return names.get(recipients[0].lower()) if len(recipients) == 1 else None


def _greeting(addressee: str | None) -> str:
    """A mail's first line, as every Werkplek mail starts: "Beste Lotte Leider,"."""
    if addressee is not None:
        return _("Hello %(name)s,", name=addressee)
    return _("Hello colleagues,")


def _planned(start: datetime, end: datetime) -> str:
    """When the visit was planned, in a mail; an end on another day names that day."""
    first, last = local(start).date(), local(end).date()
    if last == first:
        return _(
            "Planned: %(date)s, %(hours)s",
            date=long_date(first),
            hours=time_range(start, end),
        )
    return _(
        "Planned: %(date)s, %(start)s until %(end_date)s, %(end)s",
        date=long_date(first),
        start=clock_time(start),
        end_date=long_date(last),
        end=clock_time(end),
    )


#: What became of a visit that those told about it hear of.
Outcome = Literal["checked_out", "extended", "cancelled"]


def outcome_mail(
    settings: Settings,
    visit: FieldVisit,
    visitors: Sequence[Person],
    outcome: Outcome,
    by: str,
    recipients: Sequence[str],
    addressee: str | None,
    *,
    after_alert: bool,
    heard: notify.Window | None = None,
) -> Mail:
    """The mail, in the current language, that tells those told about a visit what became
    of it: to those an alert reached (``after_alert``) the all clear (checked out, or more
    time taken); to those the planned mail told, that it lasts longer; to both, that it was
    cancelled (the visit as they last heard of it: ``heard``, when a change mail did not
    reach them); naming who did it. Like the alert, the area only, never the address; it
    greets ``addressee`` by name (``None``: several addresses at once) and is signed as
    every Werkplek mail."""
    names = _names(visitors)
    extended_by = _(
        "Extended by %(name)s until %(time)s.", name=by, time=clock_time(visit.planned_end)
    )
    if outcome == "cancelled":
        start, end, area = heard or (visit.planned_start, visit.planned_end, visit.area)
        subject = _(
            "Field visit cancelled: %(names)s in %(area)s on %(date)s",
            names=names,
            area=area,
            date=glance_date(local(start).date()),
        )
        lines = [
            _(
                "The field visit of %(names)s in %(area)s is cancelled.",
                names=names,
                area=area,
            ),
            "",
            _planned(start, end),
            _("Cancelled by %(name)s.", name=by),
        ]
    elif outcome == "extended" and not after_alert:
        subject = _(
            "Field visit extended: %(names)s in %(area)s until %(time)s",
            names=names,
            area=visit.area,
            time=clock_time(visit.planned_end),
        )
        lines = [
            _(
                "The field visit of %(names)s in %(area)s is extended.",
                names=names,
                area=visit.area,
            ),
            "",
            _planned(visit.planned_start, visit.planned_end),
            extended_by,
        ]
    elif outcome == "extended":
        subject = _(
            "All clear for now: the visit of %(names)s in %(area)s is extended until %(time)s",
            names=names,
            area=visit.area,
            time=clock_time(visit.planned_end),
        )
        lines = [
            extended_by,
            "",
            _("The alert about this visit is resolved: you need not act on it any more."),
            _("If nobody checks out by then, a new alert follows."),
        ]
    else:
        subject = _(
            "All clear: %(names)s checked out after the visit in %(area)s",
            names=names,
            area=visit.area,
        )
        lines = [
            _("Checked out by %(name)s at %(time)s", name=by, time=_hhmm(visit.checked_out_at))
            + ".",
            "",
            _("The alert about this visit is resolved: you need not act on it any more."),
        ]
    body = "\n".join([_greeting(addressee), "", *lines])
    return Mail(
        to=list(recipients), subject=subject, body=signed(body, settings.public_url.rstrip("/"))
    )


async def _told_of_plan(
    session: AsyncSession,
    visit: FieldVisit,
    told: dict[str, list[str]],
    skip: set[str],
    planner: int | None,
) -> list[Person]:
    """The visitors at the addresses ``told`` by the ``visit_planned`` mail (not those
    taken off the visit since: they heard that they no longer go), and ``planner``, the
    visitor who planned it and so needed no such mail, but for those in ``skip`` (in lower
    case), who still receive that kind of mail."""
    wanted = sorted({a.lower() for addresses in told.values() for a in addresses})
    knowing = [planner] if planner in visit.visitor_ids else []
    if not (wanted or knowing):
        return []
    ids = await session.execute(
        select(Person.id).where(
            or_(func.lower(Person.email).in_(wanted), Person.id.in_(knowing)),
            Person.id.in_(visit.visitor_ids),
            func.lower(Person.email).not_in(sorted(skip)),
        )
    )
    return await notify.recipients_for(session, ids.scalars(), MailKind.VISIT_PLANNED)


async def _tell_those_told(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    visit: FieldVisit,
    actor: CurrentUser,
    outcome: Outcome,
    alerted: dict[str, list[str]],
    told_of_plan: dict[str, list[str]],
    *,
    planner: int | None = None,
    heard: Mapping[int, notify.Window] | None = None,
) -> None:
    """Queue the ``outcome`` mail to whoever a mail about the visit reached, but the actor.

    Those ``alerted`` (the addresses the resolved alerts reached, per language) hear it as
    the alerts went: one mail per language to them all, which nobody can switch off. Those
    ``told_of_plan`` alone (by the ``visit_planned`` mail; the caller passes them for the
    outcomes they are to hear of: a new end, or that it is off) hear it as that went: one
    mail each, under that kind, which they can switch off, naming the visit as ``heard``
    says they last heard of it, if it says; so does ``planner``, the visitor who planned
    the visit (when the caller passes them), should their team lead cancel or extend it."""
    own = actor.email.lower()
    names = await _names_by_address(session, [a for found in alerted.values() for a in found])
    mails: list[tuple[MailKind, str, list[str], str | None, int | None]] = []
    for lang, addresses in alerted.items():
        recipients = [a for a in addresses if a.lower() != own]
        if recipients:
            addressee = _addressee(recipients, names)
            mails.append((MailKind.VISIT_ALERT, lang, recipients, addressee, None))
    skip = {own} | {a.lower() for found in alerted.values() for a in found}
    for person in await _told_of_plan(session, visit, told_of_plan, skip, planner):
        mails.append(
            (MailKind.VISIT_PLANNED, person.language, [person.email], person.name, person.id)
        )
    visitors = [p for pid in visit.visitor_ids if (p := await session.get(Person, pid)) is not None]
    heard = heard or {}
    for kind, lang, recipients, addressee, person_id in mails:
        with using_language(lang):
            mail = outcome_mail(
                settings,
                visit,
                visitors,
                outcome,
                actor.name,
                recipients,
                addressee,
                after_alert=kind is MailKind.VISIT_ALERT,
                heard=None if person_id is None else heard.get(person_id),
            )
        await queue_mail(
            session,
            clock,
            kind=kind.value,
            recipients=mail.to,
            language=lang,
            person_id=person_id,
            subject=mail.subject,
            body=mail.body,
            ref=f"visit_{outcome}:{visit.id}",
        )


def alert_mail(
    settings: Settings,
    visit: FieldVisit,
    alert: VisitAlert,
    visitors: Sequence[Person],
    recipients: Sequence[str],
    first_raised_at: datetime | None,
    addressee: str | None,
) -> Mail:
    """The alert e-mail in the current language, greeting ``addressee`` by name (``None``:
    several addresses at once). It names the area, never the address: that is on the
    safety board, where each view is recorded."""
    names = _names(visitors)
    # At a glance, as every mail's subject: who, where, and the day and time it was to end.
    glance = {
        "names": names,
        "area": visit.area,
        "date": glance_date(local(alert.due_end).date()),
        "time": clock_time(alert.due_end),
    }
    if alert.level == AlertLevel.ESCALATION:
        subject = _(
            "ESCALATION: field visit still not checked out: "
            "%(names)s in %(area)s, %(date)s, since %(time)s",
            **glance,
        )
    else:
        subject = _(
            "Field visit not checked out: %(names)s in %(area)s, %(date)s, since %(time)s",
            **glance,
        )
    board = settings.public_url.rstrip("/") + "/visits/safety"
    lines = [
        _greeting(addressee),
        "",
        ngettext(
            "%(names)s did not check out after their visit in %(area)s.",
            "%(names)s did not check out after their visit in %(area)s.",
            len(visitors),
            names=names,
            area=visit.area,
        ),
        "",
        _planned(visit.planned_start, alert.due_end),
        (
            _("Checked in at %(time)s", time=_hhmm(visit.checked_in_at))
            if visit.checked_in_at is not None
            else _("Not checked in")
        ),
        "",
        _("Call them first:"),
    ]
    for person in visitors:
        number = person.mobile or person.phone or _("no number known")
        lines.append(f"- {person.name}: {number}")
    lines.append("")
    if alert.level == AlertLevel.ESCALATION and first_raised_at is not None:
        lines.append(
            _(
                "Nobody acknowledged the first alert of %(time)s within %(minutes)s minutes.",
                time=_hhmm(first_raised_at),
                minutes=settings.visit_escalation_minutes,
            )
        )
    lines.append(
        _(
            "Acknowledge on the safety board that you are taking this up; "
            "the address is shown there: %(url)s",
            url=board,
        )
    )
    return Mail(
        to=list(recipients),
        subject=subject,
        body=signed("\n".join(lines), settings.public_url.rstrip("/")),
        headers={"X-Werkplek-Alert": f"{alert.visit_id}-{alert.level}"},
    )


ALERT_REF_PREFIX = "visit_alert:"


def alert_ref(alert_id: int) -> str:
    """Ties an alert's e-mails in the outbox to the alert."""
    return f"{ALERT_REF_PREFIX}{alert_id}"


async def queue_alert_mails(
    session: AsyncSession, clock: Clock, settings: Settings, alerts: Sequence[VisitAlert]
) -> None:
    """Put the e-mails of new alerts in the outbox, one per recipient language, in the
    transaction that raised them. Nobody can switch these off."""
    for alert in alerts:
        visit = await _get(session, alert.visit_id)
        visitors = [
            p for pid in visit.visitor_ids if (p := await session.get(Person, pid)) is not None
        ]
        first_raised_at = (
            await session.execute(
                select(VisitAlert.raised_at).where(
                    VisitAlert.visit_id == alert.visit_id,
                    VisitAlert.due_end == alert.due_end,
                    VisitAlert.level == AlertLevel.OVERDUE,
                )
            )
        ).scalar_one_or_none()
        by_language: dict[str, list[str]] = defaultdict(list)
        for email, lang in await alert_recipients(session, settings, visit, alert.level):
            by_language[lang].append(email)
        names = await _names_by_address(
            session, [a for addresses in by_language.values() for a in addresses]
        )
        for lang, addresses in sorted(by_language.items()):
            with using_language(lang):
                mail = alert_mail(
                    settings,
                    visit,
                    alert,
                    visitors,
                    addresses,
                    first_raised_at,
                    _addressee(addresses, names),
                )
            await queue_mail(
                session,
                clock,
                kind=MailKind.VISIT_ALERT.value,
                recipients=mail.to,
                language=lang,
                subject=mail.subject,
                body=mail.body,
                headers=mail.headers,
                ref=alert_ref(alert.id),
            )


async def record_deliveries(session: AsyncSession, clock: Clock) -> int:
    """Mark the alerts whose every e-mail went out (audited); returns how many."""
    alerts = (
        (
            await session.execute(
                select(VisitAlert).where(
                    VisitAlert.emailed_at.is_(None),
                    VisitAlert.raised_at > clock.now() - LOOKBACK,
                )
            )
        )
        .scalars()
        .all()
    )
    delivered = await delivered_refs(session, (alert_ref(a.id) for a in alerts))
    marked = 0
    for alert in alerts:
        done = delivered.get(alert_ref(alert.id))
        if done is None:
            continue
        alert.emailed_at = done.sent_at
        marked += 1
        await record(
            session,
            clock,
            actor_id=None,
            action="alert_mailed",
            object_type=OBJECT_TYPE,
            object_id=alert.visit_id,
            alert_id=alert.id,
            recipients=done.recipients,
        )
    return marked


async def overdue_visits_job(session: AsyncSession, clock: Clock, settings: Settings) -> None:
    """The scheduler job: raise the alerts that are due and e-mail them at once.

    Alerts and their e-mails (in the outbox) are committed before the mail server is
    contacted, so a crash or an SMTP outage cannot lose an alert; the outbox retries
    what fails (the general outbox job does too). The alerts whose e-mails went out
    are marked in a second transaction (committed by the caller, as every scheduler
    job's is).
    """
    await raise_overdue_alerts(session, clock, settings)
    await session.commit()
    await send_due_mail(session, clock, settings, ref_prefix=ALERT_REF_PREFIX)
    await record_deliveries(session, clock)


# --- the safety board ---------------------------------------------------------------------


async def _require_guardian(session: AsyncSession, viewer: CurrentUser) -> set[int]:
    guarded = await guarded_team_ids(session, viewer)
    if not guarded and not viewer.is_admin:
        raise Forbidden(_("The safety board is for team leads and safety contacts."))
    return guarded


async def is_guardian(session: AsyncSession, viewer: CurrentUser) -> bool:
    return viewer.is_admin or bool(await guarded_team_ids(session, viewer))


def _on_board(clock: Clock, viewer: CurrentUser, guarded: set[int]) -> list[ColumnElement[bool]]:
    """Which visits the safety board shows ``viewer``: the open ones of the teams looked
    after (all teams for admins) that start before tomorrow and ended less than
    ``LOOKBACK`` ago. The home page's count of overdue visits uses the same rule."""
    criteria: list[ColumnElement[bool]] = [
        one_of(FieldVisit.status, OPEN_STATUS_VALUES),
        FieldVisit.planned_start < local_midnight(local_today(clock) + timedelta(days=1)),
        FieldVisit.planned_end > clock.now() - LOOKBACK,
    ]
    if not viewer.is_admin:
        members = select(TeamMembership.person_id).where(TeamMembership.team_id.in_(guarded))
        criteria.append(
            FieldVisit.id.in_(
                select(FieldVisitor.visit_id).where(FieldVisitor.person_id.in_(members))
            )
        )
    return criteria


#: A visit with an alert not resolved yet (correlated with the visit of the enclosing query).
_ALERTED = (
    select(VisitAlert.id)
    .where(VisitAlert.visit_id == FieldVisit.id, VisitAlert.resolved_at.is_(None))
    .exists()
)
#: Overdue on the safety board: one of the visit's alerts is neither resolved nor
#: acknowledged, so nobody has taken it up yet (however many alerts it raised).
_OVERDUE = (
    select(VisitAlert.id)
    .where(
        VisitAlert.visit_id == FieldVisit.id,
        VisitAlert.resolved_at.is_(None),
        VisitAlert.acknowledged_at.is_(None),
    )
    .exists()
)


async def safety_board(session: AsyncSession, clock: Clock, viewer: CurrentUser) -> SafetyBoardOut:
    """Open visits of the viewer's teams (all teams for admins), by urgency."""
    guarded = await _require_guardian(session, viewer)
    now = clock.now()
    rows = (
        await session.execute(
            select(FieldVisit, _OVERDUE, _ALERTED)
            .where(*_on_board(clock, viewer, guarded))
            .order_by(FieldVisit.planned_end, FieldVisit.id)
        )
    ).all()
    loaded = await _load(session, viewer, [visit for visit, _overdue, _alerted in rows])
    overdue: list[VisitOut] = []
    acknowledged: list[VisitOut] = []
    open_visits: list[VisitOut] = []
    for visit, is_overdue, alerted in rows:
        out = visit_out(visit, loaded, viewer, now, with_address=False)
        if is_overdue:
            overdue.append(out)
        elif alerted:
            acknowledged.append(out)
        else:
            open_visits.append(out)
    return SafetyBoardOut(
        at=local(now), overdue=overdue, acknowledged=acknowledged, open=open_visits
    )


async def acknowledge_alert(
    session: AsyncSession, clock: Clock, actor: CurrentUser, alert_id: int
) -> AlertOut:
    """ "I am taking this up": stops the escalation. Acknowledging an escalation also
    acknowledges the first alert. Acknowledging again changes nothing."""
    await lock_for_write(session)
    alert = await session.get(VisitAlert, alert_id)
    if alert is None:
        raise NotFound(_("No such alert."))
    visit = await _get(session, alert.visit_id)
    access = await _one_access(session, actor, visit)
    if not can_acknowledge(access):
        raise Forbidden(
            _("Only the team lead and the safety contacts can acknowledge alerts.")
            if not access.is_visitor
            else _("An alert about your own visit is for others to acknowledge.")
        )
    now = clock.now()
    targets = [alert]
    if alert.level == AlertLevel.ESCALATION:
        targets += (
            (
                await session.execute(
                    select(VisitAlert).where(
                        VisitAlert.visit_id == alert.visit_id,
                        VisitAlert.due_end == alert.due_end,
                        VisitAlert.level == AlertLevel.OVERDUE,
                    )
                )
            )
            .scalars()
            .all()
        )
    await cancel_mail(session, (alert_ref(t.id) for t in targets))
    for target in targets:
        if target.acknowledged_at is not None:
            continue
        target.acknowledged_at = now
        target.acknowledged_by_id = actor.id
        await record(
            session,
            clock,
            actor_id=actor.id,
            action="acknowledge_alert",
            object_type=OBJECT_TYPE,
            object_id=visit.id,
            alert_id=target.id,
            level="escalation" if target.level == AlertLevel.ESCALATION else "overdue",
        )
    await session.flush()
    people: dict[int, Person] = {}
    if alert.acknowledged_by_id is not None:
        by = await session.get(Person, alert.acknowledged_by_id)
        if by is not None:
            people[by.id] = by
    return alert_out(alert, people, access)


# --- safety contacts ----------------------------------------------------------------------


def _require_team_lead(actor: CurrentUser, team_id: int) -> None:
    if not actor.is_admin and team_id not in actor.lead_team_ids:
        raise Forbidden(_("Only the team lead can change the team's safety contacts."))


async def list_safety_contacts(
    session: AsyncSession, viewer: CurrentUser
) -> list[SafetyContactOut]:
    """Safety contacts of the teams the viewer leads (all teams for admins), leads first."""
    team_filter: Any = (
        true() if viewer.is_admin else TeamMembership.team_id.in_(viewer.lead_team_ids)
    )
    found: list[SafetyContactOut] = []
    for team_id, team_name, pid, name in await session.execute(
        select(Team.id, Team.name, Person.id, Person.name)
        .join(TeamMembership, TeamMembership.team_id == Team.id)
        .join(Person, Person.id == TeamMembership.person_id)
        .where(TeamMembership.is_lead.is_(True), Person.active.is_(True), team_filter)
    ):
        found.append(SafetyContactOut(team_id, team_name, PersonRef(id=pid, name=name), True))
    contact_filter: Any = (
        true() if viewer.is_admin else VisitSafetyContact.team_id.in_(viewer.lead_team_ids)
    )
    for team_id, team_name, pid, name in await session.execute(
        select(Team.id, Team.name, Person.id, Person.name)
        .join(VisitSafetyContact, VisitSafetyContact.team_id == Team.id)
        .join(Person, Person.id == VisitSafetyContact.person_id)
        .where(contact_filter)
    ):
        found.append(SafetyContactOut(team_id, team_name, PersonRef(id=pid, name=name), False))
    return sorted(found, key=lambda c: (c.team_name, not c.is_lead, c.person.name))


async def add_safety_contact(
    session: AsyncSession, clock: Clock, actor: CurrentUser, data: SafetyContactIn
) -> SafetyContactOut:
    _require_team_lead(actor, data.team_id)
    team = await session.get(Team, data.team_id)
    if team is None:
        raise InvalidInput(_("No such team."), field="team_id")
    person = await session.get(Person, data.person_id)
    if person is None or not person.active:
        raise InvalidInput(_("Unknown colleague."), field="person_id")
    existing = await session.get(VisitSafetyContact, (data.team_id, data.person_id))
    if existing is None:
        session.add(VisitSafetyContact(team_id=data.team_id, person_id=data.person_id))
        await session.flush()
        await record(
            session,
            clock,
            actor_id=actor.id,
            action="add_safety_contact",
            object_type="team",
            object_id=team.id,
            person_id=person.id,
        )
    return SafetyContactOut(team.id, team.name, PersonRef(id=person.id, name=person.name), False)


async def remove_safety_contact(
    session: AsyncSession, clock: Clock, actor: CurrentUser, team_id: int, person_id: int
) -> None:
    _require_team_lead(actor, team_id)
    existing = await session.get(VisitSafetyContact, (team_id, person_id))
    if existing is None:
        raise NotFound(_("This colleague is not a safety contact of the team."))
    await session.delete(existing)
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="remove_safety_contact",
        object_type="team",
        object_id=team_id,
        person_id=person_id,
    )


# --- for presence: who is on a visit now --------------------------------------------------


@dataclass(frozen=True)
class ActiveVisit:
    """Someone is on location: the area (never the address) and until when."""

    visit_id: int
    person_id: int
    area: str
    start: datetime
    until: datetime
    checked_in: bool


_AT: BindParameter[datetime] = bindparam("at")
#: Visits under way at ``at`` of some people, ending last last (see ``active_visits_at``).
_ACTIVE_VISITS = (
    select(
        FieldVisitor.person_id,
        FieldVisit.id,
        FieldVisit.area,
        FieldVisit.planned_start,
        FieldVisit.planned_end,
        FieldVisit.status,
    )
    .join(FieldVisit, FieldVisit.id == FieldVisitor.visit_id)
    .where(
        in_ids(FieldVisitor.person_id, ids_param("ids")),
        or_(
            and_(
                FieldVisit.status == VisitStatus.CHECKED_IN.value,
                FieldVisit.checked_in_at <= _AT,
                FieldVisit.planned_end > bindparam("lookback"),
            ),
            and_(
                one_of(FieldVisit.status, OPEN_STATUS_VALUES),
                FieldVisit.planned_start <= _AT,
                FieldVisit.planned_end > _AT,
            ),
        ),
    )
    .order_by(FieldVisit.planned_end)
)


async def active_visits_at(
    session: AsyncSession, person_ids: Iterable[int], at: datetime
) -> dict[int, ActiveVisit]:
    """Per person, the visit they are on at ``at`` (one query).

    On a visit means: checked in and not yet out, or planned to be there at ``at``
    and not checked out or cancelled. With two at once the one ending last wins.
    """
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    rows = await select_rows(
        session, _ACTIVE_VISITS, {"ids": ids, "at": at, "lookback": at - LOOKBACK}
    )
    return {
        person_id: ActiveVisit(
            visit_id=visit_id,
            person_id=person_id,
            area=area,
            start=start,
            until=until,
            checked_in=status == VisitStatus.CHECKED_IN.value,
        )
        for person_id, visit_id, area, start, until, status in rows
    }


async def open_visits_during(
    session: AsyncSession, person_id: int, half_days: Iterable[tuple[date, str]]
) -> list[FieldVisit]:
    """The open visits (planned or under way) of ``person_id`` that overlap any of the
    (date, ``morning``/``afternoon``) ``half_days``, soonest first."""
    wanted = set(half_days)
    if not wanted:
        return []
    days = sorted(day for day, _part in wanted)
    visits = (
        await session.execute(
            select(FieldVisit)
            .join(FieldVisitor, FieldVisitor.visit_id == FieldVisit.id)
            .where(
                FieldVisitor.person_id == person_id,
                one_of(FieldVisit.status, OPEN_STATUS_VALUES),
                FieldVisit.planned_end > local_midnight(days[0]),
                FieldVisit.planned_start < local_midnight(days[-1] + timedelta(days=1)),
            )
            .order_by(FieldVisit.planned_start, FieldVisit.id)
        )
    ).scalars()
    return [
        visit
        for visit in visits
        if wanted.intersection(covered_half_days(visit.planned_start, visit.planned_end))
    ]


# --- for calendar feeds: when people are on location -------------------------------------


@dataclass(frozen=True)
class TimeOnLocation:
    """Someone's time on one visit: the area (never the address), from arriving (or the
    planned start) until leaving (or the planned end)."""

    visit_id: int
    person_id: int
    area: str
    start: datetime
    end: datetime
    updated_at: datetime


_ARRIVED = func.coalesce(FieldVisit.checked_in_at, FieldVisit.planned_start)
_LEFT = func.coalesce(FieldVisit.checked_out_at, FieldVisit.planned_end)
_START: BindParameter[datetime] = bindparam("start")
_END: BindParameter[datetime] = bindparam("end")
#: The visits of some people that are not cancelled and overlap [start, end).
_VISITS_BETWEEN = (
    select(
        FieldVisit.id,
        FieldVisitor.person_id,
        FieldVisit.area,
        _ARRIVED,
        _LEFT,
        FieldVisit.updated_at,
    )
    .join(FieldVisit, FieldVisit.id == FieldVisitor.visit_id)
    .where(
        in_ids(FieldVisitor.person_id, ids_param("ids")),
        FieldVisit.status != VisitStatus.CANCELLED.value,
        _ARRIVED < _END,
        _LEFT > _START,
    )
    .order_by(_ARRIVED, FieldVisit.id, FieldVisitor.person_id)
)


async def time_on_location(
    session: AsyncSession, person_ids: Iterable[int], start: datetime, end: datetime
) -> list[TimeOnLocation]:
    """The visits of these people between ``start`` and ``end`` that are not cancelled, one
    per visitor (one query), soonest first. A visit checked out at the moment it started
    (nobody went) gives no time."""
    ids = sorted(set(person_ids))
    if not ids:
        return []
    rows = await select_rows(session, _VISITS_BETWEEN, {"ids": ids, "start": start, "end": end})
    return [TimeOnLocation(*row) for row in rows if row[4] > row[3]]


async def home_visits(
    session: AsyncSession, clock: Clock, settings: Settings, user: CurrentUser
) -> dict[str, Any]:
    """Home page block: my visits today with one-tap check-in and check-out, and for team
    leads and safety contacts the number of overdue visits nobody has taken up yet."""
    return {
        "visits_home": await visits_today(session, clock, user),
        "visits_overdue": await count_overdue_visits(session, clock, user),
        "extension_minutes": EXTENSION_MINUTES,
    }


async def count_overdue_visits(session: AsyncSession, clock: Clock, viewer: CurrentUser) -> int:
    """How many visits the viewer's safety board lists as overdue (for a badge): a visit
    counts once, escalated or not, and leaves the count when it leaves the board."""
    guarded = await guarded_team_ids(session, viewer)
    if not guarded and not viewer.is_admin:
        return 0
    statement = select(func.count(FieldVisit.id)).where(
        *_on_board(clock, viewer, guarded), _OVERDUE
    )
    return int((await session.execute(statement)).scalar_one())
