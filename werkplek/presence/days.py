"""One person's days: reading and setting a day, copying last week, the backups named
for days, and the weekly pattern.

Who may see and set someone's days is ``manageable_person``. A day as a page or the API
shows it (``services.day_out``) stays in ``services``: the home page block needs it there.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.audit.services import record
from werkplek.clock import Clock, local_today
from werkplek.config import Settings
from werkplek.db import ids_param, in_ids, lock_for_write, select_rows
from werkplek.errors import Forbidden, InvalidInput, refuse_all
from werkplek.i18n import _
from werkplek.labels import WEEKDAY_NAMES
from werkplek.notifications import services as notify
from werkplek.people.models import Person
from werkplek.people.services import CurrentUser
from werkplek.presence.models import (
    DayReachability,
    PresencePart,
    WeeklyPattern,
    WorkKind,
    WorkLocation,
)
from werkplek.presence.schemas import (
    DayIn,
    DayOut,
    PartIn,
    PatternDayOut,
    PatternIn,
    PatternOut,
    PatternSlotOut,
)
from werkplek.presence.services import (
    OFFICE_SITE_KINDS,
    PARTS,
    PATTERN_PART_ERRORS,
    BackupAbsent,
    EntryRow,
    PresenceData,
    check_horizon,
    check_no_visit,
    day_out,
    desk_slots_between,
    get_active_person,
    load_presence,
    may_manage,
    people_by_id,
    person_ref,
    resolve_day,
    sees_absence_reason,
    week_of,
)
from werkplek.rooms.models import Site, SiteKind
from werkplek.rooms.services import DayPart
from werkplek.webhooks import services as webhooks
from werkplek.webhooks.models import WebhookEvent

#: The most days one request for a person's days answers.
DAYS_AT_ONCE = 31
_DIGITS = re.compile(r"\d")


# --- one person's days --------------------------------------------------------------------


async def manageable_person(session: AsyncSession, viewer: CurrentUser, person_id: int) -> Person:
    """The active person whose days ``viewer`` may see and set (``may_manage``)."""
    person = await get_active_person(session, person_id)
    if not may_manage(viewer, person):
        raise Forbidden(
            _(
                "You may only see and change your own days; those of a colleague only as the"
                " lead of their team."
            )
        )
    return person


def set_by_id(data: PresenceData, person_id: int, day: date) -> int | None:
    """Who else than the person set their half days of ``day`` (the latest change), if
    anyone did: a team lead or an admin."""
    entries = [e for part in PARTS if (e := data.entries.get((person_id, day, part.value)))]
    latest = max(entries, key=lambda entry: entry.updated_at, default=None)
    if latest is None or latest.updated_by_id == person_id:
        return None
    return latest.updated_by_id


async def days_of(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    viewer: CurrentUser,
    person_id: int,
    first: date,
    last: date,
) -> list[DayOut]:
    """Several days of one person (oneself, or a team member for their lead)."""
    check_horizon(clock, settings, first, "from")
    check_horizon(clock, settings, last, "to")
    if last < first:
        raise InvalidInput(_("The end date is before the start date."), field="to")
    if (last - first).days + 1 > DAYS_AT_ONCE:  # both ends count
        raise InvalidInput(
            _("Ask for at most %(days)s days at once.", days=DAYS_AT_ONCE), field="to"
        )
    person = await manageable_person(session, viewer, person_id)
    data = await load_presence(session, [person.id], first, last)
    views = [
        resolve_day(data, person.id, first + timedelta(days=n), person.backup_id)
        for n in range((last - first).days + 1)
    ]
    setters = {view.day: set_by_id(data, person.id, view.day) for view in views}
    named = await people_by_id(
        session, {v.backup_id for v in views if v.backup_id} | {i for i in setters.values() if i}
    )
    return [
        day_out(
            data,
            view,
            person,
            viewer,
            named.get(view.backup_id or 0),
            named.get(setters[view.day] or 0),
        )
        for view in views
    ]


#: Work kinds at a site where one may need a desk.
_AT_A_DESK = frozenset({WorkKind.OFFICE.value, WorkKind.FIELD_BASE.value})


def desks_to_book(day: DayOut, today: date, desk_site_ids: Collection[int]) -> dict[str, str]:
    """The half days of ``day`` (today or later) planned at an office or field base that
    has desks (``desk_site_ids``) without a desk booked, each with the day part to book;
    when both halves are so at the same site, the morning alone, with ``day``. My week
    offers to book them, so that planning an office day leads to a desk."""
    if day.date < today:
        return {}
    open_parts = [
        part
        for part in day.parts
        if part.kind in _AT_A_DESK and part.site_id in desk_site_ids and part.desk is None
    ]
    if len(open_parts) == 2 and open_parts[0].site_id == open_parts[1].site_id:
        return {open_parts[0].day_part: DayPart.DAY.value}
    return {part.day_part: part.day_part for part in open_parts}


async def get_day(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    viewer: CurrentUser,
    person_id: int,
    day: date,
) -> DayOut:
    check_horizon(clock, settings, day)
    return (await days_of(session, clock, settings, viewer, person_id, day, day))[0]


def _expand_parts(parts: Sequence[PartIn]) -> dict[PresencePart, PartIn]:
    expanded: dict[PresencePart, PartIn] = {}
    for item in parts:
        targets = (
            list(PARTS) if item.day_part is DayPart.DAY else [PresencePart(item.day_part.value)]
        )
        for part in targets:
            if part in expanded:
                raise InvalidInput(_("A day part is given twice."), field="parts")
            expanded[part] = item
    return expanded


def _clean_area(area: str | None) -> str | None:
    cleaned = " ".join((area or "").split())
    return cleaned or None


async def _sites_by_id(session: AsyncSession, ids: Iterable[int | None]) -> dict[int, Site]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = await session.execute(select(Site).where(Site.id.in_(wanted)))
    return {site.id: site for site in rows.scalars()}


def check_location(
    kind: WorkKind, site_id: int | None, area: str | None, sites: dict[int, Site]
) -> str | None:
    """Refuse a site that does not fit the kind, and an area that is not a place name.

    Returns the cleaned area.
    """
    if kind.needs_site:
        site = sites.get(site_id) if site_id is not None else None
        if site_id is None:
            raise InvalidInput(_("Choose a site."), field="site_id")
        if site is None or not site.active:
            raise InvalidInput(_("Unknown site."), field="site_id")
        if kind is WorkKind.OFFICE and site.kind not in OFFICE_SITE_KINDS:
            raise InvalidInput(
                _("%(site)s is not an office; choose an office or satellite.", site=site.name),
                field="site_id",
            )
        if kind is WorkKind.FIELD_BASE and site.kind != SiteKind.FIELD_BASE.value:
            raise InvalidInput(_("%(site)s is not a field base.", site=site.name), field="site_id")
    elif site_id is not None:
        raise InvalidInput(
            _("A site goes only with work at an office or field base."), field="site_id"
        )
    cleaned = _clean_area(area)
    if kind is WorkKind.ON_LOCATION:
        if cleaned is None:
            raise InvalidInput(_("Name the area or village for work on location."), field="area")
        if _DIGITS.search(cleaned):
            raise InvalidInput(
                _("Give an area or village name only, never an address."), field="area"
            )
    elif cleaned is not None:
        raise InvalidInput(_("An area goes only with work on location."), field="area")
    return cleaned


def _check_hours(reachable_from: time | None, reachable_until: time | None) -> None:
    if (reachable_from is None) != (reachable_until is None):
        raise InvalidInput(
            _("Give both the start and the end of the reachable hours."),
            field="reachable_until" if reachable_until is None else "reachable_from",
        )
    if (
        reachable_from is not None
        and reachable_until is not None
        and (reachable_from >= reachable_until)
    ):
        raise InvalidInput(
            _("Reachable from must be before reachable until."), field="reachable_until"
        )


async def set_day(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    actor: CurrentUser,
    person_id: int,
    day: date,
    data: DayIn,
) -> DayOut:
    """Replace what a person said about a day; half days left out fall back again."""
    await lock_for_write(session)
    person = await manageable_person(session, actor, person_id)
    check_horizon(clock, settings, day)
    parts = _expand_parts(data.parts)
    private_ok = sees_absence_reason(actor, person)
    sites = await _sites_by_id(session, (item.site_id for item in parts.values()))
    cleaned: dict[PresencePart, tuple[PartIn, str | None, str | None]] = {}
    # A place and the reachable hours are refused together, so one save names both.
    problems: list[InvalidInput] = []
    for part, item in parts.items():
        try:
            area = check_location(item.kind, item.site_id, item.area, sites)
        except InvalidInput as problem:
            if all(problem.message != seen.message for seen in problems):
                problems.append(problem)
            continue
        reason = " ".join((item.absence_reason or "").split()) or None
        if reason is not None and item.kind is not WorkKind.ABSENT:
            raise InvalidInput(
                _("An absence reason goes only with an absence."), field="absence_reason"
            )
        if reason is not None and not private_ok:
            raise Forbidden(
                _("Only the person themselves records the reason for an absence."),
                field="absence_reason",
            )
        cleaned[part] = (item, area, reason)
    try:
        _check_hours(data.reachable_from, data.reachable_until)
    except InvalidInput as problem:
        problems.append(problem)
    refuse_all(problems)
    absent = [part for part, (item, _a, _r) in cleaned.items() if item.kind is WorkKind.ABSENT]
    await check_no_visit(session, person, [(day, part) for part in absent], "parts")
    note = " ".join(data.note.split())

    existing = {
        entry.day_part: entry
        for entry in (
            await session.execute(
                select(WorkLocation).where(
                    WorkLocation.person_id == person.id, WorkLocation.date == day
                )
            )
        ).scalars()
    }
    now = clock.now()
    if data.backup_id is not None:
        planned = {
            part: (item.kind, item.site_id, area) for part, (item, area, _r) in cleaned.items()
        }
        await _check_backup(session, person, day, data.backup_id, planned, now)

    await session.execute(
        delete(WorkLocation).where(WorkLocation.person_id == person.id, WorkLocation.date == day)
    )
    for part, (item, area, reason) in cleaned.items():
        previous = existing.get(part.value)
        if (
            reason is None
            and not private_ok
            and item.kind is WorkKind.ABSENT
            and previous is not None
            and previous.kind == WorkKind.ABSENT.value
        ):
            reason = previous.absence_reason  # a team lead keeps the reason they cannot see
        session.add(
            WorkLocation(
                person_id=person.id,
                date=day,
                day_part=part.value,
                kind=item.kind.value,
                site_id=item.site_id,
                area=area,
                absence_reason=reason,
                updated_by_id=actor.id,
                updated_at=now,
            )
        )
    reach = (
        await session.execute(
            select(DayReachability).where(
                DayReachability.person_id == person.id, DayReachability.date == day
            )
        )
    ).scalar_one_or_none()
    named_before = reach.backup_id if reach is not None else None
    keeps_reachability = data.reachable_from is not None or note or data.backup_id is not None
    if keeps_reachability:
        if reach is None:
            reach = DayReachability(person_id=person.id, date=day)
            session.add(reach)
        reach.reachable_from = data.reachable_from
        reach.reachable_until = data.reachable_until
        reach.note = note
        reach.backup_id = data.backup_id
        reach.updated_at = now
    elif reach is not None:
        await session.delete(reach)
    await session.flush()
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="set_day",
        object_type="presence",
        object_id=person.id,
        date=day.isoformat(),
        parts={part.value: item.kind.value for part, (item, _a, _r) in cleaned.items()},
    )
    # A half day set before and left out now is back to the usual week: null, so that a
    # receiver forgets what it was told about it.
    changed: dict[str, dict[str, Any] | None] = dict.fromkeys(existing)
    changed.update(
        (part.value, {"kind": item.kind.value, "site_id": item.site_id})
        for part, (item, _a, _r) in cleaned.items()
    )
    event = webhooks.presence_data(person.id, day, changed)
    await webhooks.emit(session, clock, WebhookEvent.PRESENCE_CHANGED, [event])
    if named_before != data.backup_id:
        await tell_backups(
            session,
            clock,
            actor,
            person,
            taken=[(day, named_before)] if named_before is not None else [],
            named=[(day, data.backup_id, note)] if data.backup_id is not None else [],
        )
    return await get_day(session, clock, settings, actor, person.id, day)


def _days_by_backup(
    days: Iterable[tuple[date, int, dict[str, str]]], today: date
) -> dict[int, list[dict[str, str]]]:
    """(day, backup, what a mail says of the day) as each backup's days from ``today`` on,
    in order: the days gone by no longer matter to them."""
    found: dict[int, list[dict[str, str]]] = {}
    for day, backup_id, said in sorted(days, key=lambda row: (row[0], row[1])):
        if day >= today:
            found.setdefault(backup_id, []).append({"date": day.isoformat(), **said})
    return found


async def _days_with_backups(
    session: AsyncSession, column: Any, ids: Iterable[int], since: date
) -> list[tuple[int, date, int]]:
    """(person, day, backup) of the days from ``since`` on with a backup whose ``column``
    (the person or the backup) is one of ``ids``, by person and day."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    rows = await select_rows(
        session,
        select(DayReachability.person_id, DayReachability.date, DayReachability.backup_id)
        .where(in_ids(column, ids_param("ids")), DayReachability.date >= since)
        .order_by(DayReachability.person_id, DayReachability.date),
        {"ids": wanted},
    )
    return [(person_id, day, backup_id) for person_id, day, backup_id in rows if backup_id]


