"""An absence over a period: a holiday, a course or leave reported in one step.

Every working day (Monday to Friday) from the first date through the last becomes absent
for both half days, as if each had been set by hand on "Mijn week"; the person's desk
bookings in the period are cancelled and the meetings they are invited to declined (unless
they keep them), and the rooms they still hold then are named, so they can hand those
meetings over. Withdrawing an absence takes the absent half days of a period back to the
usual week, books again the desks it cancelled and gives back the answers it declined.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.audit.services import record
from werkplek.bookings.models import Booking
from werkplek.bookings.participants import (
    answer_again_after_absence,
    decline_invitations_while_absent,
)
from werkplek.bookings.services import (
    DesksRestored,
    cancel_desks_while_absent,
    restore_desks_after_absence,
    rooms_held_while_absent,
)
from werkplek.clock import Clock, days_through, local_today
from werkplek.config import Settings
from werkplek.db import lock_for_write
from werkplek.errors import Forbidden, InvalidInput
from werkplek.i18n import _
from werkplek.labels import short_date
from werkplek.notifications import services as notify
from werkplek.people.models import Person
from werkplek.people.services import CurrentUser
from werkplek.presence.days import backup_colleague, manageable_person, tell_backups
from werkplek.presence.models import DayReachability, WorkKind, WorkLocation
from werkplek.presence.schemas import (
    AbsenceIn,
    AbsentPeriodOut,
    TeamAbsenceDayOut,
    TeamAbsenceMemberOut,
    TeamAbsencesOut,
    TeamRef,
)
from werkplek.presence.services import (
    PARTS,
    WORKWEEK,
    BackupAbsent,
    Visibility,
    check_horizon,
    check_no_visit,
    is_contact_for,
    load_presence,
    person_ref,
    planning_day,
    planning_window,
    resolve_day,
    sees_absence_reason,
    team_members,
    visibility_for,
    week_of,
)
from werkplek.webhooks import services as webhooks
from werkplek.webhooks.models import WebhookEvent


@dataclass(frozen=True)
class AbsenceReported:
    """What reporting an absence did (see ``AbsenceOut``)."""

    days: list[date]
    cancelled_desk_bookings: list[Booking]
    declined_invitations: list[Booking]
    room_bookings: list[Booking]


def _absent_set(person_ids: Collection[int], first: date, last: date) -> list[ColumnElement[bool]]:
    """The half days set absent for ``person_ids`` from ``first`` through ``last``."""
    return [
        WorkLocation.person_id.in_(person_ids),
        WorkLocation.date >= first,
        WorkLocation.date <= last,
        WorkLocation.kind == WorkKind.ABSENT.value,
    ]


def working_days(first: date, last: date) -> list[date]:
    """Monday to Friday from ``first`` through ``last``."""
    return [day for day in days_through(first, last) if day.weekday() < WORKWEEK]


def _check_period(clock: Clock, settings: Settings, first: date, last: date) -> list[date]:
    """The period's working days; refused when it runs backwards, leaves the planning
    horizon or holds no working day."""
    if last < first:
        raise InvalidInput(_("The last day cannot be before the first."), field="last")
    check_horizon(clock, settings, first, "first")
    check_horizon(clock, settings, last, "last")
    days = working_days(first, last)
    if not days:
        raise InvalidInput(_("The period holds no working day (Monday to Friday)."), field="first")
    return days


async def _check_backup(session: AsyncSession, backup: Person, days: list[date]) -> None:
    """The backup stands in only if they are not absent themselves on a day of the period."""
    data = await load_presence(session, [backup.id], days[0], days[-1])
    for day in days:
        theirs = resolve_day(data, backup.id, day, None)
        if any(theirs.slot(part).kind is WorkKind.ABSENT for part in PARTS):
            raise BackupAbsent(
                _(
                    "%(name)s is absent on %(day)s; choose another backup colleague.",
                    name=backup.name,
                    day=short_date(day),
                ),
                field="backup_id",
            )


async def report_absence(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    actor: CurrentUser,
    person_id: int,
    data: AbsenceIn,
) -> AbsenceReported:
    """Mark every working day of ``data``'s period absent for ``person_id`` (oneself, a
    member of a team one leads, or anyone for an administrator). A day's note and backup
    become those given (none given: none of its own, so the usual backup applies); its
    reachable hours stay. Only the person themselves records a reason; a team lead who
    reports a member absent keeps the reason the member gave for a day."""
    await lock_for_write(session)
    person = await manageable_person(session, actor, person_id)
    days = _check_period(clock, settings, data.first, data.last)
    reason = " ".join((data.absence_reason or "").split()) or None
    private_ok = sees_absence_reason(actor, person)
    if reason is not None and not private_ok:
        raise Forbidden(
            _("Only the person themselves records the reason for an absence."),
            field="absence_reason",
        )
    if data.backup_id is not None:
        backup = await backup_colleague(session, person, data.backup_id)
        await _check_backup(session, backup, days)
    await check_no_visit(session, person, [(day, part) for day in days for part in PARTS], "first")
    note = " ".join(data.note.split())
    now = clock.now()

    kept_reasons: dict[tuple[date, str], str | None] = {}
    if not private_ok:
        kept_reasons = {
            (entry.date, entry.day_part): entry.absence_reason
            for entry in await session.scalars(
                select(WorkLocation).where(*_absent_set([person.id], days[0], days[-1]))
            )
        }
    await session.execute(
        delete(WorkLocation).where(WorkLocation.person_id == person.id, WorkLocation.date.in_(days))
    )
    for day in days:
        for part in PARTS:
            session.add(
                WorkLocation(
                    person_id=person.id,
                    date=day,
                    day_part=part.value,
                    kind=WorkKind.ABSENT.value,
                    absence_reason=reason or kept_reasons.get((day, part.value)),
                    updated_by_id=actor.id,
                    updated_at=now,
                )
            )
    taken = await _replace_notes(session, person.id, days, note, data.backup_id, now)
    await session.flush()
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="report_absence",
        object_type="presence",
        object_id=person.id,
        first=data.first.isoformat(),
        last=data.last.isoformat(),
        days=len(days),
    )
    absent = {"kind": WorkKind.ABSENT.value, "site_id": None}
    await _tell_webhooks(
        session, clock, person.id, {day: dict.fromkeys(_PART_NAMES, absent) for day in days}
    )
    cancelled = (
        await cancel_desks_while_absent(session, clock, actor.id, person.id, data.first, data.last)
        if data.cancel_desk_bookings
        else []
    )
    declined = (
        await decline_invitations_while_absent(
            session, clock, actor.id, person, data.first, data.last
        )
        if data.decline_invitations
        else []
    )
    rooms = await rooms_held_while_absent(session, clock, person.id, data.first, data.last)
    await tell_backups(session, clock, actor, person, taken=taken)
    if data.backup_id is not None:
        await notify.backup_named(
            session,
            clock,
            data.backup_id,
            _told(actor, days, withdrawn=False)
            | {
                "absent": person.name,
                "by_themselves": actor.id == person.id,
                "note": note,
                "dates": [{"date": day.isoformat(), "note": note} for day in days],
            },
            person_id=person.id,
            named_by=actor.id,
        )
    if actor.id != person.id:
        facts = _told(actor, days, withdrawn=False)
        facts |= {"desks_cancelled": len(cancelled), "invitations_declined": len(declined)}
        await notify.absence_reported(session, clock, person.id, facts, rooms)
    return AbsenceReported(days, cancelled, declined, rooms)


def _told(actor: CurrentUser, days: list[date], *, withdrawn: bool) -> dict[str, Any]:
    """What the mail to someone whose absence another reported or withdrew says of it."""
    return {
        "reported_by": actor.name,
        "first": days[0].isoformat(),
        "last": days[-1].isoformat(),
        "days": len(days),
        "withdrawn": withdrawn,
    }


_PART_NAMES = tuple(part.value for part in PARTS)


async def _replace_notes(
    session: AsyncSession,
    person_id: int,
    days: list[date],
    note: str,
    backup_id: int | None,
    now: datetime,
) -> list[tuple[date, int]]:
    """Each day's note and backup become ``note`` and ``backup_id``; a day's own reachable
    hours stay, and a day left with nothing of its own loses its row. Returns the days
    that had another backup, with that backup (``tell_backups``)."""
    rows = {
        reach.date: reach
        for reach in (
            await session.execute(
                select(DayReachability).where(
                    DayReachability.person_id == person_id, DayReachability.date.in_(days)
                )
            )
        ).scalars()
    }
    taken: list[tuple[date, int]] = []
    for day in days:
        reach = rows.get(day)
        if reach is not None and reach.backup_id not in (None, backup_id):
            taken.append((day, reach.backup_id))
        if reach is None and (note or backup_id is not None):
            reach = DayReachability(person_id=person_id, date=day)
            session.add(reach)
        if reach is None:
            continue
        if not (note or backup_id is not None or reach.reachable_from):
            await session.delete(reach)
            continue
        reach.note = note
        reach.backup_id = backup_id
        reach.updated_at = now
    return taken


async def _tell_webhooks(
    session: AsyncSession,
    clock: Clock,
    person_id: int,
    changes: dict[date, dict[str, dict[str, Any] | None]],
) -> None:
    """One ``presence.changed`` event per day: its half days' new kind, or None for a half
    day back to the usual week."""
    events = [webhooks.presence_data(person_id, day, parts) for day, parts in changes.items()]
    await webhooks.emit(session, clock, WebhookEvent.PRESENCE_CHANGED, events)


@dataclass(frozen=True)
class AbsenceWithdrawn:
    """What withdrawing an absence did (see ``AbsenceWithdrawnOut``)."""

    days: list[date]
    desks: DesksRestored
    invitations: list[Booking]


async def withdraw_absence(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    actor: CurrentUser,
    person_id: int,
    first: date,
    last: date,
    *,
    restore_desks: bool = True,
    restore_invitations: bool = True,
) -> AbsenceWithdrawn:
    """Take the absent half days from ``first`` through ``last`` back to the usual week
    (bookings and weekly pattern): the holiday did not happen after all. Other half days
    set by hand stay. A day absent as a whole loses its note for colleagues and its backup,
    which were about the absence ("Met vakantie, bel Jeroen"); its reachable hours stay.
    Unless told not to (``restore_desks``), the desks the absence cancelled are booked
    again where they are still free, and (``restore_invitations``) the meetings it
    declined get the person's earlier answer again where nobody answered them since."""
    await lock_for_write(session)
    person = await manageable_person(session, actor, person_id)
    _check_period(clock, settings, first, last)
    absent = await session.scalars(
        select(WorkLocation)
        .where(*_absent_set([person.id], first, last))
        .order_by(WorkLocation.date)
    )
    parts_by_day: dict[date, dict[str, dict[str, Any] | None]] = {}
    for entry in absent:
        parts_by_day.setdefault(entry.date, {})[entry.day_part] = None
        await session.delete(entry)
    await session.flush()
    days = list(parts_by_day)
    whole_days = [day for day, parts in parts_by_day.items() if len(parts) == len(PARTS)]
    if whole_days:
        taken = await _replace_notes(session, person.id, whole_days, "", None, clock.now())
        await tell_backups(session, clock, actor, person, taken=taken)
    if days:
        await record(
            session,
            clock,
            actor_id=actor.id,
            action="withdraw_absence",
            object_type="presence",
            object_id=person.id,
            first=first.isoformat(),
            last=last.isoformat(),
            days=len(days),
        )
        await _tell_webhooks(session, clock, person.id, parts_by_day)
    desks = DesksRestored([], [])
    if days and restore_desks:
        desks = await restore_desks_after_absence(session, clock, actor, person.id, days)
    invitations: list[Booking] = []
    if days and restore_invitations:
        invitations = await answer_again_after_absence(session, clock, actor.id, person, days)
    if days and actor.id != person.id:
        facts = _told(actor, days, withdrawn=True)
        facts["desks_restored"] = len(desks.booked)
        facts["desks_not_restored"] = len(desks.not_restored)
        # None: asked to leave them declined, which the mail then says.
        facts["invitations_restored"] = len(invitations) if restore_invitations else None
        await notify.absence_reported(session, clock, person.id, facts)
    return AbsenceWithdrawn(days, desks, invitations)


