from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, String, and_, cast, func, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from werkplek.audit.labels import PEOPLE_KEYS, SPACE_KEYS, ReferencedNames
from werkplek.audit.models import AuditEvent
from werkplek.audit.schemas import AuditEventOut, AuditFilter, AuditPage, PersonRef
from werkplek.bookings.models import Booking
from werkplek.clock import AMSTERDAM, Clock, local_midnight
from werkplek.displays.models import DisplayLink
from werkplek.errors import Forbidden, InvalidInput, check_day_in_range
from werkplek.feeds.models import FeedToken
from werkplek.i18n import _
from werkplek.people.models import ApiToken, Person, Team
from werkplek.presence.models import CallbackNote
from werkplek.rooms.models import Closure, Floor, Site, Space
from werkplek.visits.models import FieldVisitor

if TYPE_CHECKING:  # people.services records audit events itself
    from werkplek.people.services import CurrentUser


async def record(
    session: AsyncSession,
    clock: Clock,
    *,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: int | str,
    **details: Any,
) -> None:
    """Add an audit event to the current transaction (committed with the change)."""
    session.add(
        AuditEvent(
            at=clock.now(),
            actor_id=actor_id,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            details=details,
        )
    )


async def record_saved(
    session: AsyncSession,
    clock: Clock,
    actor_id: int | None,
    object_type: str,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    **details: Any,
) -> None:
    """Audit an object created (``before`` None) or changed, naming the fields that
    changed (``after`` holds its ``id``); a save that changed nothing is not recorded."""
    if before is None:
        await record(
            session,
            clock,
            actor_id=actor_id,
            action="create",
            object_type=object_type,
            object_id=after["id"],
            **details,
        )
        return
    fields = sorted(name for name, value in after.items() if before[name] != value)
    if fields:
        await record(
            session,
            clock,
            actor_id=actor_id,
            action="update",
            object_type=object_type,
            object_id=after["id"],
            fields=fields,
            **details,
        )


#: The history of an object of these kinds also holds the events about what belongs to
#: it, as someone looking at a space's history expects its bookings there, including those
#: cancelled because the space was closed or restricted, and at a person's everything that
#: happened to them: their work locations, the bookings held for them, the field visits
#: they went on, callback notes for them or left by them and the tokens revoked when they
#: left: per kind, the kinds that belong to it with the column holding their number and
#: the column naming the owner.
BELONGING: dict[str, list[tuple[str, InstrumentedAttribute[Any], InstrumentedAttribute[Any]]]] = {
    "space": [
        ("booking", Booking.id, Booking.space_id),
        ("booking_series", Booking.series_id, Booking.space_id),
        ("closure", Closure.id, Closure.space_id),
        ("display_link", DisplayLink.id, DisplayLink.space_id),
    ],
    "site": [
        ("floor", Floor.id, Floor.site_id),
        ("floor_plan", Floor.id, Floor.site_id),
        ("space", Space.id, Space.site_id),
        ("closure", Closure.id, Closure.site_id),
        ("display_link", DisplayLink.id, DisplayLink.site_id),
    ],
    "floor": [("floor_plan", Floor.id, Floor.id)],
    "person": [
        ("presence", Person.id, Person.id),
        ("booking", Booking.id, Booking.booked_for_id),
        ("booking_series", Booking.series_id, Booking.booked_for_id),
        ("field_visit", FieldVisitor.visit_id, FieldVisitor.person_id),
        ("callback_note", CallbackNote.id, CallbackNote.person_id),
        ("callback_note", CallbackNote.id, CallbackNote.created_by_id),
        ("api_token", ApiToken.id, ApiToken.person_id),
        ("feed_token", FeedToken.id, FeedToken.created_by_id),
    ],
}


def _callback_notes_of(person_id: int) -> ColumnElement[bool]:
    """The events of the callback notes for the person (creating, removing and purging one
    record for whom) or left by them (they created it)."""
    return or_(
        AuditEvent.details["person_id"].as_integer() == person_id,
        and_(AuditEvent.action == "create", AuditEvent.actor_id == person_id),
    )


#: What belongs to an object of these kinds and may be gone from its table, found by its
#: events: a callback note removed by hand or after the retention time stays in the
#: history of the person it was for and of the one who left it. Per kind, the kinds with
#: which of their events name the owner.
NAMED_OWNER: dict[str, list[tuple[str, Callable[[int], ColumnElement[bool]]]]] = {
    "person": [("callback_note", _callback_notes_of)]
}