async def days_backed_up_by(
    session: AsyncSession, backup_ids: Iterable[int], since: date
) -> list[tuple[int, date, int]]:
    """(person, day, backup) of the days from ``since`` on whose backup is one of
    ``backup_ids``, by person and day."""
    return await _days_with_backups(session, DayReachability.backup_id, backup_ids, since)


async def backup_days_of(
    session: AsyncSession, person_ids: Iterable[int], since: date
) -> list[tuple[int, date, int]]:
    """(person, day, backup) of the days from ``since`` on of ``person_ids`` that have a
    backup, by person and day."""
    return await _days_with_backups(session, DayReachability.person_id, person_ids, since)


async def tell_backups(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    person: Person,
    *,
    taken: Iterable[tuple[date, int]] = (),
    named: Iterable[tuple[date, int, str]] = (),
) -> None:
    """Mail each colleague one save takes off as ``person``'s backup for days (``taken``:
    the day and the backup it had) that they no longer are, and each it newly names
    (``named``: the day, the backup and the day's note) that they are, once each, listing
    their days from today on; not the actor, who knows. A day the colleague was not told
    the opposite of yet is taken out of that mail instead. Never the absence reason
    (``notify.backup_taken_back``, ``notify.backup_named``)."""
    today = local_today(clock)
    about = {"absent": person.name, "by_themselves": actor.id == person.id}
    dropped = _days_by_backup(((day, backup_id, {}) for day, backup_id in taken), today)
    for backup_id, dates in dropped.items():
        await notify.backup_taken_back(
            session,
            clock,
            backup_id,
            about | {"changed_by": actor.name, "dates": dates},
            person_id=person.id,
            changed_by=actor.id,
        )
    new = _days_by_backup(((day, b, {"note": note}) for day, b, note in named), today)
    for backup_id, dates in new.items():
        await notify.backup_named(
            session,
            clock,
            backup_id,
            about | {"reported_by": actor.name, "dates": dates},
            person_id=person.id,
            named_by=actor.id,
        )


