"""Team days ("Teamdag plannen"): a team lead books desks close together for the members
of their team on one date and day part, in one go, where hybrid teams agree on office days.

Every desk is booked through ``services.create_booking`` for the member, so each rule of a
single booking holds (spaces reserved by the member's teams, capacity cap, horizon,
closures, approval), and each booking is audited, announced and mailed to its holder as
any other. Each member's booking runs in a savepoint of its own, so that one refused
undoes none of the others. A refusal of the desk (taken meanwhile, reserved for teams
the member is not in, closed) tries the next desk; a refusal of the member (a desk
already, capacity cap reached, too far ahead) is reported for them. Members who hold a
desk at that time already keep it and are reported with it, so sending the same team day
twice books nothing twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.bookings import services as bookings
from werkplek.bookings.availability import (
    DeskAvailability,
    desk_availability,
    free_desks,
    site_with_floor,
)
from werkplek.bookings.models import BookingStatus
from werkplek.bookings.schemas import (
    BookingIn,
    DayPartWindow,
    DeskStatusOut,
    TeamDayIn,
    TeamDayOut,
    TeamDayRefusalOut,
    TeamDaySeatOut,
)
from werkplek.clock import Clock, local_midnight
from werkplek.db import lock_for_write
from werkplek.errors import DomainError, Forbidden, InvalidInput
from werkplek.i18n import _
from werkplek.people.models import Person, Team, TeamMembership
from werkplek.people.schemas import TeamOut
from werkplek.people.services import CurrentUser, list_teams
from werkplek.rooms.services import DayPart

#: Refusals of a desk, not of the member: the next desk is tried.
DESK_REFUSALS = frozenset(
    {"booking_conflict", "restricted_space", "space_closed", "space_inactive"}
)
#: Refusals of that desk for everyone: it is not tried for the next members either.
_DESK_GONE = DESK_REFUSALS - {"restricted_space"}
#: The states of a day part in which a desk may still be bookable for a member: free;
#: ``full`` (the cap, which booking reports for the member); ``restricted`` for the lead,
#: who need not be in the teams the desk is reserved for.
_CANDIDATE_STATES = frozenset({"free", "full", "restricted"})


@dataclass(frozen=True)
class Member:
    """An active member of a team."""

    person_id: int
    name: str


def may_plan_team_day(actor: CurrentUser, team_id: int) -> bool:
    """Whether ``actor`` books team days for a team: its leads, and those who book for any
    colleague (``services.may_book_for_anyone``), as ``services.may_book_for`` has it."""
    return actor.leads(team_id) or bookings.may_book_for_anyone(actor)


async def plannable_teams(session: AsyncSession, actor: CurrentUser) -> list[TeamOut]:
    """The teams ``actor`` may book a team day for, by name."""
    return [team for team in await list_teams(session) if may_plan_team_day(actor, team.id)]


async def _plannable_team(session: AsyncSession, actor: CurrentUser, team_id: int) -> Team:
    team = await session.get(Team, team_id)
    if team is None:
        raise InvalidInput(_("No such team."), field="team_id", code="unknown_team")
    if not may_plan_team_day(actor, team.id):
        raise Forbidden(
            _("Only a lead of this team can plan its team day."),
            field="team_id",
            code="not_team_lead",
        )
    return team


async def team_members(session: AsyncSession, team_id: int) -> list[Member]:
    """The team's active members by name (its leads too)."""
    rows = await session.execute(
        select(Person.id, Person.name)
        .join(TeamMembership, TeamMembership.person_id == Person.id)
        .where(TeamMembership.team_id == team_id, Person.active.is_(True))
        .order_by(Person.name, Person.id)
    )
    return [Member(person_id, name) for person_id, name in rows]