@dataclass(frozen=True)
class AbsentPeriod:
    """Working days marked absent one after another (a weekend between them does not end
    the period), with their reason when the viewer may see it."""

    first: date
    last: date
    days: int
    absence_reason: str | None


def _joined(rows: Iterable[tuple[date, str | None]], show_reason: bool) -> list[AbsentPeriod]:
    """Absent half days (date, reason), by date, as periods of working days one after
    another; for those who see reasons a different reason starts a new period."""
    periods: list[AbsentPeriod] = []
    for day, stored_reason in rows:
        reason = stored_reason if show_reason else None
        current = periods[-1] if periods else None
        if current is not None and day == current.last:
            continue
        if (
            current is not None
            and current.absence_reason == reason
            and not working_days(current.last + timedelta(days=1), day - timedelta(days=1))
        ):
            periods[-1] = replace(current, last=day, days=current.days + 1)
        else:
            periods.append(AbsentPeriod(day, day, 1, reason))
    return periods


def _absent_between(
    person_ids: Collection[int], first: date, last: date
) -> Select[int, date, str | None]:
    """The absent half days set for ``person_ids`` from ``first`` through ``last``: person,
    date and reason, by person and date."""
    return (
        select(WorkLocation.person_id, WorkLocation.date, WorkLocation.absence_reason)
        .where(*_absent_set(person_ids, first, last))
        .order_by(WorkLocation.person_id, WorkLocation.date, WorkLocation.day_part)
    )