async def backup_colleague(session: AsyncSession, person: Person, backup_id: int) -> Person:
    """The colleague ``person`` names as their backup: someone else, and active."""
    if backup_id == person.id:
        raise InvalidInput(_("A person cannot be their own backup."), field="backup_id")
    backup = await session.get(Person, backup_id)
    if backup is None or not backup.active:
        raise InvalidInput(_("Unknown backup colleague."), field="backup_id")
    return backup


#: The half days a person sets on a day, as they will be stored: kind, site and area.
PlannedParts = dict[PresencePart, tuple[WorkKind, int | None, str | None]]


async def _check_backup(
    session: AsyncSession,
    person: Person,
    day: date,
    backup_id: int,
    planned: PlannedParts,
    now: datetime,
) -> None:
    """The backup must be someone else, active, and not absent when the person is away.

    ``planned`` are the person's explicit half days of ``day`` after the change.
    """
    backup = await backup_colleague(session, person, backup_id)
    data = await load_presence(session, [person.id, backup_id], day, day)
    # The person's day as it will be after this change.
    for part in PARTS:
        data.entries.pop((person.id, day, part.value), None)
    for part, (kind, site_id, area) in planned.items():
        data.entries[(person.id, day, part.value)] = EntryRow(
            person.id, day, part.value, kind.value, site_id, area, None, now
        )
    own = resolve_day(data, person.id, day, None)
    away_parts = [part for part in PARTS if own.slot(part).kind is WorkKind.ABSENT] or list(PARTS)
    theirs = resolve_day(data, backup_id, day, None)
    if any(theirs.slot(part).kind is WorkKind.ABSENT for part in away_parts):
        raise BackupAbsent(
            _(
                "%(name)s is absent on this day; choose another backup colleague.",
                name=backup.name,
            ),
            field="backup_id",
        )