def about(object_type: str, object_id: str) -> ColumnElement[bool]:
    """The events about one object and (``BELONGING``) what belongs to it: the ids of a
    union of lookups by kind and number in ``ix_audit_events_object``, the numbers found by
    the owner's index on the other table (bookings by space, spaces by site, ...) or, for
    what may be gone (``NAMED_OWNER``), by the events of that kind naming the owner. A
    union, not an OR: PostgreSQL checks an ``IN (subquery)`` inside an OR row by row."""
    own = and_(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
    number = int(object_id) if object_id.isdigit() and len(object_id) < 10 else None
    if number is None or str(number) != object_id or object_type not in BELONGING:
        return own
    lookups = [select(AuditEvent.id).where(own)]
    for kind, key, owner in BELONGING[object_type]:
        keys = select(cast(key, String)).where(owner == number)
        lookups.append(
            select(AuditEvent.id).where(
                AuditEvent.object_type == kind, AuditEvent.object_id.in_(keys)
            )
        )
    for kind, naming in NAMED_OWNER.get(object_type, []):
        named = select(AuditEvent.object_id).where(AuditEvent.object_type == kind, naming(number))
        lookups.append(
            select(AuditEvent.id).where(
                AuditEvent.object_type == kind, AuditEvent.object_id.in_(named)
            )
        )
    return AuditEvent.id.in_(union_all(*lookups))


async def list_events(
    session: AsyncSession,
    actor: CurrentUser,
    filters: AuditFilter,
) -> AuditPage:
    """Audit events, newest first, filtered and paged (admins only)."""
    if not actor.is_admin:
        raise Forbidden(_("Only administrators can read the audit log."))
    check_day_in_range(filters.since, "since")
    check_day_in_range(filters.until, "until")
    if filters.since and filters.until and filters.until < filters.since:
        raise InvalidInput(_("The end date is before the start date."), field="until")
    where = []
    if filters.actor_id is not None:
        where.append(AuditEvent.actor_id == filters.actor_id)
    if filters.object_id:
        if not filters.object_type:
            # Numbers are per kind of object: person 12 and space 12 are not the same one.
            raise InvalidInput(
                _("Choose the kind of object as well as its number."), field="object_type"
            )
        where.append(about(filters.object_type, filters.object_id))
    elif filters.object_type:
        where.append(AuditEvent.object_type == filters.object_type)
    if filters.since:
        where.append(AuditEvent.at >= local_midnight(filters.since))
    if filters.until:
        where.append(AuditEvent.at < local_midnight(filters.until + timedelta(days=1)))
    total = (await session.execute(select(func.count(AuditEvent.id)).where(*where))).scalar_one()
    rows = await session.execute(
        select(AuditEvent, Person.name)
        .outerjoin(Person, Person.id == AuditEvent.actor_id)
        .where(*where)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(filters.limit)
        .offset(filters.offset)
    )
    return AuditPage(
        total=int(total),
        limit=filters.limit,
        offset=filters.offset,
        events=[
            AuditEventOut(
                id=event.id,
                at=event.at.astimezone(AMSTERDAM),
                actor=PersonRef(id=event.actor_id, name=name or "")
                if event.actor_id is not None
                else None,
                action=event.action,
                object_type=event.object_type,
                object_id=event.object_id,
                details=event.details or {},
            )
            for event, name in rows
        ],
    )


async def referenced_names(
    session: AsyncSession,
    events: Sequence[AuditEventOut],
    about: tuple[str, str] | None = None,
) -> ReferencedNames:
    """Names for the people, spaces, sites, floors and teams these events are about, for
    the ids of people, spaces and sites in the events' details and for the person, team,
    site or space a calendar feed's token is for (one query per kind, whatever the number of
    events); ``about``: the object (kind and number) the log is filtered on, named even when
    no event is shown. Erasing a person takes their id out of the details, so nothing
    left there names them."""
    objects = [(event.object_type, event.object_id) for event in events]
    if about is not None:
        objects.append(about)
    return ReferencedNames(
        people=await _names(
            session,
            Person,
            _detail_ids(events, *PEOPLE_KEYS)
            | _object_ids(objects, "person")
            | _scope_ids(events, "person"),
        ),
        spaces=await _names(
            session,
            Space,
            _detail_ids(events, *SPACE_KEYS)
            | _object_ids(objects, "space")
            | _scope_ids(events, "space"),
        ),
        sites=await _names(
            session,
            Site,
            _detail_ids(events, "site_id")
            | _object_ids(objects, "site")
            | _scope_ids(events, "site"),
        ),
        floors=await _names(
            session, Floor, _object_ids(objects, "floor") | _object_ids(objects, "floor_plan")
        ),
        teams=await _names(
            session, Team, _object_ids(objects, "team") | _scope_ids(events, "team")
        ),
    )


def _object_ids(objects: Sequence[tuple[str, str]], object_type: str) -> set[int]:
    """The numbers of the ``objects`` (kind and number) of ``object_type``."""
    return {
        int(object_id) for kind, object_id in objects if kind == object_type and object_id.isdigit()
    }


def _detail_ids(events: Sequence[AuditEventOut], *keys: str) -> set[int]:
    """The ids under ``keys`` in the events' details, alone or in lists (``visitor_ids``)."""
    ids: set[int] = set()
    for event in events:
        for key in keys:
            value = event.details.get(key)
            values = value if isinstance(value, list) else [value]
            ids.update(item for item in values if isinstance(item, int))
    return ids


def _scope_ids(events: Sequence[AuditEventOut], scope: str) -> set[int]:
    """The numbers of what the calendar feed tokens in ``events`` are for when that is a
    ``scope`` (person, team, site or space); a revocation does not record it."""
    return {
        event.details["scope_id"]
        for event in events
        if event.object_type == "feed_token"
        and event.details.get("scope") == scope
        and isinstance(event.details.get("scope_id"), int)
    }


async def _names(
    session: AsyncSession, model: type[Person | Site | Space | Floor | Team], ids: set[int]
) -> dict[int, str]:
    if not ids:
        return {}
    rows = await session.execute(select(model.id, model.name).where(model.id.in_(ids)))
    return {row_id: name for row_id, name in rows}


async def object_types(session: AsyncSession, keep: str | None = None) -> list[str]:
    """The kinds of object the log holds events about, for the filter, and ``keep`` (the
    kind chosen): a space's history link names a kind the log may hold no event on, its
    bookings' events being the history, and the select must still show it chosen."""
    rows = await session.execute(select(AuditEvent.object_type).distinct())
    return sorted({*rows.scalars(), *([keep] if keep else [])})