async def absent_periods(
    session: AsyncSession, clock: Clock, settings: Settings, actor: CurrentUser, person_id: int
) -> list[AbsentPeriod]:
    """The days marked absent for ``person_id`` from today through the planning horizon,
    joined into periods, soonest first: what one reported, to check or withdraw. Absent
    half days of the usual week are not listed (they are the week, not an absence
    reported). A different reason starts a new period, for those who see reasons only."""
    person = await manageable_person(session, actor, person_id)
    horizon = planning_window(clock, settings)[1]
    rows = await session.execute(_absent_between([person.id], local_today(clock), horizon))
    return _joined(
        ((day, reason) for _id, day, reason in rows.all()), sees_absence_reason(actor, person)
    )


#: How many weeks the team's absences show by default, and at most.
TEAM_WEEKS = 6
TEAM_WEEKS_MAX = 13


def period_out(period: AbsentPeriod) -> AbsentPeriodOut:
    return AbsentPeriodOut(period.first, period.last, period.days, period.absence_reason)


def may_see_team_absences(viewer: CurrentUser, team_id: int) -> bool:
    """Who sees that colleagues are absent (not merely "not in"): the team's leads, team
    leads and the KCC (as on the team board), and administrators."""
    return viewer.is_admin or is_contact_for(viewer, {team_id})