@dataclass(frozen=True)
class WeekCopy:
    """What copying last week did.

    In half days: ``copied`` filled in; ``kept`` as they were because this week already
    had them (set by hand, or a desk booking); ``unavailable`` left as they were because
    last week's site no longer takes that work (closed, or no longer an office or field
    base), so that copying stores nothing one could not set by hand. In days:
    ``backups_left_out`` did not get last week's backup colleague, who is absent that day
    or no longer active (their hours and note are copied all the same); the person's
    usual backup applies there.
    """

    copied: int
    kept: int
    unavailable: int
    backups_left_out: int


def _still_a_valid_location(entry: WorkLocation, sites: dict[int, Site]) -> bool:
    """Whether ``entry``'s kind, site and area could be set by hand today."""
    try:
        check_location(WorkKind(entry.kind), entry.site_id, entry.area, sites)
    except InvalidInput:
        return False
    return True


_Dated = TypeVar("_Dated", WorkLocation, DayReachability)


async def _days_of(
    session: AsyncSession, model: type[_Dated], person_id: int, first: date, last: date
) -> Sequence[_Dated]:
    """One person's ``model`` rows (work locations or reachability) from ``first`` to ``last``."""
    rows = await session.execute(
        select(model).where(model.person_id == person_id, model.date >= first, model.date <= last)
    )
    return rows.scalars().all()


