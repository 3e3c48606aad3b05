"""A person who is deactivated (they left): what acts for them stops.

``people`` signs them out and revokes their API tokens itself; the desks and rooms held
for them (``bookings``) and the calendar feeds they subscribed to (``feeds``) belong to
domains that build on ``people``, so this module, above all three, does the rest, and
tells the colleagues who had them as their backup, and those who were theirs
(``notifications``, ``presence``). The
people page, the profile and the API call ``update_person`` and ``create_person`` here
instead of ``people.services``, which also tell the colleague who becomes, or no longer
is, the person's usual backup; the people import (its command, page and API alike) calls
``import_people`` here, which lets go of those the file deactivates (but mails no usual
backup it sets: a bulk tool, whose first run would mail half the organisation). The
people page first shows what a deactivation will do (``farewell``) and asks to confirm
it (``deactivate``).

A deactivation is one transaction: ``update_person`` takes the write lock before anything
else (on SQLite a lock taken later would first commit what was already changed), so a
failure halfway leaves the person active with everything they had.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.bookings.models import Booking
from werkplek.bookings.schemas import BookingOut
from werkplek.bookings.services import (
    bookings_of_leavers,
    bookings_out,
    cancel_bookings_of_leavers,
)
from werkplek.clock import Clock, local_today
from werkplek.db import lock_for_write
from werkplek.feeds.models import FeedScope, FeedToken
from werkplek.feeds.services import revoke_tokens_of_leavers, scope_names
from werkplek.i18n import _
from werkplek.notifications import services as notify
from werkplek.notifications.outbox import cancel_mail_to
from werkplek.people import importer
from werkplek.people import services as people
from werkplek.people.importer import ImportOptions, ImportReport
from werkplek.people.models import ApiToken, Person, Role
from werkplek.people.schemas import PersonCreate, PersonUpdate
from werkplek.people.services import CurrentUser
from werkplek.presence.days import backup_days_of, days_backed_up_by

T = TypeVar("T")


@dataclass
class PersonChange:
    person: Person
    deactivated: bool = False
    cancelled: list[Booking] = field(default_factory=list)


async def let_go(
    session: AsyncSession,
    clock: Clock,
    person_ids: Sequence[int],
    *,
    actor_id: int | None,
    dry_run: bool = False,
) -> list[Booking]:
    """Cancel the bookings of people just deactivated that have not started, revoke
    their feed tokens, withdraw the mails waiting for them (``outbox.cancel_mail_to``),
    tell whom they were the backup of (``tell_whom_they_backed_up``) and who was theirs
    (``tell_their_backups``);
    returns the bookings (on a dry run: would cancel, and nothing is revoked or told).
    Reactivating them later brings none of it back."""
    cancelled = await cancel_bookings_of_leavers(
        session, clock, person_ids, dry_run=dry_run, actor_id=actor_id
    )
    if not dry_run:
        await revoke_tokens_of_leavers(session, clock, person_ids, actor_id=actor_id)
        await cancel_mail_to(session, person_ids)
        await tell_whom_they_backed_up(session, clock, person_ids)
        await tell_their_backups(session, clock, person_ids, actor_id=actor_id)
    return cancelled


async def tell_whom_they_backed_up(
    session: AsyncSession, clock: Clock, person_ids: Sequence[int]
) -> None:
    """Mail each active colleague who had one of these people, just deactivated, as their
    usual backup, or as their backup on days from today on, that their backup left, to
    choose another (the KCC finder no longer refers callers to someone inactive): one mail
    per colleague and leaver, listing those days (``notify.backup_left``). The backup
    stays set, should the leaver come back."""
    told: dict[tuple[int, int], dict[str, Any]] = {}
    for colleague_id, backup_id in await people.backed_up_by(session, person_ids):
        told[(colleague_id, backup_id)] = {"usual": True, "dates": []}
    today = local_today(clock)
    for colleague_id, day, backup_id in await days_backed_up_by(session, person_ids, today):
        facts = told.setdefault((colleague_id, backup_id), {"usual": False, "dates": []})
        facts["dates"].append({"date": day.isoformat()})
    names = await people.person_names(session, {backup_id for _colleague, backup_id in told})
    for (_colleague_id, backup_id), facts in told.items():
        facts["backup"] = names[backup_id]
    await notify.backup_left(session, clock, told)


async def tell_their_backups(
    session: AsyncSession, clock: Clock, person_ids: Sequence[int], *, actor_id: int | None
) -> None:
    """Tell the colleague who was the usual backup of one of these people, just
    deactivated, and each named as their backup on days from today on, that they no
    longer are: the KCC finder no longer shows someone inactive (``notify.backups_of_leaver``:
    of a mail naming them not sent yet, they hear nothing). Their backups stay set, should
    they come back."""
    usual = await people.usual_backups_of(session, person_ids)
    days: dict[int, dict[int, list[dict[str, str]]]] = {}
    for person_id, day, backup_id in await backup_days_of(session, person_ids, local_today(clock)):
        days.setdefault(person_id, {}).setdefault(backup_id, []).append({"date": day.isoformat()})
    names = await people.person_names(session, {*usual, *days})
    for person_id in sorted(names):
        await notify.backups_of_leaver(
            session,
            clock,
            person_id,
            names[person_id],
            usual=usual.get(person_id),
            days=days.get(person_id, {}),
            actor_id=actor_id,
        )


@dataclass
class PeopleImport:
    """What importing a file did (or, on a dry run, would do), with the bookings of those
    it deactivates that it cancelled (would cancel)."""

    report: ImportReport
    cancelled: list[Booking]
    #: Not imported: it would deactivate others than its preview showed; ``report`` is a
    #: new dry run's.
    outdated: bool = False


async def import_people(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser | None,
    text: str,
    options: ImportOptions,
    *,
    dry_run: bool,
    deactivating: str | None = None,
    column_map: Mapping[str, str] | None = None,
    delimiter: str | None = None,
    require_admin: bool = False,
) -> PeopleImport:
    """``importer.import_people``, then ``let_go`` of those it deactivates, in the same
    transaction, and for those it brings back the mails about them as backup (asking
    colleagues to replace them, telling their own backups they no longer are) that have
    not gone out yet are withdrawn (``notify.backup_back``, as
    ``update_person`` does); on a dry run nothing is saved and the bookings are those it
    would cancel. ``actor`` None: the command line.

    ``deactivating``: whom a preview showed the import would deactivate (as
    ``importer.deactivation_digest``). When that changed since (someone was added, or
    came back), nobody is deactivated unseen: the file is not imported, and the answer
    is a new dry run, marked ``outdated``.
    """

    async def run(dry_run: bool) -> ImportReport:
        return await importer.import_people(
            session,
            clock,
            text,
            column_map=column_map,
            delimiter=delimiter,
            skip_invalid=options.skip_invalid,
            dry_run=dry_run,
            deactivate_missing=options.deactivate_missing,
            require_admin=require_admin,
            actor=actor,
        )

    checking = deactivating is not None and not dry_run
    report = await run(dry_run=dry_run or checking)
    outdated = checking and importer.deactivation_digest(report.deactivated) != deactivating
    if checking and not outdated:
        report = await run(dry_run=False)
    if not (report.applied or report.dry_run):  # refused: nobody is deactivated
        return PeopleImport(report, [], outdated)
    cancelled = await let_go(
        session,
        clock,
        report.deactivated_ids,
        actor_id=actor.id if actor else None,
        dry_run=not report.applied,
    )
    if report.applied:
        for person_id in report.reactivated_ids:
            await notify.backup_back(session, person_id)
    return PeopleImport(report, cancelled, outdated)


async def update_person(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    person_id: int,
    data: PersonUpdate,
) -> PersonChange:
    """``people.services.update_person``; when the change gives the person another usual
    backup, or none, the colleagues it concerns are told (``notify.usual_backup_changed``);
    when it deactivates the person, ``let_go`` in the same transaction, as the people
    import does; when it brings them back, the mails about them as backup (asking
    colleagues to replace them, telling their own backups they no longer are) that have
    not gone out yet are withdrawn (``notify.backup_back``)."""
    await lock_for_write(session)
    before = await people.get_person(session, person_id)
    was_active, was_backup = before.active, before.backup_id
    person = await people.update_person(session, clock, actor, person_id, data)
    if person.backup_id != was_backup:
        await notify.usual_backup_changed(session, clock, person, was=was_backup, actor=actor)
    if person.active and not was_active:
        await notify.backup_back(session, person.id)
    if not (was_active and not person.active):
        return PersonChange(person)
    cancelled = await let_go(session, clock, [person.id], actor_id=actor.id)
    return PersonChange(person, deactivated=True, cancelled=cancelled)


async def create_person(
    session: AsyncSession, clock: Clock, actor: CurrentUser, data: PersonCreate
) -> Person:
    """``people.services.create_person`` by an administrator, who may give the new person
    a usual backup: that colleague is told (``notify.usual_backup_changed``)."""
    person = await people.create_person(session, clock, actor, data)
    if person.backup_id is not None:
        await notify.usual_backup_changed(session, clock, person, was=None, actor=actor)
    return person


#: Up to how many bookings, subscriptions or tokens the confirmation lists one by one;
#: of more it gives only the count.
SHORT_LIST = 10


@dataclass
class Farewell:
    """What deactivating ``person`` does now: how many bookings held for them are
    cancelled, calendar subscriptions they made and API tokens of theirs revoked, each
    listed when there are at most ``SHORT_LIST`` (the subscriptions by what they show,
    the tokens by name). They are logged out as well."""

    person: Person
    booking_count: int
    bookings: list[BookingOut]
    subscription_count: int
    subscriptions: list[str]
    token_count: int
    tokens: list[str]


def _short(items: Sequence[T]) -> list[T]:
    return list(items) if len(items) <= SHORT_LIST else []


async def farewell(
    session: AsyncSession, clock: Clock, actor: CurrentUser, person_id: int
) -> Farewell:
    """What ``deactivate`` would do to the person, for the administrator to confirm."""
    actor.require(Role.ADMIN)
    person = await people.get_person(session, person_id)
    bookings = await bookings_of_leavers(session, clock, [person.id])
    feeds = await people.tokens_of_leavers(session, FeedToken.created_by_id, [person.id])
    scopes = [(FeedScope(feed.scope), feed.scope_id) for feed in feeds]
    names = await scope_names(session, _short(scopes), only_active=False)
    tokens = await people.tokens_of_leavers(session, ApiToken.person_id, [person.id])
    return Farewell(
        person,
        booking_count=len(bookings),
        bookings=await bookings_out(session, _short(bookings)),
        subscription_count=len(feeds),
        subscriptions=[names.get(scope, _("(removed)")) for scope in _short(scopes)],
        token_count=len(tokens),
        tokens=[token.name for token in _short(tokens)],
    )


async def deactivate(
    session: AsyncSession, clock: Clock, actor: CurrentUser, person_id: int
) -> PersonChange:
    """Deactivate the person (they left), as the administrator confirmed: ``update_person``
    with ``active`` false, in one transaction."""
    return await update_person(session, clock, actor, person_id, PersonUpdate(active=False))