def _chosen(members: list[Member], person_ids: list[int] | None) -> list[Member]:
    """The members asked for (all when none are named), refused at ``person_ids`` when
    there are none or one is not an active member."""
    if person_ids is None:
        chosen = members
    else:
        wanted = set(person_ids)
        chosen = [member for member in members if member.person_id in wanted]
        if len(chosen) < len(wanted):
            raise InvalidInput(
                _("Choose active members of this team only."),
                field="person_ids",
                code="not_a_member",
            )
    if not chosen:
        raise InvalidInput(
            _("Choose at least one member of the team."),
            field="person_ids",
            code="no_members_chosen",
        )
    return chosen


async def seats_held(
    session: AsyncSession, person_ids: Sequence[int], day: date, start: datetime, end: datetime
) -> dict[int, bookings.DeskBooking]:
    """The desk each of these people holds at some time in [start, end) on ``day`` (the
    first, where they hold two one after the other), by person (one query)."""
    held: dict[int, bookings.DeskBooking] = {}
    for booking in await bookings.desk_bookings_between(session, person_ids, day, day):
        if booking.start_at < end and booking.end_at > start:
            held.setdefault(booking.person_id, booking)
    return held


@dataclass(frozen=True)
class TeamDayPlan:
    """What the team day page shows before booking: the site's desks that day, how many
    of them are free for the day part, and the team's members with the desk each holds
    then (none: not seated yet)."""

    availability: DeskAvailability
    free: int
    members: list[Member]
    seats: dict[int, bookings.DeskBooking]


async def team_day_plan(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    team_id: int,
    site_id: int,
    day: date,
    part: DayPart,
    *,
    floor_id: int | None = None,
) -> TeamDayPlan:
    """The team day of a team ``actor`` may plan (see ``plannable_teams``) as it stands:
    who sits where at the time of ``part`` at the site (the whole day when it is closed)."""
    availability = await desk_availability(session, clock, actor, site_id, day, floor_id=floor_id)
    window = availability.window(part)
    start, end = (
        (window.start, window.end)
        if window is not None
        else (local_midnight(day), local_midnight(day + timedelta(days=1)))
    )
    members = await team_members(session, team_id)
    seats = await seats_held(session, [member.person_id for member in members], day, start, end)
    return TeamDayPlan(
        availability=availability,
        free=len(free_desks(availability.desks, part)),
        members=members,
        seats=seats,
    )


def desks_close_together(desks: Sequence[DeskStatusOut]) -> list[DeskStatusOut]:
    """``desks`` in the order to seat a team side by side: the zone with the most of them
    first, then the other zones of its floor, then the other floors alike (the floor with
    the biggest zone first). Desks without a zone make one zone of their floor; within a
    zone desks keep their order (by name, as ``desk_availability`` lists them)."""
    floors: dict[int | None, dict[int | None, list[DeskStatusOut]]] = {}
    for desk in desks:
        floors.setdefault(desk.floor_id, {}).setdefault(desk.zone_id, []).append(desk)
    zones_per_floor = [
        sorted(zones.values(), key=len, reverse=True)  # stable: equal zones in name order
        for zones in floors.values()
    ]
    zones_per_floor.sort(key=lambda zones: (len(zones[0]), sum(map(len, zones))), reverse=True)
    return [desk for zones in zones_per_floor for zone in zones for desk in zone]


def _candidates(desks: Sequence[DeskStatusOut], part: DayPart) -> list[DeskStatusOut]:
    """The desks to try, close together: plain desks before quiet ones, which are for
    working in silence, not for a team that came in to work together."""
    open_desks = [desk for desk in desks if getattr(desk, part.value) in _CANDIDATE_STATES]
    return [
        desk
        for kind in bookings.DESK_KINDS
        for desk in desks_close_together([d for d in open_desks if d.kind is kind])
    ]