async def copy_previous_week(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    actor: CurrentUser,
    person_id: int,
    week_day: date,
) -> WeekCopy:
    """Fill the open half days of the week of ``week_day`` from last week's entries.

    A half day this week that has an entry or a desk booking is kept; so is a day's
    reachable hours, note and backup: they are copied only onto days without any entry
    or hours of their own. Half days last week left on automatic stay automatic.
    What could not be set by hand is not copied: a half day at a site that no longer
    takes that work stays as it was, and a backup who is absent that day (or no longer
    active) is left out, so that the person's usual backup applies.
    """
    await lock_for_write(session)
    person = await manageable_person(session, actor, person_id)
    target = week_of(week_day)
    for day in (target[0], target[-1]):
        check_horizon(clock, settings, day, "week")
    shift = timedelta(days=7)
    first = target[0] - shift
    entries = await _days_of(session, WorkLocation, person.id, first, target[-1])
    reaches = await _days_of(session, DayReachability, person.id, first, target[-1])
    desks = await desk_slots_between(session, [person.id], target[0], target[-1])
    set_days = {e.date for e in entries if e.date >= target[0]}
    set_days |= {r.date for r in reaches if r.date >= target[0]}
    taken = {(e.date, e.day_part) for e in entries if e.date >= target[0]}
    taken |= {(day, part) for _person_id, day, part in desks}
    last_week = [e for e in entries if e.date < target[0]]
    open_half_days = [e for e in last_week if (e.date + shift, e.day_part) not in taken]
    sites = await _sites_by_id(session, (e.site_id for e in open_half_days))
    to_copy = [e for e in open_half_days if _still_a_valid_location(e, sites)]
    now = clock.now()
    # Each day's hours, note and backup, with the backup checked as set_day does against
    # the day as it will be after copying; a backup who fails the check is left out.
    reaches_to_copy: list[tuple[DayReachability, int | None]] = []
    backups_left_out = 0
    for reach in reaches:
        if reach.date >= target[0] or reach.date + shift in set_days:
            continue
        backup_id = reach.backup_id
        if backup_id is not None:
            day = reach.date + shift
            planned: PlannedParts = {
                PresencePart(e.day_part): (WorkKind(e.kind), e.site_id, e.area)
                for e in to_copy
                if e.date == reach.date
            }
            try:
                await _check_backup(session, person, day, backup_id, planned, now)
            except InvalidInput:
                backup_id = None
                backups_left_out += 1
        if reach.reachable_from is not None or reach.note or backup_id is not None:
            reaches_to_copy.append((reach, backup_id))
    result = WeekCopy(
        copied=len(to_copy),
        kept=len(last_week) - len(open_half_days),
        unavailable=len(open_half_days) - len(to_copy),
        backups_left_out=backups_left_out,
    )
    if not to_copy and not reaches_to_copy:
        return result
    private_ok = sees_absence_reason(actor, person)
    for entry in to_copy:
        session.add(
            WorkLocation(
                person_id=person.id,
                date=entry.date + shift,
                day_part=entry.day_part,
                kind=entry.kind,
                site_id=entry.site_id,
                area=entry.area,
                absence_reason=entry.absence_reason if private_ok else None,
                updated_by_id=actor.id,
                updated_at=now,
            )
        )
    for reach, backup_id in reaches_to_copy:
        session.add(
            DayReachability(
                person_id=person.id,
                date=reach.date + shift,
                reachable_from=reach.reachable_from,
                reachable_until=reach.reachable_until,
                note=reach.note,
                backup_id=backup_id,
                updated_at=now,
            )
        )
    await session.flush()
    copied: dict[date, dict[str, dict[str, Any]]] = {
        reach.date + shift: {} for reach, _backup_id in reaches_to_copy
    }
    for entry in to_copy:
        copied.setdefault(entry.date + shift, {})[entry.day_part] = {
            "kind": entry.kind,
            "site_id": entry.site_id,
        }
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="copy_week",
        object_type="presence",
        object_id=person.id,
        week=target[0].isoformat(),
        days=sorted(day.isoformat() for day in copied),
        kept_half_days=result.kept,
        unavailable_half_days=result.unavailable,
        backups_left_out=result.backups_left_out,
    )
    await webhooks.emit(
        session,
        clock,
        WebhookEvent.PRESENCE_CHANGED,
        [webhooks.presence_data(person.id, day, parts) for day, parts in sorted(copied.items())],
    )
    # This week's days had no backup of their own (else they were not copied onto).
    await tell_backups(
        session,
        clock,
        actor,
        person,
        named=[(r.date + shift, b, r.note) for r, b in reaches_to_copy if b is not None],
    )
    return result


