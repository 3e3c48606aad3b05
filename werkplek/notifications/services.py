"""E-mail about bookings, and each person's choice of which kinds of mail they receive.

The booking services call ``bookings_created``, ``bookings_cancelled``,
``checked_out_by_other``, ``booking_moved``, ``booking_rescheduled``, ``booking_decided``
and, for the colleagues invited to a room booking, ``participants_invited``,
``participants_rescheduled`` (``participants_series_rescheduled`` for a weekly series
changed from a date on) and ``participants_uninvited``, and for the holder
``participant_answered``, in their own transaction;
the messages go into the outbox (``werkplek.notifications.outbox``) and are sent by the
scheduler. Each message is for
one person, in their language (``Person.language``), and only if they have not switched
that kind of mail off. Field visit alerts cannot be switched off.

A booking's confirmation, the mail of every booking made, is queued as one row that names
the bookings (``queue_confirmation``) and is composed when the outbox first claims it
(``compose_confirmations``), so that a booking request does not pay for reading the
places and building the invites.

Administrators read the outbox (``list_outbox``: subjects and recipients, never bodies),
try a message the outbox gave up on again (``retry_mail``) and withdraw one still waiting
or one given up on (``cancel_queued_mail``).
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time
from typing import Any

import msgspec
from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    Text,
    bindparam,
    exists,
    func,
    insert,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import lazyload

from werkplek.audit.services import record
from werkplek.bookings.models import (
    ACTIVE_STATUS_VALUES,
    Booking,
    BookingParticipant,
    BookingStatus,
    ParticipantResponse,
)
from werkplek.bookings.schemas import SkippedDate
from werkplek.clock import AMSTERDAM, Clock
from werkplek.config import Settings
from werkplek.db import (
    UTCDateTime,
    any_contains,
    ids_param,
    in_ids,
    joined_strings,
    lock_for_write,
    select_rows,
    split_joined,
)
from werkplek.errors import Conflict, InvalidInput, NotFound
from werkplek.feeds.ical import Attendee, Entry, Method, Status, invite_calendar
from werkplek.i18n import _, using_language
from werkplek.mail import Attachment
from werkplek.notifications.models import (
    MANDATORY_KINDS,
    MailKind,
    MailPreference,
    MailStatus,
    OutboxAttachment,
    OutboxMail,
)
from werkplek.notifications.outbox import (
    cancel_mail,
    queue_mail,
    take_over_unsent,
    unreached_refs,
)
from werkplek.notifications.schemas import (
    MailPreferencesIn,
    MailPreferencesOut,
    OutboxCounts,
    OutboxFilter,
    OutboxMailOut,
    OutboxPage,
)
from werkplek.people.models import Person, PersonRole, Role
from werkplek.people.services import CurrentUser, person_names, search_text
from werkplek.rooms.models import Site, Space
from werkplek.visits.models import FieldVisit

logger = logging.getLogger("werkplek.notifications")

CALENDAR_TYPE = "text/calendar"

# --- preferences --------------------------------------------------------------------------


_SWITCHED_OFF = select(MailPreference.person_id, MailPreference.kind).where(
    in_ids(MailPreference.person_id, ids_param("ids")),
    MailPreference.enabled.is_(False),
)
# Built once: these run for every booking made or cancelled.
_ACTIVE_PEOPLE = (
    select(
        Person,
        select(joined_strings(MailPreference.kind, ","))
        .where(MailPreference.person_id == Person.id, MailPreference.enabled.is_(False))
        .scalar_subquery()
        .label("switched_off"),
    )
    .where(in_ids(Person.id, ids_param("ids")), Person.active.is_(True))
    .order_by(Person.id)
    .options(lazyload(Person.roles), lazyload(Person.memberships), lazyload(Person.topics))
)
_PLACES = (
    select(Space.id, Space.name, Space.kind, Site.name, Site.address, Site.city)
    .join(Site, Site.id == Space.site_id)
    .where(in_ids(Space.id, ids_param("ids")))
)


async def disabled_kinds(session: AsyncSession, person_ids: Iterable[int]) -> dict[int, set[str]]:
    """Per person, the kinds of mail they switched off."""
    ids = sorted(set(person_ids))
    found: dict[int, set[str]] = defaultdict(set)
    if ids:
        rows = await select_rows(session, _SWITCHED_OFF, {"ids": ids})
        for person_id, kind in rows:
            found[person_id].add(kind)
    return found


async def get_preferences(session: AsyncSession, user: CurrentUser) -> MailPreferencesOut:
    off = (await disabled_kinds(session, [user.id]))[user.id]
    return MailPreferencesOut(
        **{kind.value: kind in MANDATORY_KINDS or kind.value not in off for kind in MailKind}
    )


async def set_preferences(
    session: AsyncSession, clock: Clock, user: CurrentUser, data: MailPreferencesIn
) -> MailPreferencesOut:
    """Switch kinds of mail on or off for oneself; safety alerts stay on."""
    wanted = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not None}
    for kind in MANDATORY_KINDS:
        if wanted.get(kind.value) is False:
            raise InvalidInput(
                _("Field visit alerts cannot be switched off: they keep colleagues safe."),
                field=kind.value,
            )
        wanted.pop(kind.value, None)
    existing = {
        row.kind: row
        for row in (
            await session.execute(select(MailPreference).where(MailPreference.person_id == user.id))
        ).scalars()
    }
    for name, enabled in wanted.items():
        row = existing.get(name)
        if row is None:
            session.add(MailPreference(person_id=user.id, kind=name, enabled=enabled))
        else:
            row.enabled = enabled
    await session.flush()
    return await get_preferences(session, user)


async def recipients_for(
    session: AsyncSession, person_ids: Iterable[int], kind: MailKind
) -> list[Person]:
    """The active people among ``person_ids`` who receive ``kind`` (one query)."""
    ids = sorted(set(person_ids))
    if not ids:
        return []
    return [
        person
        for person, switched_off in await session.execute(_ACTIVE_PEOPLE, {"ids": ids})
        if person.email
        and (kind in MANDATORY_KINDS or kind.value not in split_joined(switched_off))
    ]


# --- booking mails ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Place:
    """A booked space as mails and invites name it."""

    name: str
    kind: str
    site_name: str
    site_address: str
    site_city: str


async def _places(session: AsyncSession, bookings: Sequence[Booking]) -> dict[int, _Place]:
    space_ids = sorted({b.space_id for b in bookings})
    rows = await select_rows(session, _PLACES, {"ids": space_ids})
    return {space_id: _Place(*place) for space_id, *place in rows.all()}


async def booking_facts(session: AsyncSession, bookings: Sequence[Booking]) -> list[dict[str, Any]]:
    """What a mail says about each booking, as JSON values (rendered when it is sent)."""
    return _facts(bookings, await _places(session, bookings))


def _facts(bookings: Sequence[Booking], places: dict[int, _Place]) -> list[dict[str, Any]]:
    facts = []
    for booking in sorted(bookings, key=lambda b: (b.start_at, b.id)):
        place = places[booking.space_id]
        facts.append(
            {
                "id": booking.id,
                "space": place.name,
                "kind": place.kind,
                "site": place.site_name,
                "address": ", ".join(
                    part for part in (place.site_address, place.site_city) if part
                ),
                "start": booking.start_at.isoformat(),
                "end": booking.end_at.isoformat(),
                "day_part": booking.day_part,
                "title": booking.title,
                "status": booking.status,
            }
        )
    return facts


def _entry(
    booking: Booking, place: _Place, holder_name: str | None, hides: bool, booker: str | None
) -> Entry:
    """A booking as its calendar event, as ``feeds.services.booking_invite`` builds it for
    the holder, from what the mail already loaded (in the current language)."""
    # Imported here: werkplek.feeds.services builds on the booking services, which call us.
    from werkplek.feeds.services import BookingRow, own_booking_entry

    return own_booking_entry(
        BookingRow(
            booking=booking,
            space_name=place.name,
            space_kind=place.kind,
            site_name=place.site_name,
            site_address=place.site_address,
            site_city=place.site_city,
            holder_name=holder_name,
            holder_hides_desk=hides,
            booker_name=booker,
        )
    )


async def _invites(
    session: AsyncSession, holder: Person, bookings: Sequence[Booking], places: dict[int, _Place]
) -> list[Attachment]:
    """Each booking as the ``.ics`` invite its holder can download, in their language,
    without querying the booking again (``_entry``)."""
    others = await person_names(
        session, {b.booked_by_id for b in bookings if b.booked_by_id not in (None, holder.id)}
    )
    attachments = []
    with using_language(holder.language):
        for booking in sorted(bookings, key=lambda b: (b.start_at, b.id)):
            booker = (
                holder.name
                if booking.booked_by_id == holder.id
                else others.get(booking.booked_by_id or 0)
            )
            entry = _entry(booking, places[booking.space_id], holder.name, holder.hide_desk, booker)
            content = invite_calendar(entry)
            attachments.append(Attachment(f"booking-{booking.id}.ics", CALENDAR_TYPE, content))
    return attachments


def _by_holder(bookings: Iterable[Booking]) -> dict[int, list[Booking]]:
    grouped: dict[int, list[Booking]] = defaultdict(list)
    for booking in bookings:
        if booking.booked_for_id is not None:
            grouped[booking.booked_for_id].append(booking)
    return grouped


async def mail_person(
    session: AsyncSession,
    clock: Clock,
    person: Person,
    kind: MailKind,
    context: dict[str, Any],
    *,
    attachments: Sequence[Attachment] = (),
    ref: str | None = None,
    template: str | None = None,
) -> None:
    """Queue the mail of ``kind`` for one person, in their language, addressed to them by
    name; from the template of the same name unless ``template`` names another."""
    await queue_mail(
        session,
        clock,
        kind=kind.value,
        recipients=[person.email],
        language=person.language,
        person_id=person.id,
        template=template or kind.value,
        context={"name": person.name, **context},
        attachments=attachments,
        ref=ref,
    )


async def callback_note_left(
    session: AsyncSession,
    clock: Clock,
    note_id: int,
    person_id: int,
    left_by: str | None,
    left_at: datetime,
    *,
    reminder: bool = False,
) -> None:
    """Tell the colleague a resident waits for their call; its subject names who left the
    request and when. The mail holds neither the resident's name, number nor question:
    those stay in Werkplek, which removes them after the retention time, and do not linger
    in mailboxes (nor show on a locked phone with the subject). With ``reminder``, that the
    request is still open the working day after it was left: a resident may still be
    waiting (``left_by`` then None when the writer's account is gone)."""
    for person in await recipients_for(session, [person_id], MailKind.CALLBACK_NOTE):
        await mail_person(
            session,
            clock,
            person,
            MailKind.CALLBACK_NOTE,
            {"left_by": left_by, "left_at": left_at.isoformat()}
            | ({"reminder": True} if reminder else {}),
            ref=_note_ref(note_id, reminder),
        )


def _note_ref(note_id: int, reminder: bool) -> str:
    ref = f"{MailKind.CALLBACK_NOTE.value}:{note_id}"
    return f"{ref}:reminder" if reminder else ref


async def callback_note_settled(session: AsyncSession, note_id: int) -> None:
    """A callback request marked done or removed: its mails not sent yet are withdrawn,
    as there is no call left to ask for."""
    await cancel_mail(session, [_note_ref(note_id, reminder) for reminder in (False, True)])


async def absence_reported(
    session: AsyncSession,
    clock: Clock,
    person_id: int,
    facts: dict[str, Any],
    rooms_held: Sequence[Booking] = (),
) -> None:
    """Tell someone that a team lead or administrator reported them absent for a period, or
    withdrew such an absence (``facts``: who, the period and what it did), listing the
    room bookings they still hold in it to hand over. Never the reason: only the person
    records one."""
    for person in await recipients_for(session, [person_id], MailKind.ABSENCE_REPORTED):
        await mail_person(
            session,
            clock,
            person,
            MailKind.ABSENCE_REPORTED,
            {**facts, "bookings": await booking_facts(session, rooms_held) if rooms_held else []},
        )


#: The template (and ref) of a mail naming a backup, and of one saying they no longer are.
_NAMED, _DROPPED = MailKind.BACKUP_NAMED.value, "backup_dropped"
#: What a mail about a backup's days says of a reported absence as it was (its period and
#: note), and the name it was addressed by: left out once its days change.
_AS_IT_WAS = ("name", "first", "last", "days", "withdrawn", "note")
#: Who a mail about a backup's days says made the change: the person themselves, or who
#: else by name. A mail taking in days changed by different people says it of each day.
_WHO = ("by_themselves", "reported_by", "changed_by")


def _who(facts: Mapping[str, Any]) -> dict[str, Any]:
    return {key: facts[key] for key in _WHO if key in facts}


def _backup_mail(
    told: Sequence[dict[str, Any]], without: Collection[str] = ()
) -> dict[str, Any] | None:
    """One mail telling what the mails about a backup's days ``told`` (oldest first, all
    ``backup_named`` or all ``backup_dropped``) told, but the days ``without`` (ISO
    dates): each day once, as the newest told it, with the newest mail's facts. Who made
    the change (``_WHO``) is said of the mail when it is the same for all its days, else
    of each day. The only mail is left as it was (an absence's period) when it keeps all
    its days; None when no day is left."""
    days = {day["date"]: _who(facts) | day for facts in told for day in facts["dates"]}
    dates = [days[day] for day in sorted(days) if day not in without]
    if not dates:
        return None
    if len(told) == 1 and len(dates) == len(told[0]["dates"]):
        return told[0]
    mail = {key: value for key, value in told[-1].items() if key not in (*_AS_IT_WAS, *_WHO)}
    who = _who(dates[0])
    if any(_who(day) != who for day in dates):
        return mail | {"dates": dates}
    return mail | who | {"dates": [{k: v for k, v in d.items() if k not in _WHO} for d in dates]}


async def _take_out_unsent(
    session: AsyncSession,
    clock: Clock,
    backup: Person,
    template: str,
    person_id: int,
    days: Collection[str],
) -> set[str]:
    """Take ``days`` (ISO dates) out of the mails (of ``template``) about ``backup`` as
    ``person_id``'s backup not sent yet, by whoever sent them: each is withdrawn, and
    queued again for the days it keeps. Returns the days taken out: what those mails were
    to tell of them, ``backup`` never heard."""
    unheard: set[str] = set()
    for ref in await unreached_refs(session, f"{template}:{person_id}:", person_ids=[backup.id]):
        told = (await take_over_unsent(session, [ref], person_ids=[backup.id])).get(backup.id, [])
        unheard |= {day["date"] for facts in told for day in facts["dates"]} & set(days)
        kept = _backup_mail(told, without=days)
        if kept is not None:
            await mail_person(
                session, clock, backup, MailKind.BACKUP_NAMED, kept, ref=ref, template=template
            )
    return unheard


async def _tell_backup(
    session: AsyncSession,
    clock: Clock,
    backup_id: int,
    facts: dict[str, Any],
    *,
    template: str,
    undoes: str,
    person_id: int,
    by: int | None,
    ref: str,
    by_anyone: bool,
    told_otherwise: bool = False,
) -> None:
    """Tell a colleague, with the mail ``template`` (about ``ref``), what became of them as
    ``person_id``'s backup on the days of ``facts``, unless they did it themselves
    (``by``) or another mail tells them already (``told_otherwise``).

    Those days are first taken out of the mails (``undoes``) not sent yet that told them
    the opposite: of a day they never heard that of, they hear nothing now either. The
    mails of ``template`` about ``ref`` not sent yet, or about ``person_id`` by anyone
    when ``by_anyone``, are taken into this one, which lists their days too: a week saved
    one day at a time ("Alle wijzigingen opslaan" on Mijn week) makes one mail."""
    days = [day["date"] for day in facts["dates"]]
    for person in await recipients_for(session, [backup_id], MailKind.BACKUP_NAMED):
        unheard = await _take_out_unsent(session, clock, person, undoes, person_id, days)
        if person.id == by or told_otherwise:
            continue
        refs = (
            [
                found
                for found in await unreached_refs(
                    session, f"{template}:{person_id}:", person_ids=[person.id]
                )
                if not found.endswith(f":{_LEFT}")
            ]
            if by_anyone
            else [ref]
        )
        unsent = await take_over_unsent(session, refs, person_ids=[person.id])
        told = _backup_mail([*unsent.get(person.id, []), facts], without=unheard)
        if told is not None:
            await mail_person(
                session, clock, person, MailKind.BACKUP_NAMED, told, ref=ref, template=template
            )


async def backup_named(
    session: AsyncSession,
    clock: Clock,
    backup_id: int,
    facts: dict[str, Any],
    *,
    person_id: int,
    named_by: int,
) -> None:
    """Tell a colleague they are ``person_id``'s backup on days (``facts``: whose, who
    named them and ``dates``, each day with its note; for an absence over a period also
    its ``first`` and ``last`` day, their count and the note): whoever looks for the
    absent person is referred to them. Never the reason of the absence. Not a day whose
    ``backup_taken_back`` mail has not gone out yet: that mail loses it, and they remain
    the backup they heard they were. A mail naming them as ``person_id``'s backup not sent
    yet is taken into this one, whoever named them (the person on Mijn week, a lead on
    their Week van <naam>): it names who named them for each day when they differ. Its
    ref ends in who named them last (``backup_named:<person>:<who>``)."""
    await _tell_backup(
        session,
        clock,
        backup_id,
        facts,
        template=_NAMED,
        undoes=_DROPPED,
        person_id=person_id,
        by=named_by,
        ref=f"{_NAMED}:{person_id}:{named_by}",
        by_anyone=True,
    )


async def backup_taken_back(
    session: AsyncSession,
    clock: Clock,
    backup_id: int,
    facts: dict[str, Any],
    *,
    person_id: int,
    changed_by: int,
) -> None:
    """Tell a colleague they are no longer ``person_id``'s backup on days (``facts``:
    whose, who changed it and ``dates``, from today on): the KCC no longer refers callers
    to them then (template ``backup_dropped``, under the kind ``backup_named``, so
    switched off with it). Never the reason of the absence. Only the days they heard of:
    a day the mail naming them has not told them yet is taken out of that mail instead
    (withdrawn when it keeps no day). A mail not sent yet saying they no longer back up
    ``person_id`` is taken into this one, whoever changed it (the person, or their lead):
    it names who changed each day when they differ. Its ref ends in who changed it last
    (``backup_dropped:<person>:<who>``); not one telling of a leaver (``_LEFT``), which
    says why."""
    await _tell_backup(
        session,
        clock,
        backup_id,
        facts,
        template=_DROPPED,
        undoes=_NAMED,
        person_id=person_id,
        by=changed_by,
        ref=f"{_DROPPED}:{person_id}:{changed_by}",
        by_anyone=True,
    )


#: The template of a mail telling a colleague they became, or no longer are, someone's
#: usual backup (``chosen``), and the prefix of its ref (``backup_usual:<person>``).
_USUAL = "backup_usual"
#: What the ref of a mail telling a colleague they no longer back up someone who left
#: ends in (``backup_usual:<person>:left``, ``backup_dropped:<person>:left``): bringing
#: the leaver back withdraws these mails not sent yet (``backup_back``).
_LEFT = "left"


async def _tell_usual(
    session: AsyncSession,
    clock: Clock,
    person_id: int,
    backup_id: int,
    facts: dict[str, Any],
    *,
    chosen: bool,
    by: int | None,
    ref: str,
) -> bool:
    """Tell a colleague they became ``person_id``'s usual backup (``chosen``), or no longer
    are, with the mail ``backup_usual`` (about ``ref``), unless they did it themselves
    (``by``); returns whether a mail went to them.

    A mail about it to the colleague not sent yet that told them the opposite (a change
    undone before it went out) is withdrawn instead, and they hear nothing: they never
    heard of what this undoes. One that told them the same (the backup set meanwhile
    without a mail, by the people import) is taken into this one."""
    # Also when they no longer receive such mails, or left: this change supersedes what
    # waits.
    unsent = await take_over_unsent(session, [f"{_USUAL}:{person_id}"], person_ids=[backup_id])
    told = unsent.get(backup_id, [])
    if (told and told[0]["chosen"] != chosen) or backup_id == by:
        return False
    backups = await recipients_for(session, [backup_id], MailKind.BACKUP_NAMED)
    for backup in backups:
        await mail_person(
            session,
            clock,
            backup,
            MailKind.BACKUP_NAMED,
            facts | {"chosen": chosen},
            ref=ref,
            template=_USUAL,
        )
    return bool(backups)


async def usual_backup_changed(
    session: AsyncSession,
    clock: Clock,
    person: Person,
    *,
    was: int | None,
    actor: CurrentUser,
) -> None:
    """Tell the colleague who became ``person``'s usual backup (``person.backup_id``) that
    they are, and the one it replaced (``was``) that they no longer are (template
    ``backup_usual``, under the kind ``backup_named``, ``_tell_usual``); not the actor,
    who knows."""
    about = {
        "colleague": person.name,
        "by_themselves": actor.id == person.id,
        "changed_by": actor.name,
    }
    for backup_id, chosen in ((was, False), (person.backup_id, True)):
        if backup_id is not None:
            await _tell_usual(
                session,
                clock,
                person.id,
                backup_id,
                about,
                chosen=chosen,
                by=actor.id,
                ref=f"{_USUAL}:{person.id}",
            )


async def backups_of_leaver(
    session: AsyncSession,
    clock: Clock,
    leaver_id: int,
    name: str,
    *,
    usual: int | None,
    days: Mapping[int, list[dict[str, str]]],
    actor_id: int | None,
) -> None:
    """Tell the colleagues who backed up someone who left (was deactivated: ``leaver_id``,
    named ``name``) that they no longer do, saying why: their usual backup (``usual``,
    template ``backup_usual``) and each named as their backup on days from today on
    (``days``: per backup, the days as ISO ``date``, template ``backup_dropped``), all
    under the kind ``backup_named``; not the administrator who deactivated them
    (``actor_id``), who knows. As for any such change, a mail naming them not sent yet is
    withdrawn instead (for the usual backup) or loses those days (for days): they never
    heard they were. The usual backup who was named for days too gets the usual one only:
    it says they are referred to for the leaver no more. Bringing the leaver back withdraws
    these mails not sent yet (``backup_back``)."""
    told_usual = False
    if usual is not None:
        told_usual = await _tell_usual(
            session,
            clock,
            leaver_id,
            usual,
            {"colleague": name, "left": True},
            chosen=False,
            by=actor_id,
            ref=f"{_USUAL}:{leaver_id}:{_LEFT}",
        )
    for backup_id, dates in days.items():
        await _tell_backup(
            session,
            clock,
            backup_id,
            {"absent": name, "left": True, "dates": dates},
            template=_DROPPED,
            undoes=_NAMED,
            person_id=leaver_id,
            by=actor_id,
            ref=f"{_DROPPED}:{leaver_id}:{_LEFT}",
            by_anyone=False,
            told_otherwise=told_usual and backup_id == usual,
        )


async def backup_left(
    session: AsyncSession, clock: Clock, told: Mapping[tuple[int, int], dict[str, Any]]
) -> None:
    """Tell colleagues that a backup of theirs left (was deactivated), and ask them to
    choose another: the KCC finder no longer refers callers to someone inactive (template
    ``backup_left``, under the kind ``backup_named``). ``told``: per colleague and
    leaver, the facts of its mail (the leaver's name, whether they were the colleague's
    usual backup, and the days from today on they were their backup). One query for all
    the colleagues, however many an import deactivates."""
    colleagues = {
        person.id: person
        for person in await recipients_for(
            session, [colleague_id for colleague_id, _backup_id in told], MailKind.BACKUP_NAMED
        )
    }
    for (colleague_id, backup_id), facts in sorted(told.items()):
        if colleague_id in colleagues:
            await mail_person(
                session,
                clock,
                colleagues[colleague_id],
                MailKind.BACKUP_NAMED,
                facts,
                ref=_left_ref(backup_id),
                template="backup_left",
            )


def _left_ref(backup_id: int) -> str:
    return f"backup_left:{backup_id}"


async def backup_back(session: AsyncSession, backup_id: int) -> None:
    """``backup_id`` is active again: the mails about their leaving not sent yet are
    withdrawn: the ``backup_left`` ones, since the backup they would ask to replace is
    back, and those telling their own backups they no longer are (``backups_of_leaver``),
    since they are again."""
    await cancel_mail(
        session,
        [
            _left_ref(backup_id),
            f"{_USUAL}:{backup_id}:{_LEFT}",
            f"{_DROPPED}:{backup_id}:{_LEFT}",
        ],
    )


def planned_ref(visit_id: int) -> str:
    """Ties the mails telling visitors of a planned visit to the visit in the outbox."""
    return f"{MailKind.VISIT_PLANNED.value}:{visit_id}"


async def visit_planned(
    session: AsyncSession,
    clock: Clock,
    visit: FieldVisit,
    visitor_ids: Iterable[int],
    planned_by: str,
    *,
    planner_goes: bool,
) -> None:
    """Tell the colleagues someone else put on a field visit that they go: their status
    shows them on location, and the safety board waits for their check-in. Like the
    alerts, the mail holds neither the resident's address nor the purpose. Its subject
    names the planner as a companion only when they go too (``planner_goes``)."""
    facts = {
        "planned_by": planned_by,
        "planner_goes": planner_goes,
        "visit_id": visit.id,
        **_window(visit.planned_start, visit.planned_end, visit.area),
    }
    await _mail_visitors(session, clock, visitor_ids, facts, ref=planned_ref(visit.id))


#: When and where a field visit is or was: its planned start and end, and its area.
Window = tuple[datetime, datetime, str]


def _window(start: datetime, end: datetime, area: str) -> dict[str, str]:
    """When and where a visit is or was, as the mails about it name it (JSON values)."""
    return {"start": start.isoformat(), "end": end.isoformat(), "area": area}


async def _mail_visitors(
    session: AsyncSession,
    clock: Clock,
    person_ids: Iterable[int],
    facts: dict[str, Any],
    *,
    ref: str,
    template: str | None = None,
) -> None:
    """One mail to each of these colleagues of a field visit, under the ``visit_planned``
    kind (which they may switch off)."""
    for person in await recipients_for(session, person_ids, MailKind.VISIT_PLANNED):
        await mail_person(
            session, clock, person, MailKind.VISIT_PLANNED, facts, ref=ref, template=template
        )


async def visit_changed(
    session: AsyncSession,
    clock: Clock,
    visit: FieldVisit,
    visitor_ids: Iterable[int],
    changed_by: str,
    *,
    was: Window,
    was_place: str,
    place_changed: bool,
) -> None:
    """Tell the colleagues who stay on a field visit that its time or place changed: what it
    was and what it is now. Like the planned mail, under that kind and tied to the visit
    as it is (``planned_ref``: cancelling the visit withdraws it too, and those it reached
    hear that it is off); the area only, never the address, which it only says changed
    (``place_changed``: another address or resident room).

    ``was_place`` marks the place the visit was at (``visits.services._place_marker``: a
    keyed hash, from which the address cannot be told), kept in the facts only so that a
    change taking this mail over (``change_heard_of``) can tell whether the place is back
    to what they last heard; no template shows it."""
    facts = {
        "changed_by": changed_by,
        "visit_id": visit.id,
        **_window(visit.planned_start, visit.planned_end, visit.area),
        "was": _window(*was),
        "was_place": was_place,
        "place_changed": place_changed,
    }
    await _mail_visitors(
        session, clock, visitor_ids, facts, ref=planned_ref(visit.id), template="visit_changed"
    )


def plan_among(unsent: Sequence[dict[str, Any]]) -> bool:
    """Whether one of these mails, withdrawn before it reached its colleague, was the
    ``visit_planned`` mail telling them of the visit."""
    return any("planned_by" in facts for facts in unsent)


def change_heard_of(unsent: Sequence[dict[str, Any]]) -> tuple[Window, str | None] | None:
    """What the ``visit_changed`` mails among these, withdrawn before they reached their
    colleague (``outbox.take_over_unsent``, oldest first), changed from: the visit as
    the colleague last heard of it (the oldest's ``was``) and the marker of its place then
    (``was_place``); None when none was such a mail.

    A mail queued before the place was kept has no marker: then the place they heard of
    is ``""``, which matches no place (so it is told as changed), when one of these mails
    said it changed, else None (the place just before the change that takes them over)."""
    changes = [facts for facts in unsent if "was" in facts]
    if not changes:
        return None
    was = changes[0]["was"]
    heard = (datetime.fromisoformat(was["start"]), datetime.fromisoformat(was["end"]), was["area"])
    place = changes[0].get("was_place")
    if place is None and any(facts["place_changed"] for facts in changes):
        place = ""
    return heard, place


async def visit_dropped(
    session: AsyncSession,
    clock: Clock,
    visit: FieldVisit,
    person_ids: Iterable[int],
    dropped_by: str,
    *,
    was: Window,
) -> None:
    """Tell the colleagues taken off a field visit that they no longer go on it (the visit
    as they knew it: ``was``), under the kind of the mail that told them they go."""
    facts = {"dropped_by": dropped_by, "visit_id": visit.id, **_window(*was)}
    await _mail_visitors(
        session, clock, person_ids, facts, ref=f"visit_dropped:{visit.id}", template="visit_dropped"
    )


async def _mail_holders(
    session: AsyncSession,
    clock: Clock,
    kind: MailKind,
    bookings: Sequence[Booking],
    extra: dict[str, Any],
    *,
    with_invites: bool,
) -> None:
    grouped = _by_holder(bookings)
    for person in await recipients_for(session, grouped, kind):
        mine = grouped[person.id]
        places = await _places(session, mine)
        await mail_person(
            session,
            clock,
            person,
            kind,
            {"bookings": _facts(mine, places), **extra},
            attachments=await _invites(session, person, mine, places) if with_invites else (),
        )


async def bookings_created(
    session: AsyncSession,
    clock: Clock,
    bookings: Sequence[Booking],
    *,
    from_waitlist: bool = False,
) -> None:
    """Confirm new bookings to their holder (with invites), saying so when the waitlist
    booked them; ask facilities to approve those that wait for approval."""
    await session.flush()
    confirmed = [b for b in bookings if b.status == BookingStatus.CONFIRMED.value]
    pending = [b for b in bookings if b.status == BookingStatus.PENDING.value]
    for holder_id, mine in _by_holder(confirmed).items():
        await queue_confirmation(session, clock, holder_id, mine, from_waitlist=from_waitlist)
    await _ask_for_approval(session, clock, pending)


_now = bindparam("now", type_=UTCDateTime())
# Built once: it runs for every booking made.
_QUEUE_CONFIRMATION = insert(OutboxMail.__table__).from_select(  # type: ignore[arg-type]
    [
        "kind",
        "person_id",
        "recipients",
        "language",
        "template",
        "context",
        "status",
        "attempts",
        "next_attempt_at",
        "created_at",
    ],
    select(
        bindparam("kind", MailKind.BOOKING_CONFIRMED.value, type_=String()),
        Person.id,
        func.trim(Person.email),
        Person.language,
        bindparam("template", MailKind.BOOKING_CONFIRMED.value, type_=String()),
        bindparam("context", type_=Text()),
        bindparam("status", MailStatus.PENDING.value, type_=String()),
        bindparam("attempts", 0, type_=Integer()),
        _now,
        _now,
    ).where(
        Person.id == bindparam("holder_id", type_=Integer()),
        Person.active.is_(True),
        Person.email != "",
        ~exists().where(
            MailPreference.person_id == Person.id,
            MailPreference.kind == MailKind.BOOKING_CONFIRMED.value,
            MailPreference.enabled.is_(False),
        ),
    ),
)


async def queue_confirmation(
    session: AsyncSession,
    clock: Clock,
    holder_id: int,
    bookings: Sequence[Booking],
    *,
    from_waitlist: bool = False,
) -> None:
    """Queue the confirmation of ``bookings`` for their holder in one statement, which
    reads the holder's address and language and whether they receive confirmations as it
    writes the row (as ``recipients_for`` and ``mail_person`` do). The row names the
    bookings, and that the waitlist booked them; what the mail says is composed when it is
    sent (``compose_confirmations``)."""
    queued: dict[str, Any] = {"booking_ids": sorted(b.id for b in bookings)}
    if from_waitlist:
        queued["from_waitlist"] = True
    context = json.dumps(queued)
    await session.execute(
        _QUEUE_CONFIRMATION, {"holder_id": holder_id, "context": context, "now": clock.now()}
    )


def _booking_ids(row: OutboxMail) -> list[int] | None:
    """The bookings a confirmation queued by ``queue_confirmation`` names, until it is
    composed; None for every other row (confirmations queued before, whole)."""
    if row.template != MailKind.BOOKING_CONFIRMED.value:
        return None
    ids: list[int] | None = json.loads(row.context).get("booking_ids")
    return ids


def _confirmed_ids(row: OutboxMail) -> list[int]:
    """The bookings a booking confirmation is about, whether composed yet or not (each
    booking's facts carry its ``id``); none for any other mail."""
    if row.template != MailKind.BOOKING_CONFIRMED.value:
        return []
    queued = _booking_ids(row)
    if queued is not None:
        return queued
    return [fact["id"] for fact in json.loads(row.context).get("bookings", [])]


async def _any_active(session: AsyncSession, booking_ids: list[int]) -> bool:
    """Whether any of the bookings still exists and is active."""
    active = select(Booking.id).where(
        Booking.id.in_(booking_ids), Booking.status.in_(ACTIVE_STATUS_VALUES)
    )
    return (await session.execute(active.limit(1))).first() is not None


async def compose_confirmations(session: AsyncSession, rows: Sequence[OutboxMail]) -> None:
    """Write what the confirmations among ``rows`` say, as the outbox claims them to send
    them the first time: the bookings as they are then, with their places, and their
    invites in the holder's language, as ``mail_person`` would have queued them. It
    confirms only the bookings still active: one whose holder is gone (erased) or whose
    bookings are all gone or cancelled by then is cancelled, as there is nothing left to
    confirm (a cancellation mails for itself); one that cannot be composed is failed, as
    one whose template cannot be rendered.

    Afterwards a row is like any other rendered from a template, so another attempt
    sends the same mail."""
    waiting = {row.id: ids for row in rows if (ids := _booking_ids(row)) is not None}
    if not waiting:
        return
    wanted = sorted({i for ids in waiting.values() for i in ids})
    bookings = {
        b.id: b
        for b in (await session.execute(select(Booking).where(Booking.id.in_(wanted)))).scalars()
    }
    holder_ids = sorted({row.person_id for row in rows if row.id in waiting and row.person_id})
    holders = {
        p.id: p
        for p in (
            await session.execute(
                select(Person)
                .where(Person.id.in_(holder_ids))
                .options(
                    lazyload(Person.roles), lazyload(Person.memberships), lazyload(Person.topics)
                )
            )
        ).scalars()
    }
    places = await _places(session, list(bookings.values())) if bookings else {}
    for row in rows:
        if row.id not in waiting:
            continue
        holder = holders.get(row.person_id or 0)
        mine = [
            bookings[i]
            for i in waiting[row.id]
            if i in bookings and bookings[i].status in ACTIVE_STATUS_VALUES
        ]
        if holder is None or not mine:
            row.status = MailStatus.CANCELLED.value
            continue
        try:
            facts = _facts(mine, places)
            invites = await _invites(session, holder, mine, places)
        except Exception as exc:  # one that cannot be composed must not stop the other mails
            logger.exception("Could not compose mail %s", row.id)
            row.status = MailStatus.FAILED.value
            row.last_error = f"composing failed: {exc}"[:500]
            continue
        from_waitlist = bool(json.loads(row.context).get("from_waitlist"))
        row.context = json.dumps(
            {"name": holder.name, "bookings": facts, "from_waitlist": from_waitlist},
            ensure_ascii=False,
        )
        row.attachments.extend(
            OutboxAttachment(filename=a.filename, content_type=a.content_type, content=a.content)
            for a in invites
        )


async def _ask_for_approval(
    session: AsyncSession, clock: Clock, pending: Sequence[Booking]
) -> None:
    """Ask facilities (and administrators) to approve or decline the requests."""
    if not pending:
        return
    facilities = select(PersonRole.person_id).where(
        PersonRole.role.in_([Role.FACILITIES.value, Role.ADMIN.value])
    )
    approvers = await recipients_for(
        session, (await session.execute(facilities)).scalars(), MailKind.APPROVAL_REQUEST
    )
    names = await person_names(
        session, [i for b in pending for i in (b.booked_for_id, b.booked_by_id)]
    )
    facts = await booking_facts(session, pending)
    first = pending[0]
    for person in approvers:
        await mail_person(
            session,
            clock,
            person,
            MailKind.APPROVAL_REQUEST,
            {
                "requester": names.get(first.booked_for_id or 0, ""),
                "booked_by": names.get(first.booked_by_id or 0, ""),
                "bookings": facts,
            },
        )


async def booking_moved(
    session: AsyncSession,
    clock: Clock,
    old: Booking,
    new: Booking,
    actor: CurrentUser,
    reason: str = "",
) -> None:
    """Tell the holder that their desk booking moved from ``old`` to ``new``: one mail with
    both invites (the old one cancelled, or ended at the move when they were checked in),
    saying who moved it when it was someone else, and that it was facilities when it was,
    and the ``reason`` the mover gave (``_mail_change``)."""
    places = await _places(session, [old, new])
    await _mail_change(
        session,
        clock,
        [old, new],
        actor,
        "booking_moved",
        {"moved_from": places[old.space_id].name, "reason": reason},
        places,
    )


async def booking_rescheduled(
    session: AsyncSession,
    clock: Clock,
    old: Booking,
    new: Booking,
    actor: CurrentUser,
    *,
    was_start: datetime,
    was_end: datetime,
) -> None:
    """Tell the holder that their room booking changed from ``was_start``–``was_end`` in
    ``old``'s room to ``new``: one mail instead of a cancellation and a confirmation, with
    the invites of both (one when a booking under way got another end in place: then
    ``old`` is ``new``), saying who changed it when it was someone else (``_mail_change``)."""
    bookings = [new] if old is new else [old, new]
    places = await _places(session, bookings)
    await _mail_change(
        session,
        clock,
        bookings,
        actor,
        "booking_rescheduled",
        {"was": _was(places, old, was_start, was_end), "invites": len(bookings)},
        places,
    )


def _was(places: dict[int, _Place], old: Booking, start: datetime, end: datetime) -> dict[str, str]:
    """Where and when a changed booking (``old``, the first of a series) was, as the mails
    of a change name it."""
    return {"space": places[old.space_id].name, "start": start.isoformat(), "end": end.isoformat()}


async def series_rescheduled(
    session: AsyncSession,
    clock: Clock,
    replaced: Sequence[Booking],
    changed: Sequence[Booking],
    actor: CurrentUser,
    *,
    was_start: datetime,
    was_end: datetime,
    skipped: Sequence[SkippedDate],
) -> None:
    """Tell the holder that their weekly room booking changed from a date on (the first
    of ``replaced``, from ``was_start``–``was_end`` in its room): one mail listing the
    bookings as they are now (``changed``) and the dates that stayed as they were
    (``skipped``), with the invites of the bookings replaced and of the new ones (the
    same booking once when a booking under way got another end in place)."""
    bookings = list({id(b): b for b in [*replaced, *changed]}.values())
    places = await _places(session, bookings)
    await _mail_change(
        session,
        clock,
        bookings,
        actor,
        "series_rescheduled",
        {
            "was": _was(places, replaced[0], was_start, was_end),
            "invites": len(bookings),
            "skipped": [
                {
                    "start": datetime.combine(s.date, time(), AMSTERDAM).isoformat(),
                    "message": s.message,
                }
                for s in skipped
            ],
        },
        places,
        shown=changed,
    )


async def _mail_change(
    session: AsyncSession,
    clock: Clock,
    bookings: Sequence[Booking],
    actor: CurrentUser,
    template: str,
    extra: dict[str, Any],
    places: dict[int, _Place],
    *,
    shown: Sequence[Booking] = (),
) -> None:
    """The one mail of a moved or changed booking (the last of ``bookings``, the others
    the ones it replaced; or the bookings ``shown``) to its holder, with the invites of
    all, from ``template``. A change by someone else goes as a cancellation (its
    preference covers it: one's booking was taken from one's time or place), one's own
    as a confirmation; the mail names who made it (``moved_by``) and whether that was
    facilities. A booking that now needs approval is also put to facilities."""
    await session.flush()
    listed = list(shown) or [bookings[-1]]
    holder_id = listed[0].booked_for_id
    by_other = holder_id is not None and actor.id != holder_id
    kind = MailKind.BOOKING_CANCELLED if by_other else MailKind.BOOKING_CONFIRMED
    for person in await recipients_for(session, [holder_id] if holder_id else [], kind):
        await mail_person(
            session,
            clock,
            person,
            kind,
            {
                "bookings": _facts(listed, places),
                "moved_by": actor.name if by_other else "",
                "by_facilities": by_other and Role.FACILITIES in actor.roles,
                **extra,
            },
            attachments=await _invites(session, person, bookings, places),
            template=template,
        )
    await _ask_for_approval(
        session, clock, [b for b in listed if b.status == BookingStatus.PENDING.value]
    )


async def bookings_cancelled(
    session: AsyncSession,
    clock: Clock,
    bookings: Sequence[Booking],
    actor_id: int | None,
    *,
    reason: str = "",
    explanation: str = "",
) -> None:
    """Tell the holders; the cancelled invites take the bookings out of their calendar.
    ``reason``: why they were cancelled other than by hand (``closure``,
    ``space_withdrawn``, ``space_restricted``, ``space_capacity``, ``site_withdrawn``,
    ``no_show``, ``absent``), with ``explanation`` as facilities wrote it."""
    await session.flush()
    names = await person_names(session, [actor_id])
    for holder_id, mine in _by_holder(bookings).items():
        by_other = actor_id is not None and actor_id != holder_id
        await _mail_holders(
            session,
            clock,
            MailKind.BOOKING_CANCELLED,
            mine,
            {
                "cancelled_by": names.get(actor_id or 0, "") if by_other else "",
                "reason": reason,
                "explanation": explanation,
            },
            with_invites=True,
        )
    await meetings_cancelled(session, clock, bookings)


async def checked_out_by_other(
    session: AsyncSession, clock: Clock, booking: Booking, actor_id: int
) -> None:
    """Tell the holder that someone else (facilities, for one who seemed to have left
    without) checked them out: the rest of their time is free for others, so one who is
    still there learns to book again, and the invite ends the event at the check-out.
    Losing the rest of a booking is what the cancellation mail is about, so it goes as
    one (``reason`` ``checked_out``) and its preference covers it."""
    await session.flush()
    names = await person_names(session, [actor_id])
    await _mail_holders(
        session,
        clock,
        MailKind.BOOKING_CANCELLED,
        [booking],
        {"cancelled_by": names.get(actor_id, ""), "reason": "checked_out", "explanation": ""},
        with_invites=True,
    )


async def booking_decided(
    session: AsyncSession, clock: Clock, booking: Booking, reason: str = ""
) -> None:
    """Tell the requester that facilities approved (with the invite) or declined, and
    why when they said, or that the request lapsed: nobody decided in time. The
    participants get the invitation again, now confirmed, or the cancellation."""
    await session.flush()
    approved = booking.status == BookingStatus.CONFIRMED.value
    lapsed = booking.status == BookingStatus.LAPSED.value
    await _mail_holders(
        session,
        clock,
        MailKind.APPROVAL_DECISION,
        [booking],
        {"approved": approved, "reason": reason, "lapsed": lapsed},
        with_invites=approved,
    )
    if approved:
        invited = await _invited(session, [booking])
        await participants_invited(session, clock, [booking], invited[booking.id], approved=True)
    else:
        await meetings_cancelled(session, clock, [booking])


# --- meeting invitations ------------------------------------------------------------------

#: A participant's answer as an iCalendar PARTSTAT.
_PARTSTAT = {
    ParticipantResponse.PENDING.value: "NEEDS-ACTION",
    ParticipantResponse.ACCEPTED.value: "ACCEPTED",
    ParticipantResponse.DECLINED.value: "DECLINED",
}
_ANY_PEOPLE = (
    select(Person)
    .where(in_ids(Person.id, ids_param("ids")))
    .options(lazyload(Person.roles), lazyload(Person.memberships), lazyload(Person.topics))
)
_MEETING_ATTENDEES = (
    select(BookingParticipant.booking_id, Person.name, Person.email, BookingParticipant.response)
    .join(Person, Person.id == BookingParticipant.person_id)
    .where(in_ids(BookingParticipant.booking_id, ids_param("ids")), Person.email != "")
    .order_by(Person.name, Person.id)
)


@dataclass(frozen=True)
class _Meeting:
    """What meeting invitations about some bookings need: their places, holders (the
    organisers), who booked them, and who is on them."""

    places: dict[int, _Place]
    people: dict[int, Person]
    attendees: dict[int, list[Attendee]]

    def entry(self, booking: Booking) -> Entry:
        """The booking as its event, organised by its holder, with its participants."""
        holder = self.people.get(booking.booked_for_id or 0)
        booker = self.people.get(booking.booked_by_id or 0)
        entry = _entry(
            booking,
            self.places[booking.space_id],
            holder.name if holder else None,
            holder.hide_desk if holder else False,
            booker.name if booker else None,
        )
        organizer = Attendee(holder.name, holder.email.strip()) if holder and holder.email else None
        return replace(entry, organizer=organizer, attendees=tuple(self.attendees[booking.id]))

    def organizer_name(self, booking: Booking) -> str:
        holder = self.people.get(booking.booked_for_id or 0)
        return holder.name if holder else ""


async def _meeting(session: AsyncSession, bookings: Sequence[Booking]) -> _Meeting:
    people_ids = sorted({p for b in bookings for p in (b.booked_for_id, b.booked_by_id) if p})
    people = {p.id: p for p in (await session.execute(_ANY_PEOPLE, {"ids": people_ids})).scalars()}
    attendees: dict[int, list[Attendee]] = defaultdict(list)
    rows = await select_rows(session, _MEETING_ATTENDEES, {"ids": sorted(b.id for b in bookings)})
    for booking_id, name, email, response in rows:
        attendees[booking_id].append(Attendee(name, email.strip(), _PARTSTAT[response]))
    return _Meeting(await _places(session, bookings), people, attendees)


def _meeting_file(booking: Booking, entry: Entry, method: str) -> Attachment:
    return Attachment(
        f"booking-{booking.id}.ics",
        f"{CALENDAR_TYPE}; method={method}",
        invite_calendar(entry, method),
    )


async def _mail_participants(
    session: AsyncSession,
    clock: Clock,
    person_ids: Iterable[int],
    template: str,
    bookings: Sequence[Booking],
    files: Callable[[Person, _Meeting], list[Attachment]],
    extra: dict[str, Any] | None = None,
    *,
    shown: Sequence[Booking] | None = None,
) -> None:
    """One mail from ``template`` to each participant among ``person_ids`` who receives
    meeting invitations, about ``bookings`` (the mail names ``shown``, by default all of
    them), with the calendar ``files`` built in their language."""
    people = await recipients_for(session, person_ids, MailKind.MEETING_INVITATION)
    if not people or not bookings:
        return
    meeting = await _meeting(session, bookings)
    shown = shown or bookings
    for person in people:
        with using_language(person.language):
            attachments = files(person, meeting)
        await mail_person(
            session,
            clock,
            person,
            MailKind.MEETING_INVITATION,
            {
                "bookings": _facts(shown, meeting.places),
                "organizer": meeting.organizer_name(shown[0]),
                **(extra or {}),
            },
            attachments=attachments,
            template=template,
        )


async def participants_invited(
    session: AsyncSession,
    clock: Clock,
    bookings: Sequence[Booking],
    person_ids: Iterable[int],
    *,
    approved: bool = False,
) -> None:
    """Invite the participants ``person_ids`` to room bookings (a weekly series in one
    mail): each meeting's iCalendar request (METHOD:REQUEST, organised by its holder, with
    every participant). With ``approved``, the request facilities just approved: the
    invitation again, the event now confirmed (``meeting_confirmed``)."""
    await session.flush()
    ordered = sorted(bookings, key=lambda b: (b.start_at, b.id))
    await _mail_participants(
        session,
        clock,
        person_ids,
        "meeting_confirmed" if approved else "meeting_invitation",
        ordered,
        lambda _person, meeting: [
            _meeting_file(booking, meeting.entry(booking), Method.REQUEST) for booking in ordered
        ],
    )


async def participants_rescheduled(
    session: AsyncSession,
    clock: Clock,
    old: Booking,
    new: Booking,
    person_ids: Iterable[int],
    *,
    was_start: datetime,
    was_end: datetime,
) -> None:
    """Tell the participants ``person_ids`` that the meeting moved from ``was_start``–
    ``was_end`` in ``old``'s room to ``new``: the old event called off (when the change
    made a new booking) and the new one requested, to answer again."""
    await session.flush()
    places = await _places(session, [old])
    await _mail_changes(
        session,
        clock,
        person_ids,
        [(old, new)],
        {"was": _was(places, old, was_start, was_end)},
    )


async def participants_series_rescheduled(
    session: AsyncSession,
    clock: Clock,
    changes: Sequence[tuple[Booking, Booking]],
    *,
    was_start: datetime,
    was_end: datetime,
) -> None:
    """Tell the participants of a weekly meeting changed from a date on (each of
    ``changes`` a booking replaced and what it became, the first from ``was_start``–
    ``was_end`` in its room) in one mail each, as ``series_rescheduled`` tells its holder:
    the dates they are invited to as they are now, with the old events called off and
    the new ones requested, to answer again. A date that kept its time is not in
    ``changes``: nothing changed there for them."""
    if not changes:
        return
    await session.flush()
    invited = await _invited(session, [new for _old, new in changes])
    dates_of: dict[int, list[int]] = defaultdict(list)
    for index, (_old, new) in enumerate(changes):
        for person_id in invited[new.id]:
            dates_of[person_id].append(index)
    alike: dict[tuple[int, ...], list[int]] = defaultdict(list)  # the same dates, one mail
    for person_id, indexes in dates_of.items():
        alike[tuple(indexes)].append(person_id)
    places = await _places(session, [changes[0][0]])
    was = _was(places, changes[0][0], was_start, was_end)
    for dates, person_ids in alike.items():
        mine = [changes[index] for index in dates]
        await _mail_changes(session, clock, person_ids, mine, {"was": was, "weekly": True})


async def _mail_changes(
    session: AsyncSession,
    clock: Clock,
    person_ids: Iterable[int],
    changes: Sequence[tuple[Booking, Booking]],
    extra: dict[str, Any],
) -> None:
    """The mail (``meeting_changed``) of a changed meeting to its participants
    ``person_ids``: the new bookings of ``changes``, with the old events called off (each
    booking replaced; not one under way that got another end in place) and the new ones
    requested."""
    replaced = [old for old, new in changes if old is not new]
    changed = [new for _old, new in changes]

    def files(_person: Person, meeting: _Meeting) -> list[Attachment]:
        return [
            *(_meeting_file(old, meeting.entry(old), Method.CANCEL) for old in replaced),
            *(_meeting_file(new, meeting.entry(new), Method.REQUEST) for new in changed),
        ]

    await _mail_participants(
        session,
        clock,
        person_ids,
        "meeting_changed",
        [*replaced, *changed],
        files,
        extra,
        shown=changed,
    )


async def participants_uninvited(
    session: AsyncSession,
    clock: Clock,
    booking: Booking,
    person_ids: Iterable[int],
    *,
    cancelled: bool,
) -> None:
    """Tell participants that the meeting is off for them: ``cancelled`` (the booking is),
    or they were taken off its list. The iCalendar cancellation (METHOD:CANCEL) names
    each as its attendee, so that their calendar takes the event out."""
    await session.flush()

    def files(person: Person, meeting: _Meeting) -> list[Attachment]:
        me = Attendee(person.name, person.email.strip())
        entry = replace(meeting.entry(booking), attendees=(me,), status=Status.CANCELLED)
        return [_meeting_file(booking, entry, Method.CANCEL)]

    await _mail_participants(
        session,
        clock,
        person_ids,
        "meeting_cancelled",
        [booking],
        files,
        {"cancelled": cancelled},
    )


async def meetings_cancelled(
    session: AsyncSession, clock: Clock, bookings: Sequence[Booking]
) -> None:
    """Tell the participants of cancelled (or declined, lapsed, released) room bookings."""
    rooms = [b for b in bookings if not b.is_desk]
    if not rooms:
        return
    invited = await _invited(session, rooms)
    for booking in rooms:
        if invited[booking.id]:
            await participants_uninvited(
                session, clock, booking, invited[booking.id], cancelled=True
            )


_INVITED = (
    select(BookingParticipant.booking_id, BookingParticipant.person_id)
    .where(in_ids(BookingParticipant.booking_id, ids_param("ids")))
    .order_by(BookingParticipant.person_id)
)


async def _invited(session: AsyncSession, bookings: Sequence[Booking]) -> dict[int, list[int]]:
    """Per booking, the colleagues invited to it (one query)."""
    rows = await select_rows(session, _INVITED, {"ids": sorted(b.id for b in bookings)})
    invited: dict[int, list[int]] = defaultdict(list)
    for booking_id, person_id in rows:
        invited[booking_id].append(person_id)
    return invited


async def participant_answered(
    session: AsyncSession,
    clock: Clock,
    booking: Booking,
    participant: str,
    *,
    accepted: bool,
    pending: bool = False,
) -> None:
    """Tell the holder, who organises the meeting, that the colleague ``participant``
    accepted (or declined) it, or with ``pending`` no longer declines it without having
    answered yet (their absence withdrawn): a short mail of its own kind, which they can
    switch off."""
    await session.flush()
    await _mail_holders(
        session,
        clock,
        MailKind.MEETING_RESPONSE,
        [booking],
        {"participant": participant, "accepted": accepted, "pending": pending},
        with_invites=False,
    )


async def visitor_arrived(
    session: AsyncSession, clock: Clock, booking: Booking, visitor: str, organisation: str
) -> None:
    """Tell the holder, who receives them, that reception marked the visitor ``visitor``
    (of ``organisation``, if any) arrived for the meeting: a short mail of its own kind,
    which they can switch off."""
    await session.flush()
    await _mail_holders(
        session,
        clock,
        MailKind.VISITOR_ARRIVED,
        [booking],
        {"visitor": visitor, "organisation": organisation},
        with_invites=False,
    )


# --- the outbox, for administrators -------------------------------------------------------


class MailNotFailed(Conflict):
    """Only a message the outbox gave up on can be tried again."""

    code = "mail_not_failed"


class NothingToConfirm(Conflict):
    """A booking confirmation whose bookings are none of them active any more is not sent
    again: it would confirm what was cancelled since."""

    code = "nothing_to_confirm"


class MailNotCancellable(Conflict):
    """Only a message waiting for its (next) attempt, or one given up on, can be cancelled."""

    code = "mail_not_cancellable"


#: Messages an administrator can cancel: waiting, or given up on (no longer to be retried,
#: and no longer counted as a problem on the home page). One being sent cannot be called back.
CANCELLABLE_STATUS_VALUES = (MailStatus.PENDING.value, MailStatus.FAILED.value)


def outbox_mail_out(row: OutboxMail) -> OutboxMailOut:
    """A message as administrators see it: never its body or attachments."""
    return OutboxMailOut(
        id=row.id,
        kind=MailKind(row.kind),
        recipients=row.recipient_list,
        subject=row.subject,
        status=MailStatus(row.status),
        attempts=row.attempts,
        created_at=row.created_at,
        next_attempt_at=row.next_attempt_at if row.status == MailStatus.PENDING.value else None,
        last_attempt_at=row.last_attempt_at,
        sent_at=row.sent_at,
        last_error=row.last_error,
    )


def _outbox_where(filters: OutboxFilter) -> list[ColumnElement[bool]]:
    """The filters but the status: the kind, and part of an address or the subject."""
    where: list[ColumnElement[bool]] = []
    if filters.kind is not None:
        where.append(OutboxMail.kind == filters.kind.value)
    found = any_contains(search_text(filters.q or ""), OutboxMail.recipients, OutboxMail.subject)
    if found is not None:
        where.append(found)
    return where


async def list_outbox(
    session: AsyncSession, actor: CurrentUser, filters: OutboxFilter
) -> OutboxPage:
    """The messages of the outbox, newest first, filtered and paged, with how many there
    are of each status under the other filters (administrators only)."""
    actor.require(Role.ADMIN)
    where = _outbox_where(filters)
    by_status = dict(
        (
            await session.execute(
                select(OutboxMail.status, func.count()).where(*where).group_by(OutboxMail.status)
            )
        ).all()
    )
    counts = OutboxCounts(**{status.value: by_status.get(status.value, 0) for status in MailStatus})
    if filters.status is not None:
        where.append(OutboxMail.status == filters.status.value)
    total = getattr(counts, filters.status.value) if filters.status else sum(by_status.values())
    rows = await session.execute(
        select(OutboxMail)
        .where(*where)
        .order_by(OutboxMail.created_at.desc(), OutboxMail.id.desc())
        .limit(filters.limit)
        .offset(filters.offset)
        .options(lazyload(OutboxMail.attachments))
    )
    return OutboxPage(
        total=total,
        limit=filters.limit,
        offset=filters.offset,
        counts=counts,
        mails=[outbox_mail_out(row) for row in rows.scalars()],
    )


async def _locked_mail(session: AsyncSession, actor: CurrentUser, mail_id: int) -> OutboxMail:
    """One message for an administrator to change, locked as the sender locks what it
    claims, so that neither misses what the other did."""
    actor.require(Role.ADMIN)
    await lock_for_write(session)
    row = (
        await session.execute(
            select(OutboxMail)
            .where(OutboxMail.id == mail_id)
            .with_for_update()
            .options(lazyload(OutboxMail.attachments))
            .execution_options(populate_existing=True)
        )
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(_("No such e-mail."))
    return row


async def retry_mail(
    session: AsyncSession, clock: Clock, actor: CurrentUser, mail_id: int
) -> OutboxMailOut:
    """Try a message the outbox gave up on again: back in the queue, due now, with a new
    round of attempts (its count starts again, and so does the backoff), since an
    administrator retries once the cause (the mail server, an address) has been mended.
    Its last error stays until the next attempt. Audited, with the attempts it had.

    A booking confirmation none of whose bookings is still active (all cancelled,
    released, declined or lapsed since, or gone) is refused instead: sent as it was
    written, it would confirm what no longer holds. The administrator cancels it."""
    row = await _locked_mail(session, actor, mail_id)
    if row.status != MailStatus.FAILED.value:
        raise MailNotFailed(
            _("Only an e-mail that could not be sent can be tried again."), status=row.status
        )
    confirmed = _confirmed_ids(row)
    if confirmed and not await _any_active(session, confirmed):
        raise NothingToConfirm(
            _(
                "The bookings this confirmation is about are no longer active (cancelled, "
                "released or declined since), so it is not sent again; cancel it instead."
            ),
            booking_ids=confirmed,
        )
    attempts = row.attempts
    row.status = MailStatus.PENDING.value
    row.attempts = 0
    row.next_attempt_at = clock.now()
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="retry",
        object_type="mail",
        object_id=row.id,
        attempts=attempts,
    )
    await session.flush()
    return outbox_mail_out(row)


async def cancel_queued_mail(
    session: AsyncSession, clock: Clock, actor: CurrentUser, mail_id: int
) -> OutboxMailOut:
    """Withdraw a message waiting for its (next) attempt, or give up for good on one that
    could not be sent (it is then no longer counted on the home page); one being sent right
    now cannot be called back. Audited."""
    row = await _locked_mail(session, actor, mail_id)
    if row.status not in CANCELLABLE_STATUS_VALUES:
        raise MailNotCancellable(
            _("Only an e-mail that waits or could not be sent can be cancelled."),
            status=row.status,
        )
    row.status = MailStatus.CANCELLED.value
    await record(
        session, clock, actor_id=actor.id, action="cancel", object_type="mail", object_id=row.id
    )
    await session.flush()
    return outbox_mail_out(row)


async def home_failed_mail(
    session: AsyncSession, clock: Clock, settings: Settings, user: CurrentUser
) -> dict[str, Any]:
    """The home page block of administrators: how many messages could not be sent."""
    if not user.is_admin:
        return {"failed_mail": 0}
    failed = select(func.count()).where(OutboxMail.status == MailStatus.FAILED.value)
    return {"failed_mail": (await session.execute(failed)).scalar_one()}