async def _bookable_window(
    session: AsyncSession, clock: Clock, actor: CurrentUser, data: TeamDayIn
) -> tuple[DeskAvailability, DayPartWindow]:
    """The site's desks on the day, and the day part's hours; refused at the field when
    the site, floor, date or day part cannot be booked for anyone."""
    site = await site_with_floor(session, data.site_id, data.floor_id)
    availability = await desk_availability(
        session, clock, actor, site.id, data.date, floor_id=data.floor_id
    )
    if availability.not_bookable is not None:
        raise bookings.BookingRuleBroken(
            availability.not_bookable,
            field="date",
            code="too_far_ahead" if data.date > availability.last_day else "in_the_past",
        )
    if not availability.day.is_open:
        raise bookings.BookingRuleBroken(
            _("The site is closed on this day: %(reason)s.", reason=availability.day.reason),
            field="date",
            code="site_closed",
        )
    window = availability.window(data.day_part)
    assert window is not None  # the site is open that day
    if window.end <= clock.now():
        raise bookings.BookingRuleBroken(
            _("This time has already passed."), field="day_part", code="in_the_past"
        )
    return availability, window


def _no_free_desk() -> bookings.BookingRuleBroken:
    return bookings.BookingRuleBroken(
        _("No desk is left here that this colleague may book."),
        field="site_id",
        code="no_free_desk",
    )


async def _seat(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    data: TeamDayIn,
    member: Member,
    desks: list[DeskStatusOut],
) -> TeamDaySeatOut:
    """Book the first of ``desks`` that ``create_booking`` accepts for the member, each try
    in a savepoint; a desk gone for everyone is dropped from ``desks``. Raises the member's
    refusal."""
    for desk in list(desks):
        request = BookingIn(
            space_id=desk.space_id,
            date=data.date,
            day_part=data.day_part,
            booked_for_id=member.person_id,
        )
        try:
            async with session.begin_nested():
                result = await bookings.create_booking(session, clock, actor, request)
        except DomainError as exc:
            if exc.code not in DESK_REFUSALS:
                raise
            if exc.code in _DESK_GONE:
                desks.remove(desk)
            continue
        desks.remove(desk)
        booking = result.created[0]
        return TeamDaySeatOut(
            person_id=member.person_id,
            name=member.name,
            booking_id=booking.id,
            space_id=desk.space_id,
            space_name=desk.name,
            status=BookingStatus(booking.status),
        )
    raise _no_free_desk()


async def book_team_day(
    session: AsyncSession, clock: Clock, actor: CurrentUser, data: TeamDayIn
) -> TeamDayOut:
    """Book a desk, close to each other, for each chosen member of the team who holds none
    at that time yet; report who was booked where, who sat somewhere already and who
    could not be booked and why. Only for those who may (``may_plan_team_day``)."""
    await lock_for_write(session)
    team = await _plannable_team(session, actor, data.team_id)
    chosen = _chosen(await team_members(session, team.id), data.person_ids)
    availability, window = await _bookable_window(session, clock, actor, data)
    held = await seats_held(
        session, [member.person_id for member in chosen], data.date, window.start, window.end
    )
    desks = _candidates(availability.desks, data.day_part)
    out = TeamDayOut(
        team_id=team.id,
        site_id=data.site_id,
        date=data.date,
        day_part=data.day_part,
        booked=[],
        already_seated=[],
        not_booked=[],
    )
    for member in chosen:
        seat = held.get(member.person_id)
        if seat is not None:
            out.already_seated.append(
                TeamDaySeatOut(
                    person_id=member.person_id,
                    name=member.name,
                    booking_id=seat.booking_id,
                    space_id=seat.space_id,
                    space_name=seat.space_name,
                    status=BookingStatus(seat.status),
                )
            )
            continue
        try:
            out.booked.append(await _seat(session, clock, actor, data, member, desks))
        except DomainError as exc:
            out.not_booked.append(
                TeamDayRefusalOut(
                    person_id=member.person_id,
                    name=member.name,
                    error=exc.code,
                    message=exc.message,
                )
            )
    return out