# --- weekly pattern -----------------------------------------------------------------------


def _slot_out(
    kind: str | None, site_id: int | None, area: str | None, sites: dict[int, Site]
) -> PatternSlotOut | None:
    if kind is None:
        return None
    site = sites.get(site_id) if site_id is not None else None
    return PatternSlotOut(
        kind=WorkKind(kind),
        site_id=site_id,
        site_name=site.name if site is not None else None,
        area=area,
    )


async def get_pattern(session: AsyncSession, viewer: CurrentUser, person_id: int) -> PatternOut:
    person = await manageable_person(session, viewer, person_id)
    rows = (
        (
            await session.execute(
                select(WeeklyPattern)
                .where(WeeklyPattern.person_id == person.id)
                .order_by(WeeklyPattern.weekday)
            )
        )
        .scalars()
        .all()
    )
    sites = await _sites_by_id(
        session, [r.morning_site_id for r in rows] + [r.afternoon_site_id for r in rows]
    )
    return PatternOut(
        person=person_ref(person),
        days=[
            PatternDayOut(
                weekday=row.weekday,
                morning=_slot_out(row.morning_kind, row.morning_site_id, row.morning_area, sites),
                afternoon=_slot_out(
                    row.afternoon_kind, row.afternoon_site_id, row.afternoon_area, sites
                ),
                reachable_from=row.reachable_from,
                reachable_until=row.reachable_until,
            )
            for row in rows
        ],
    )