async def team_absences(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    viewer: CurrentUser,
    team_id: int,
    start: date | None = None,
    weeks: int = TEAM_WEEKS,
) -> TeamAbsencesOut:
    """Who of a team is absent, by the days set, in ``weeks`` weeks from the week holding
    ``start`` (by default the week one plans), to see whether enough stay to do the work
    before approving another holiday. Absent half days of the usual week (a part-timer's
    day off) are left out: they are the week, not an absence. Ends at the planning horizon;
    a reason only for those who see it (``sees_absence_reason``)."""
    if not may_see_team_absences(viewer, team_id):
        raise Forbidden(_("Only team leads, the KCC and administrators see a team's absences."))
    monday = week_of(start or planning_day(local_today(clock)))[0]
    check_horizon(clock, settings, monday, "from")
    horizon = planning_window(clock, settings)[1]
    last = min(monday + timedelta(weeks=weeks, days=-3), horizon)
    team_name, members = await team_members(session, team_id)
    rows = (
        await session.execute(
            _absent_between([person.id for person, _lead in members], monday, last)
        )
    ).all()
    by_person: dict[int, list[tuple[date, str | None]]] = {}
    for person_id, day, reason in rows:
        by_person.setdefault(person_id, []).append((day, reason))
    absent_per_day = dict.fromkeys(working_days(monday, last), 0)
    for _person_id, day in {(person_id, day) for person_id, day, _reason in rows}:
        if day in absent_per_day:
            absent_per_day[day] += 1
    listed = [
        TeamAbsenceMemberOut(
            person_ref(person),
            [
                period_out(period)
                for period in _joined(
                    by_person[person.id], visibility_for(viewer, person) is Visibility.FULL
                )
            ],
        )
        for person, _lead in members
        if person.id in by_person
    ]
    return TeamAbsencesOut(
        team=TeamRef(team_id, team_name),
        first=monday,
        last=last,
        size=len(members),
        days=[TeamAbsenceDayOut(day, count) for day, count in absent_per_day.items()],
        members=listed,
    )