async def set_pattern(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    person_id: int,
    data: PatternIn,
) -> PatternOut:
    """Replace the whole weekly pattern."""
    await lock_for_write(session)
    person = await manageable_person(session, actor, person_id)
    sites = await _sites_by_id(
        session,
        [slot.site_id for day in data.days for slot in (day.morning, day.afternoon) if slot],
    )
    rows: list[WeeklyPattern] = []
    problems: list[InvalidInput] = []
    seen: set[int] = set()
    for day in data.days:
        if day.weekday in seen:
            raise InvalidInput(_("A weekday is listed twice."), field="days")
        seen.add(day.weekday)
        try:
            _check_hours(day.reachable_from, day.reachable_until)
        except InvalidInput as exc:
            message = _(
                "On %(day)s: %(problem)s", day=_(WEEKDAY_NAMES[day.weekday]), problem=exc.message
            )
            problems.append(InvalidInput(message, field=f"days.{day.weekday}.{exc.field}"))
        row = WeeklyPattern(
            person_id=person.id,
            weekday=day.weekday,
            reachable_from=day.reachable_from,
            reachable_until=day.reachable_until,
        )
        for part_name in ("morning", "afternoon"):
            slot = getattr(day, part_name)
            if slot is None:
                continue
            try:
                area = check_location(slot.kind, slot.site_id, slot.area, sites)
            except InvalidInput as exc:
                message = _(PATTERN_PART_ERRORS[part_name], day=_(WEEKDAY_NAMES[day.weekday]),
                            problem=exc.message)  # fmt: skip
                field_name = f"days.{day.weekday}.{part_name}.{exc.field}"
                problems.append(InvalidInput(message, field=field_name))
                continue
            setattr(row, f"{part_name}_kind", slot.kind.value)
            setattr(row, f"{part_name}_site_id", slot.site_id)
            setattr(row, f"{part_name}_area", area)
        if day.morning is None and day.afternoon is None and day.reachable_from is None:
            continue
        rows.append(row)
    refuse_all(problems)
    await session.execute(delete(WeeklyPattern).where(WeeklyPattern.person_id == person.id))
    session.add_all(rows)
    await session.flush()
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="set_pattern",
        object_type="presence",
        object_id=person.id,
        weekdays=sorted(row.weekday for row in rows),
    )
    return await get_pattern(session, actor, person.id)
