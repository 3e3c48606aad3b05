"""Calendar feeds, booking invites and importing absences from an .ics file: the rules.

A feed token is a secret URL for one scope (a person, a team, a site or a space).
It is stored only as a SHA-256 hash, shown once, and revocable. It never grants
more than its creator may see at the moment of the request: the creator's rights
(active, roles, team membership) are checked again on every read, and a token
whose creator lost them answers exactly like an unknown token.

Feed generation takes a constant number of queries, whatever the number of people,
days or bookings in it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any

import recurring_ical_events
from icalendar import Calendar
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Row,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    func,
    inspect,
    or_,
    select,
    update,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased, lazyload, selectinload
from sqlalchemy.sql.functions import FunctionElement

from werkplek import __version__
from werkplek.audit.services import record
from werkplek.bookings import services as bookings
from werkplek.bookings.models import ACTIVE_STATUS_VALUES, Booking, BookingStatus
from werkplek.clock import AMSTERDAM, Clock, days_through, local_midnight, local_today
from werkplek.config import Settings
from werkplek.db import (
    UTCDateTime,
    constant,
    is_postgres,
    joined_strings,
    lock_for_write,
    one_of,
    select_rows,
)
from werkplek.errors import DomainError, InvalidInput, NotFound
from werkplek.feeds import ical
from werkplek.feeds.ical import Entry, Status
from werkplek.feeds.models import FeedScope, FeedToken, RowDeletions, WorkLocationDeletions
from werkplek.feeds.schemas import (
    FeedScopeOut,
    FeedTokenIn,
    FeedTokenOut,
    ImportedPart,
    PresenceImportOut,
    SkippedDay,
)
from werkplek.i18n import N_, _, set_language
from werkplek.labels import label
from werkplek.people.models import Person, Role, Team, TeamMembership
from werkplek.people.security import new_token, token_hash
from werkplek.people.services import (
    CurrentUser,
    PersonChoices,
    colleague_choices,
    identity_columns,
    revoke_for_leavers,
    user_from_row,
)
from werkplek.presence import days as person_days
from werkplek.presence import services as presence
from werkplek.presence.models import PresencePart, WeeklyPattern, WorkKind, WorkLocation
from werkplek.presence.schemas import DayIn, PartIn
from werkplek.rooms.models import OpeningHours, Site, Space, SpaceKind
from werkplek.rooms.services import DayPart, SiteDay, day_part_window
from werkplek.visits import services as visits
from werkplek.visits.models import FieldVisit, FieldVisitor

#: Cancelled, released, declined and lapsed bookings stay in feeds (as STATUS:CANCELLED)
#: this long after they ended, so subscribed calendars remove them; then they go.
CANCELLED_VISIBLE_FOR = timedelta(days=7)
#: A token's last-used time is written at most this often.
LAST_USED_RESOLUTION = timedelta(minutes=1)
#: Half days without a site's hours (home, on location, absent, the site is closed
#: that weekday, or its hours leave that half day empty), in Europe/Amsterdam, split
#: where presence splits the day.
DEFAULT_HALF_DAYS: dict[PresencePart, tuple[time, time]] = {
    PresencePart.MORNING: (time(8, 0), presence.DAY_SPLIT),
    PresencePart.AFTERNOON: (presence.DAY_SPLIT, time(17, 0)),
}
ENDED_STATUS_VALUES = (
    BookingStatus.CANCELLED.value,
    BookingStatus.RELEASED.value,
    BookingStatus.DECLINED.value,
    BookingStatus.LAPSED.value,
)
ROOM_KIND_VALUES = (SpaceKind.MEETING_ROOM.value, SpaceKind.RESIDENT_ROOM.value)
STATUS_TEXT = {
    BookingStatus.PENDING.value: N_("Awaiting approval"),
    BookingStatus.CONFIRMED.value: N_("Confirmed"),
    BookingStatus.CHECKED_IN.value: N_("Checked in"),
    BookingStatus.CANCELLED.value: N_("Cancelled"),
    BookingStatus.RELEASED.value: N_("Released (not checked in)"),
    BookingStatus.DECLINED.value: N_("Declined"),
    BookingStatus.LAPSED.value: N_("Lapsed (not decided in time)"),
}


class FeedNotFound(NotFound):
    """Unknown, revoked, or no longer allowed: all three look the same from outside."""

    code = "not_found"


def feed_not_found() -> FeedNotFound:
    return FeedNotFound(_("No such calendar feed."))


class InvalidCalendar(DomainError):
    """An uploaded .ics that cannot be read; nothing of it is imported."""

    status_code = 400
    code = "invalid_calendar"


# --- who may subscribe to what ------------------------------------------------------------


def may_subscribe(user: CurrentUser, scope: FeedScope, scope_id: int) -> bool:
    """A person their own feed (admins anyone's); KCC, leads of the team and admins a
    team's; anyone logged in a site's or a space's (which show only who booked)."""
    if scope is FeedScope.PERSON:
        return scope_id == user.id or user.is_admin
    if scope is FeedScope.TEAM:
        return user.has_role(Role.KCC) or user.leads(scope_id)
    return True


async def scope_names(
    session: AsyncSession, scopes: Iterable[tuple[FeedScope, int]], *, only_active: bool = True
) -> dict[tuple[FeedScope, int], str]:
    """Names of the scopes that exist (and are active): one query per kind of scope."""
    wanted: dict[FeedScope, set[int]] = {}
    for scope, scope_id in scopes:
        wanted.setdefault(scope, set()).add(scope_id)
    names: dict[tuple[FeedScope, int], str] = {}
    for scope, ids in wanted.items():
        if scope is FeedScope.PERSON:
            statement: Any = select(Person.id, Person.name).where(Person.id.in_(ids))
            if only_active:
                statement = statement.where(Person.active.is_(True))
        elif scope is FeedScope.TEAM:
            statement = select(Team.id, Team.name).where(Team.id.in_(ids))
        elif scope is FeedScope.SITE:
            statement = select(Site.id, Site.name).where(Site.id.in_(ids))
            if only_active:
                statement = statement.where(Site.active.is_(True))
        else:
            statement = (
                select(Space.id, Space.name + " (" + Site.name + ")")
                .join(Site, Site.id == Space.site_id)
                .where(Space.id.in_(ids))
            )
            if only_active:
                statement = statement.where(Space.active.is_(True), Site.active.is_(True))
        for scope_id, name in await session.execute(statement):
            names[(scope, scope_id)] = name
    return names


@dataclass(frozen=True)
class ScopeChoice:
    value: str  # "kind:id", as the page's form sends it
    name: str


@dataclass(frozen=True)
class ScopeChoices:
    """What a person may subscribe to, grouped for the page's form."""

    own: ScopeChoice
    colleagues: PersonChoices | None  # for admins, whose select of people offers these
    teams: list[ScopeChoice]
    sites: list[ScopeChoice]
    rooms: list[tuple[str, list[ScopeChoice]]]  # per site name


async def scope_choices(
    session: AsyncSession,
    user: CurrentUser,
    *,
    colleague_id: int | None = None,
    colleagues_containing: str = "",
) -> ScopeChoices:
    """The form's choices. Colleagues (admins only) are a select of people of their own,
    keeping ``colleague_id``, those whose name contains ``colleagues_containing``; of single
    spaces only rooms are offered (the API takes any space): a municipality has thousands
    of people and desks, too many for one select."""
    colleagues = (
        await colleague_choices(
            session, containing=colleagues_containing, exclude=user.id, keep=colleague_id
        )
        if user.is_admin
        else None
    )
    team_query = select(Team.id, Team.name).order_by(Team.name)
    if not user.has_role(Role.KCC):
        team_query = team_query.where(Team.id.in_(sorted(user.lead_team_ids) or [-1]))
    teams = [ScopeChoice(f"team:{tid}", name) for tid, name in await session.execute(team_query)]
    sites = [
        ScopeChoice(f"site:{sid}", name)
        for sid, name in await session.execute(
            select(Site.id, Site.name).where(Site.active.is_(True)).order_by(Site.name)
        )
    ]
    rooms: dict[str, list[ScopeChoice]] = {}
    for sid, name, site_name in await session.execute(
        select(Space.id, Space.name, Site.name)
        .join(Site, Site.id == Space.site_id)
        .where(
            Space.active.is_(True),
            Site.active.is_(True),
            one_of(Space.kind, [kind.value for kind in bookings.ROOM_KINDS]),
        )
        .order_by(Site.name, Space.name)
    ):
        rooms.setdefault(site_name, []).append(ScopeChoice(f"space:{sid}", name))
    return ScopeChoices(
        own=ScopeChoice(f"person:{user.id}", user.name),
        colleagues=colleagues,
        teams=teams,
        sites=sites,
        rooms=list(rooms.items()),
    )


# --- tokens -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreatedToken:
    """A new token: ``token`` is the secret, to be shown once and never stored."""

    row: FeedToken
    scope: FeedScopeOut
    token: str


async def create_token(
    session: AsyncSession, clock: Clock, actor: CurrentUser, data: FeedTokenIn
) -> CreatedToken:
    scope, scope_id = data.scope.kind, data.scope.id
    if not may_subscribe(actor, scope, scope_id):
        raise InvalidInput(_("You may not subscribe to this calendar."), field="scope")
    name = (await scope_names(session, [(scope, scope_id)])).get((scope, scope_id))
    if name is None:
        raise InvalidInput(_("This calendar does not exist."), field="scope")
    secret = new_token()
    row = FeedToken(
        created_by_id=actor.id,
        scope=scope.value,
        scope_id=scope_id,
        token_hash=token_hash(secret),
        created_at=clock.now(),
    )
    session.add(row)
    await session.flush()
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="create",
        object_type="feed_token",
        object_id=row.id,
        scope=scope.value,
        scope_id=scope_id,
    )
    return CreatedToken(
        row=row, scope=FeedScopeOut(kind=scope, id=scope_id, name=name), token=secret
    )


async def list_tokens(session: AsyncSession, actor: CurrentUser) -> list[FeedTokenOut]:
    """The caller's tokens, newest first, revoked ones included (marked so)."""
    rows = (
        (
            await session.execute(
                select(FeedToken)
                .where(FeedToken.created_by_id == actor.id)
                .order_by(FeedToken.revoked_at.is_not(None), FeedToken.id.desc())
            )
        )
        .scalars()
        .all()
    )
    names = await scope_names(
        session, [(FeedScope(row.scope), row.scope_id) for row in rows], only_active=False
    )
    return [
        FeedTokenOut(
            id=row.id,
            scope=FeedScopeOut(
                kind=FeedScope(row.scope),
                id=row.scope_id,
                name=names.get((FeedScope(row.scope), row.scope_id), _("(removed)")),
            ),
            created_at=row.created_at,
            last_used_at=row.last_used_at,
            revoked=row.revoked_at is not None,
        )
        for row in rows
    ]


async def revoke_token(
    session: AsyncSession, clock: Clock, actor: CurrentUser, token_id: int
) -> None:
    """The creator (or an admin) revokes a token; from then on it answers 404."""
    row = await session.get(FeedToken, token_id)
    if row is None or (row.created_by_id != actor.id and not actor.is_admin):
        raise NotFound(_("No such calendar subscription."))
    if row.revoked_at is None:
        row.revoked_at = clock.now()
        await record(
            session,
            clock,
            actor_id=actor.id,
            action="revoke",
            object_type="feed_token",
            object_id=row.id,
        )


async def revoke_tokens_of_leavers(
    session: AsyncSession, clock: Clock, person_ids: Sequence[int], *, actor_id: int | None
) -> None:
    """Revoke the feed tokens made by people just deactivated (they left), each revocation
    audited (without the scope: a person's number there is not one that erasing them
    clears), as ``people.services.sign_out_leavers`` does with their API tokens. Their
    feeds already answer 404 while they are inactive; revoked, the old addresses stay dead
    when they are brought back, and they subscribe anew.
    ``actor_id``: the administrator who deactivated them (None: the import)."""
    await revoke_for_leavers(
        session,
        clock,
        FeedToken.created_by_id,
        person_ids,
        actor_id=actor_id,
        object_type="feed_token",
    )


# --- reading a feed -----------------------------------------------------------------------


@dataclass(frozen=True)
class RenderedFeed:
    body: bytes | None  # None: the client already holds the current body (answer 304)
    etag: str  # hex SHA-256 of the body
    last_modified: datetime  # when this body was first served (whole seconds, UTC)


#: Given a body's ETag and Last-Modified: does the client already hold that body?
ClientHolds = Callable[[str, datetime], bool]


@dataclass(frozen=True)
class FeedWindow:
    first: date
    last: date  # inclusive
    start: datetime  # first 00:00 Amsterdam, in UTC
    end: datetime  # the day after ``last`` 00:00 Amsterdam, in UTC
    today_start: datetime  # stamp for entries that have no modification time of their own
    cutoff: datetime  # ended bookings that ended (were cancelled) before this are left out


def feed_window(clock: Clock, settings: Settings) -> FeedWindow:
    today = local_today(clock)
    first = today - timedelta(days=settings.feed_days_back)
    last = today + timedelta(days=settings.feed_days_ahead)
    return FeedWindow(
        first=first,
        last=last,
        start=local_midnight(first),
        end=local_midnight(last + timedelta(days=1)),
        today_start=local_midnight(today),
        cutoff=clock.now() - CANCELLED_VISIBLE_FOR,
    )


# --- what a feed is built from ------------------------------------------------------------
#
# A calendar app polls its feed (hourly, say) with the ETag of the body it holds. To answer
# 304 without building the feed, the token keeps, next to that ETag:
#
# - ``content_since``: an instant before the data of that body was read, less
#   ``COMMIT_LAG`` (a write stamped earlier may commit later).
# - ``content_inputs``: a hash of what the body was built from: the count, sum and latest
#   of the change times of the bookings, work locations and field visits stamped after
#   ``content_since`` (services stamp them from their clock; indexes on the change times
#   make this read only what changed, not the window's thousands of rows), how many of
#   the people's work locations were ever deleted (counted by a trigger), for the
#   people, memberships, weekly patterns and spaces the feed shows the count, sum and
#   latest of their change times (set by the models themselves; where that is every
#   person or every space, how many rows were ever deleted, counted by triggers, and the
#   sums of the changes near the latest one, see ``_table_changes``), the sites with
#   their hours and the team's name by value, the creator's rights and language, the
#   window's days and the app's version. Sums of change times change whatever the order
#   in which writes commit, and are compared, never set against a clock.
# - ``content_expires_at``: when the first cancelled booking in the body is due to leave
#   it (``CANCELLED_VISIBLE_FOR``), the one change that time alone makes.
#
# Same ETag, same inputs, nothing changed since, not expired: 304.

#: How much later than its change time a write may commit (its request's clock was read
#: first): the rows stamped this long before a build are summed with the later ones, so a
#: write that commits after the build still changes the inputs.
COMMIT_LAG = timedelta(minutes=10)
#: How far ahead of ours another server's clock may run. Change times further ahead (data
#: from a clock set wrong) count as changes only once they are this close.
CLOCK_SKEW = timedelta(minutes=1)
#: Between the values of one row, and between rows, in the text the query returns.
_FIELD = "\x1f"
_RECORD = "\x1e"
_NULL = constant("-")


class _ChangeNumber(FunctionElement[int]):
    """A change time as whole milliseconds since 1970 (an integer on both databases,
    so that change times can be summed exactly)."""

    type = BigInteger()
    inherit_cache = True
    name = "change_number"


@compiles(_ChangeNumber, "postgresql")
def _change_number_postgresql(element: _ChangeNumber, compiler: Any, **kw: Any) -> str:
    # date_part's double, not EXTRACT's numeric: summing a team's rows costs half as much
    return f"CAST(date_part('epoch', {compiler.process(element.clauses, **kw)}) * 1000 AS BIGINT)"


@compiles(_ChangeNumber, "sqlite")
def _change_number_sqlite(element: _ChangeNumber, compiler: Any, **kw: Any) -> str:
    stamp = compiler.process(element.clauses, **kw)
    return f"CAST(ROUND((julianday({stamp}) - 2440587.5) * 86400000) AS INTEGER)"


def _joined(*values: Any) -> ColumnElement[str]:
    """Values as one text (NULL as "-"), for the fingerprint."""
    pieces: list[ColumnElement[str]] = [func.coalesce(cast(v, String), _NULL) for v in values]
    text = pieces[0]
    for piece in pieces[1:]:
        text = text + constant(_FIELD) + piece
    return text


def _scalar(statement: Select[Any]) -> ColumnElement[str]:
    return func.coalesce(cast(statement.correlate(FeedToken).scalar_subquery(), String), _NULL)


def _changes(model: Any, *where: Any) -> ColumnElement[str]:
    """Count, sum and latest of the change times of some rows: any row added, removed or
    changed changes one of them, whatever the order in which the writes commit."""
    stamp = model.updated_at
    return _scalar(
        select(
            _joined(func.count(), func.sum(_ChangeNumber(stamp)), _ChangeNumber(func.max(stamp)))
        )
        .select_from(model)
        .where(*where)
    )


class _BeforeCommitLag(FunctionElement[datetime]):
    """A change time less ``COMMIT_LAG``, in the database (compared with stored ones)."""

    type = UTCDateTime()
    inherit_cache = True
    name = "before_commit_lag"


_LAG_MINUTES = int(COMMIT_LAG.total_seconds() // 60)


@compiles(_BeforeCommitLag, "postgresql")
def _before_commit_lag_postgresql(element: _BeforeCommitLag, compiler: Any, **kw: Any) -> str:
    return f"({compiler.process(element.clauses, **kw)} - interval '{_LAG_MINUTES} minutes')"


@compiles(_BeforeCommitLag, "sqlite")
def _before_commit_lag_sqlite(element: _BeforeCommitLag, compiler: Any, **kw: Any) -> str:
    return f"datetime({compiler.process(element.clauses, **kw)}, '-{_LAG_MINUTES} minutes')"


def _table_changes(model: Any) -> ColumnElement[str]:
    """Every row of a table as a feed depends on it, without reading every row: how many
    rows were ever deleted from it (``RowDeletions``), and count, sum and latest of the
    change times within ``COMMIT_LAG`` of the latest one (through the change-time index:
    usually the last few changes, all rows only within minutes of a bulk import). An
    added or changed row is stamped later than the latest, so it becomes the latest; a
    change that commits after a later-stamped one falls within the lag of it: either
    changes the sums."""
    latest = select(func.max(model.updated_at)).scalar_subquery()
    deleted = select(RowDeletions.deleted).where(
        RowDeletions.table_name == constant(inspect(model).mapper.local_table.name)
    )
    return _joined(_scalar(deleted), _changes(model, model.updated_at >= _BeforeCommitLag(latest)))


def _deleted_work_locations(people: ColumnElement[bool]) -> ColumnElement[str]:
    """How many work locations of these people were ever deleted (``WorkLocationDeletions``)."""
    return _scalar(select(func.sum(WorkLocationDeletions.deleted)).where(people))


def _all_rows(*columns: Any, order_by: Sequence[Any]) -> ColumnElement[str]:
    """Every row of a small table by value (sites and their hours)."""
    rows = select(_joined(*columns).label("row")).order_by(*order_by).subquery()
    return _scalar(select(joined_strings(rows.c.row, _RECORD)))


def _scope_bookings(scope: FeedScope, scope_id: Any) -> list[ColumnElement[bool]]:
    """The bookings a person's, site's or space's feed shows, before the window
    (``Space`` must be joined)."""
    if scope is FeedScope.PERSON:
        return [Booking.booked_for_id == scope_id]
    if scope is FeedScope.SITE:
        return [Booking.site_id == scope_id, one_of(Space.kind, ROOM_KIND_VALUES)]
    return [Booking.space_id == scope_id]


@cache  # built once: the statement keeps its own cache key, so running it costs no construction
def _feed_statement() -> Select[Any]:
    """The token, its creator's rights and what its feed is built from (``inputs``, for
    ``feed_inputs``), as one row.

    Parameters: ``token_hash``; ``since``, the instant after which changes are summed (None:
    the token's ``content_since``); ``horizon``, the latest change time to believe (now and
    ``CLOCK_SKEW``); the window as ``start``/``end`` (instants) and ``cutoff`` (see
    ``FeedWindow``).
    """
    horizon = bindparam("horizon", type_=UTCDateTime())
    # The stored one, unless a build is about to store a new one.
    since = func.coalesce(bindparam("since", type_=UTCDateTime()), FeedToken.content_since)
    start, end, cutoff = (bindparam(n, type_=UTCDateTime()) for n in ("start", "end", "cutoff"))
    scope_id = FeedToken.scope_id
    person = aliased(Person)

    def recent(model: Any, *where: Any) -> ColumnElement[str]:
        """The rows changed since ``since`` (read through the change-time indexes)."""
        return _changes(model, model.updated_at > since, model.updated_at <= horizon, *where)

    def correlated(statement: Select[Any]) -> Select[Any]:
        return statement.correlate(FeedToken)

    members = correlated(select(TeamMembership.person_id).where(TeamMembership.team_id == scope_id))
    rooms = correlated(
        select(Space.id).where(Space.site_id == scope_id, one_of(Space.kind, ROOM_KIND_VALUES))
    )
    bookers = correlated(
        select(Booking.booked_by_id)
        .join(Space, Space.id == Booking.space_id)
        .where(_shown_bookings(start, end, cutoff), *_scope_bookings(FeedScope.PERSON, scope_id))
    )
    everyone = _table_changes(person)  # holders and bookers of a site's or space's bookings
    every_space = _table_changes(Space)
    # Members' other teams do not matter: a team feed shows everyone as a contact
    # (``_presence_entries``), and only the team's leads, KCC and admins may read it.
    inputs = case(
        (
            FeedToken.scope == constant(FeedScope.PERSON.value),
            _joined(
                _changes(person, or_(person.id == scope_id, person.id.in_(bookers))),
                _changes(TeamMembership, TeamMembership.person_id == scope_id),
                _changes(WeeklyPattern, WeeklyPattern.person_id == scope_id),
                _deleted_work_locations(WorkLocationDeletions.person_id == scope_id),
                _scalar(bookers.with_only_columns(func.count(Booking.booked_by_id))),
                every_space,
            ),
        ),
        (
            FeedToken.scope == constant(FeedScope.TEAM.value),
            _joined(
                _scalar(select(Team.name).where(Team.id == scope_id)),
                _changes(TeamMembership, TeamMembership.team_id == scope_id),
                _changes(
                    person,
                    person.id == TeamMembership.person_id,
                    TeamMembership.team_id == scope_id,
                ),
                _changes(WeeklyPattern, WeeklyPattern.person_id.in_(members)),
                _deleted_work_locations(WorkLocationDeletions.person_id.in_(members)),
                every_space,
            ),
        ),
        (
            FeedToken.scope == constant(FeedScope.SITE.value),
            _joined(
                _changes(Space, Space.site_id == scope_id, one_of(Space.kind, ROOM_KIND_VALUES)),
                everyone,
            ),
        ),
        else_=_joined(_changes(Space, Space.id == scope_id), everyone),
    )
    places = _joined(
        _all_rows(
            Site.id,
            Site.name,
            Site.kind,
            Site.address,
            Site.city,
            Site.timezone,
            Site.day_split,
            Site.observe_public_holidays,
            Site.active,
            order_by=[Site.id],
        ),
        _all_rows(
            OpeningHours.site_id,
            OpeningHours.weekday,
            OpeningHours.opens,
            OpeningHours.closes,
            order_by=[OpeningHours.site_id, OpeningHours.weekday],
        ),
    )

    def visits_of(people: ColumnElement[bool]) -> ColumnElement[bool]:
        """Visits of these people, tested per changed visit (the visits are read through
        their change-time index, never through a person's whole history of visits). Only
        erasing a visitor deletes visits or visitors, which changes the person's and the
        team's memberships as well (no deletion count needed)."""
        return (
            select(FieldVisitor.visit_id)
            .where(FieldVisitor.visit_id == FieldVisit.id, people)
            .correlate(FeedToken, FieldVisit)
            .exists()
        )

    changes = case(
        (
            FeedToken.scope == constant(FeedScope.PERSON.value),
            _joined(
                recent(Booking, Booking.booked_for_id == scope_id),
                recent(WorkLocation, WorkLocation.person_id == scope_id),
                recent(FieldVisit, visits_of(FieldVisitor.person_id == scope_id)),
            ),
        ),
        (
            FeedToken.scope == constant(FeedScope.TEAM.value),
            _joined(
                recent(Booking, Booking.booked_for_id.in_(members), Booking.is_desk.is_(True)),
                recent(WorkLocation, WorkLocation.person_id.in_(members)),
                recent(FieldVisit, visits_of(FieldVisitor.person_id.in_(members))),
            ),
        ),
        (
            FeedToken.scope == constant(FeedScope.SITE.value),
            recent(Booking, Booking.space_id.in_(rooms)),
        ),
        else_=recent(Booking, Booking.space_id == scope_id),
    )
    return (
        identity_columns(
            FeedToken.id.label("token_id"),
            FeedToken.scope,
            FeedToken.scope_id,
            FeedToken.last_used_at,
            FeedToken.content_etag,
            FeedToken.content_changed_at,
            FeedToken.content_inputs,
            FeedToken.content_since,
            FeedToken.content_expires_at,
            _joined(inputs, changes, places).label("inputs"),
        )
        .join_from(Person, FeedToken, Person.id == FeedToken.created_by_id)
        .where(FeedToken.token_hash == bindparam("token_hash"), FeedToken.revoked_at.is_(None))
    )


def _feed_parameters(
    secret: str, now: datetime, window: FeedWindow, since: datetime | None = None
) -> dict[str, Any]:
    return {
        "token_hash": token_hash(secret),
        "since": since,
        "horizon": now + CLOCK_SKEW,
        "start": window.start,
        "end": window.end,
        "cutoff": window.cutoff,
    }


def feed_inputs(row: Row[Any], viewer: CurrentUser, window: FeedWindow) -> str:
    """The hash of what a feed is built from (hex SHA-256): equal hashes, equal bodies.
    ``row`` is a row of ``_feed_statement()``."""
    parts = [
        __version__,
        viewer.language,
        str(viewer.id),
        ",".join(sorted(viewer.roles)),
        ",".join(map(str, sorted(viewer.team_ids))),
        ",".join(map(str, sorted(viewer.lead_team_ids))),
        window.today_start.isoformat(),
        window.first.isoformat(),
        window.last.isoformat(),
        row.inputs,
    ]
    return hashlib.sha256(_RECORD.join(parts).encode()).hexdigest()


def _unchanged(row: Row[Any], inputs: str, now: datetime) -> bool:
    """Whether the stored body is still the feed: same inputs (nothing changed since) and
    no cancelled booking due to leave it."""
    return (
        row.content_etag is not None
        and row.content_changed_at is not None
        and row.content_since is not None
        and row.content_inputs == inputs
        and (row.content_expires_at is None or now < row.content_expires_at)
    )


async def _expires_at(
    session: AsyncSession, scope: FeedScope, scope_id: int, window: FeedWindow
) -> datetime | None:
    """When the first cancelled booking a person's, site's or space's feed shows leaves it."""
    if scope is FeedScope.TEAM:
        return None  # a team feed shows no bookings of its own
    ended_at = (
        await session.execute(
            select(func.min(func.coalesce(Booking.cancelled_at, Booking.updated_at)))
            .join(Space, Space.id == Booking.space_id)
            .where(
                _shown_bookings(window.start, window.end, window.cutoff),
                one_of(Booking.status, ENDED_STATUS_VALUES),
                *_scope_bookings(scope, scope_id),
            )
        )
    ).scalar_one()
    return None if ended_at is None else ended_at + CANCELLED_VISIBLE_FOR


def _last_modified(changed_at: datetime) -> datetime:
    return changed_at.astimezone(UTC).replace(microsecond=0)


async def read_feed(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    secret: str,
    client_holds: ClientHolds | None = None,
) -> RenderedFeed:
    """The feed behind ``secret``, as iCalendar bytes, in its creator's language.

    Raises ``FeedNotFound`` (404) for an unknown or revoked token, an inactive
    creator, a creator who may no longer subscribe to the scope, or a scope that is
    gone. Notes when the token was used (at most once a minute) and when its
    content last changed (for ``Last-Modified``).

    One query reads the token, its creator's rights and whether the feed's inputs
    changed since its stored body was built (see "what a feed is built from"). When
    ``client_holds`` says the client has that body and nothing changed, nothing is
    built: the answer has no body (304). Otherwise the feed is built, and what the
    next request compares with is stored.
    """
    now = clock.now()
    window = feed_window(clock, settings)
    row = (
        await select_rows(session, _feed_statement(), _feed_parameters(secret, now, window))
    ).one_or_none()
    if row is None or not row.active:
        raise feed_not_found()
    viewer = user_from_row(row)
    scope = FeedScope(row.scope)
    if not may_subscribe(viewer, scope, row.scope_id):
        raise feed_not_found()
    inputs = feed_inputs(row, viewer, window)
    if (
        client_holds is not None
        and _unchanged(row, inputs, now)
        and client_holds(row.content_etag, _last_modified(row.content_changed_at))
    ):
        await _note(session, row, now, {})
        return RenderedFeed(
            body=None,
            etag=row.content_etag,
            last_modified=_last_modified(row.content_changed_at),
        )
    set_language(viewer.language)  # calendar apps send no useful Accept-Language
    builder = {
        FeedScope.PERSON: _person_feed,
        FeedScope.TEAM: _team_feed,
        FeedScope.SITE: _site_feed,
        FeedScope.SPACE: _space_feed,
    }[scope]
    # The inputs as the next request will see them, read before the body: a change in
    # between makes that request find other inputs and build again.
    since = now - COMMIT_LAG
    built_from = (
        await select_rows(session, _feed_statement(), _feed_parameters(secret, now, window, since))
    ).one()
    body = await builder(session, viewer, row.scope_id, window)
    etag = hashlib.sha256(body).hexdigest()
    changes: dict[str, Any] = {
        "content_inputs": feed_inputs(built_from, viewer, window),
        "content_since": since,
        "content_expires_at": await _expires_at(session, scope, row.scope_id, window),
    }
    changed_at = row.content_changed_at
    if row.content_etag != etag or changed_at is None:
        changed_at = now.replace(microsecond=0)
        changes.update(content_etag=etag, content_changed_at=changed_at)
    await _note(session, row, now, changes)
    return RenderedFeed(body=body, etag=etag, last_modified=_last_modified(changed_at))


async def _note(
    session: AsyncSession, token: Row[Any], now: datetime, changes: dict[str, Any]
) -> None:
    """Write what changed on the token, with its last use (at most once a minute).

    In a transaction of its own that starts as a writer: on SQLite a read that turns
    into a write fails at once when another request wrote in between. It is
    bookkeeping: when SQLite stays locked, a later request writes it instead (this
    one is answered all the same, and the next one builds the feed again).
    """
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        changes = {**changes, "last_used_at": now}
    if not changes:
        return
    await session.commit()
    try:
        await lock_for_write(session)
        await session.execute(
            update(FeedToken).where(FeedToken.id == token.token_id).values(**changes)
        )
        await session.commit()
    except OperationalError:
        if is_postgres(session):
            raise
        await session.rollback()


# --- bookings as calendar entries ---------------------------------------------------------


@dataclass(frozen=True)
class BookingRow:
    """A booking with what its events show: the space, the site, who has it."""

    booking: Booking
    space_name: str
    space_kind: str
    site_name: str
    site_address: str
    site_city: str
    holder_name: str | None
    holder_hides_desk: bool
    booker_name: str | None


def _booking_statement() -> Any:
    holder = aliased(Person)
    booker = aliased(Person)
    return (
        select(
            Booking,
            Space.name,
            Space.kind,
            Site.name,
            Site.address,
            Site.city,
            holder.name,
            holder.hide_desk,
            booker.name,
        )
        .join(Space, Space.id == Booking.space_id)
        .join(Site, Site.id == Booking.site_id)
        .outerjoin(holder, holder.id == Booking.booked_for_id)
        .outerjoin(booker, booker.id == Booking.booked_by_id)
    )


def _shown_bookings(start: Any, end: Any, cutoff: Any) -> ColumnElement[bool]:
    """Bookings overlapping [start, end): active ones, and ended ones until ``cutoff``."""
    return and_(
        Booking.start_at < end,
        Booking.end_at > start,
        or_(
            one_of(Booking.status, ACTIVE_STATUS_VALUES),
            and_(
                one_of(Booking.status, ENDED_STATUS_VALUES),
                func.coalesce(Booking.cancelled_at, Booking.updated_at) >= cutoff,
            ),
        ),
    )


def _in_window(statement: Any, window: FeedWindow) -> Any:
    """Bookings overlapping the window: active ones, and ended ones for a week after."""
    return statement.where(_shown_bookings(window.start, window.end, window.cutoff)).order_by(
        Booking.start_at, Booking.id
    )


async def _booking_rows(session: AsyncSession, statement: Any) -> list[BookingRow]:
    return [BookingRow(*row) for row in (await session.execute(statement)).all()]


def _status(booking: Booking) -> str:
    if booking.status in ENDED_STATUS_VALUES:
        return Status.CANCELLED
    if booking.status == BookingStatus.PENDING.value:
        return Status.TENTATIVE
    return Status.CONFIRMED


def _place(site_name: str, space_name: str | None) -> str:
    """ "Kantoor Zuidhorn – werkplek 2.14": the site, then the space if it may be shown."""
    return f"{site_name} – {space_name}" if space_name else site_name


def _address(row: BookingRow) -> str:
    parts = [_place(row.site_name, row.space_name)]
    parts += [part for part in (row.site_address, row.site_city) if part]
    return ", ".join(parts)


def _cancelled_prefix(booking: Booking, summary: str) -> str:
    """Some clients show STATUS:CANCELLED events as if nothing happened; say it in words."""
    if booking.status in ENDED_STATUS_VALUES:
        return _("Cancelled: %(summary)s", summary=summary)
    return summary


def _booking_entry(
    row: BookingRow, summary: str, *, location: str, description: str | None = None
) -> Entry:
    booking = row.booking
    return Entry(
        uid=f"booking-{booking.id}@werkplek",
        summary=_cancelled_prefix(booking, summary),
        start=booking.start_at,
        end=booking.end_at,
        stamp=booking.updated_at,
        created=booking.created_at,
        sequence=booking.sequence,
        status=_status(booking),
        location=location,
        description=description,
        transparent=booking.is_desk,
    )


def own_booking_entry(row: BookingRow) -> Entry:
    """A booking as its holder (or someone allowed to see it) sees it: with its title."""
    booking = row.booking
    kind_label = label(row.space_kind)
    summary = booking.title or f"{kind_label}: {row.space_name}"
    lines = [f"{kind_label}: {_place(row.site_name, row.space_name)}"]
    if booking.day_part:
        lines.append(_("Day part: %(part)s", part=label(booking.day_part)))
    if not booking.is_desk and booking.attendees > 1:
        lines.append(_("%(count)s people", count=booking.attendees))
    lines.append(_("Status: %(status)s", status=_(STATUS_TEXT.get(booking.status, booking.status))))
    if booking.booked_by_id and booking.booked_by_id != booking.booked_for_id and row.booker_name:
        lines.append(_("Booked by %(name)s", name=row.booker_name))
    return _booking_entry(row, summary, location=_address(row), description="\n".join(lines))


def occupancy_entry(row: BookingRow, *, with_space: bool) -> Entry:
    """A booking in a site or space feed: "Occupied" and who holds it, nothing more.

    Titles of meeting and resident rooms can be confidential, so these feeds never
    show them. The name is left out for a desk whose holder hides their desk.
    """
    booking = row.booking
    name = row.holder_name or row.booker_name
    if booking.is_desk and row.holder_hides_desk:
        name = None
    occupied = _("Occupied (%(name)s)", name=name) if name else _("Occupied")
    summary = f"{row.space_name}: {occupied}" if with_space else occupied
    return _booking_entry(row, summary, location=_place(row.site_name, row.space_name))


# --- work locations as calendar entries ---------------------------------------------------


@dataclass(frozen=True)
class SiteHours:
    site: Site

    def window(self, day: date, part: PresencePart) -> tuple[datetime, datetime] | None:
        hours = next((h for h in self.site.opening_hours if h.weekday == day.weekday()), None)
        if hours is None:
            return None
        return day_part_window(
            self.site, SiteDay(day, hours.opens, hours.closes, None), DayPart(part.value)
        )


def _half_day(day: date, part: PresencePart, site: SiteHours | None) -> tuple[datetime, datetime]:
    if site is not None:
        window = site.window(day, part)
        # The split is clamped to the site's hours, so a site open only in the morning
        # (a village hall open 09:00-12:00) leaves the afternoon empty: such a half day
        # takes the default hours, like a closed weekday, so no event has zero length.
        if window is not None and window[0] < window[1]:
            return window
    opens, closes = DEFAULT_HALF_DAYS[part]
    return (
        datetime.combine(day, opens, tzinfo=AMSTERDAM).astimezone(UTC),
        datetime.combine(day, closes, tzinfo=AMSTERDAM).astimezone(UTC),
    )


def location_text(kind: str, site_name: str | None, desk: str | None, area: str | None) -> str:
    """What a half day shows: "Thuis", "Kantoor Zuidhorn – werkplek 2.14",
    "Op locatie (Marum)", "Afwezig". Never an absence reason or an address."""
    if kind in ("office", "field_base"):
        return _place(site_name or _("Unknown site"), desk)
    if kind == "home":
        return _("At home")
    if kind == "on_location":
        return _("On location (%(area)s)", area=area) if area else _("On location")
    if kind == "absent":
        return _("Absent")
    return _("Not at a municipal location")


def _same_place(first: Any, second: Any) -> bool:
    return (first.kind, first.site_id, first.desk, first.area, first.absence_reason) == (
        second.kind,
        second.site_id,
        second.desk,
        second.area,
        second.absence_reason,
    )


def location_entries(
    person_id: int,
    day: date,
    parts: dict[PresencePart, Any],
    *,
    summary_prefix: str,
    stamps: dict[PresencePart, datetime],
    sites: dict[int, SiteHours],
    show_reason: bool,
) -> list[Entry]:
    """A person's day as all-day (both halves the same) or timed half-day entries.

    ``parts`` are presence ``PartOut``\\ s (already cut to what the viewer may see);
    unknown half days are left out.
    """
    known = {part: out for part, out in parts.items() if out.kind != "unknown"}
    if not known:
        return []

    def describe(out: Any) -> tuple[str, str | None]:
        text = location_text(out.kind, out.site_name, out.desk, out.area)
        reason = out.absence_reason if show_reason and out.kind == "absent" else None
        return f"{summary_prefix}{text}", reason

    morning, afternoon = known.get(PresencePart.MORNING), known.get(PresencePart.AFTERNOON)
    if morning is not None and afternoon is not None and _same_place(morning, afternoon):
        summary, reason = describe(morning)
        return [
            Entry(
                uid=f"presence-{person_id}-{day.isoformat()}-day@werkplek",
                summary=summary,
                start=day,
                end=day + timedelta(days=1),
                stamp=max(stamps.values()),
                description=reason,
                transparent=True,
            )
        ]
    entries = []
    for part, out in known.items():
        summary, reason = describe(out)
        site = sites.get(out.site_id) if out.site_id is not None else None
        start, end = _half_day(day, part, site)
        entries.append(
            Entry(
                uid=f"presence-{person_id}-{day.isoformat()}-{part.value}@werkplek",
                summary=summary,
                start=start,
                end=end,
                stamp=stamps[part],
                description=reason,
                transparent=True,
            )
        )
    return entries


def visit_entry(stay: visits.TimeOnLocation, *, summary_prefix: str) -> Entry:
    """A field visit as "Op locatie (Marum)" for as long as someone is there: the area
    only, never the address or the purpose, whoever subscribed (a feed is read by a
    calendar app, outside Werkplek's audit of who looked at an address)."""
    return Entry(
        uid=f"visit-{stay.visit_id}-{stay.person_id}@werkplek",
        summary=summary_prefix + location_text("on_location", None, None, stay.area),
        start=stay.start,
        end=stay.end,
        stamp=stay.updated_at,
        location=stay.area,
    )


async def _site_hours(session: AsyncSession, site_ids: Iterable[int]) -> dict[int, SiteHours]:
    ids = sorted(set(site_ids))
    if not ids:
        return {}
    sites = (await session.execute(select(Site).where(Site.id.in_(ids)))).scalars()
    return {site.id: SiteHours(site) for site in sites}


async def _presence_entries(
    session: AsyncSession,
    viewer: CurrentUser,
    people: Sequence[Person],
    window: FeedWindow,
    *,
    team_feed: bool,
) -> list[Entry]:
    """Everyone's work location per day part over the window, as the viewer may see it.

    In team feeds the absence reason and hidden desks stay out whoever subscribed,
    and half days at a booked desk are shown like any other. In a person's own feed
    those are the booking's own event, so they are skipped, also when the person
    said they work at the desk's site that half day (the slot then names the desk).
    Field visits are events of their own (``visit_entry``), for those who may see that
    someone is on location.
    """
    ids = [p.id for p in people]
    data = await presence.load_presence(session, ids, window.first, window.last)
    sites = await _site_hours(session, data.sites)
    on_location = await visits.time_on_location(session, ids, window.start, window.end)
    entries: list[Entry] = []
    days = days_through(window.first, window.last)
    visibilities: dict[int, presence.Visibility] = {}
    for person in people:
        visibility = presence.visibility_for(viewer, person)
        if team_feed:
            visibility = min(visibility, presence.Visibility.CONTACT)
        visibilities[person.id] = visibility
        hide_desk = person.hide_desk and (team_feed or viewer.id != person.id)
        for day in days:
            view = presence.resolve_day(data, person.id, day, None)
            parts = {}
            stamps = {}
            for part in presence.PARTS:
                slot = view.slot(part)
                if not team_feed and slot.desk is not None:
                    continue
                parts[part] = presence.part_out(slot, part, data, visibility, hide_desk)
                entry = data.entries.get((person.id, day, part.value))
                stamps[part] = entry.updated_at if entry is not None else window.today_start
            entries += location_entries(
                person.id,
                day,
                parts,
                summary_prefix=f"{person.name}: " if team_feed else "",
                stamps=stamps,
                sites=sites,
                show_reason=not team_feed and viewer.id == person.id,
            )
    names = {person.id: person.name for person in people}
    entries += [
        visit_entry(stay, summary_prefix=f"{names[stay.person_id]}: " if team_feed else "")
        for stay in on_location
        if visibilities[stay.person_id] >= presence.Visibility.CONTACT
    ]
    return entries


# --- the four kinds of feed ---------------------------------------------------------------


async def _person_feed(
    session: AsyncSession, viewer: CurrentUser, person_id: int, window: FeedWindow
) -> bytes:
    person = (
        await session.execute(
            select(Person)
            .where(Person.id == person_id, Person.active.is_(True))
            .options(lazyload(Person.topics), lazyload(Person.roles))
        )
    ).scalar_one_or_none()
    if person is None:
        raise feed_not_found()
    rows = await _booking_rows(
        session,
        _in_window(
            _booking_statement().where(*_scope_bookings(FeedScope.PERSON, person.id)), window
        ),
    )
    entries = [own_booking_entry(row) for row in rows]
    entries += await _presence_entries(session, viewer, [person], window, team_feed=False)
    return ical.feed_calendar(
        _("Werkplek: %(name)s", name=person.name),
        _("Bookings and work locations of %(name)s.", name=person.name),
        entries,
    )


async def _team_feed(
    session: AsyncSession, viewer: CurrentUser, team_id: int, window: FeedWindow
) -> bytes:
    team = await session.get(Team, team_id)
    if team is None:
        raise feed_not_found()
    people = (
        (
            await session.execute(
                select(Person)
                .join(TeamMembership, TeamMembership.person_id == Person.id)
                .where(TeamMembership.team_id == team_id, Person.active.is_(True))
                .options(
                    lazyload(Person.topics),
                    lazyload(Person.roles),
                    selectinload(Person.memberships),
                )
                .order_by(Person.name, Person.id)
            )
        )
        .scalars()
        .all()
    )
    entries = await _presence_entries(session, viewer, people, window, team_feed=True)
    return ical.feed_calendar(
        _("Werkplek: team %(team)s", team=team.name),
        _("Where the members of %(team)s work, per day part.", team=team.name),
        entries,
    )


async def _site_feed(
    session: AsyncSession, viewer: CurrentUser, site_id: int, window: FeedWindow
) -> bytes:
    site = await session.get(Site, site_id)
    if site is None or not site.active:
        raise feed_not_found()
    rows = await _booking_rows(
        session,
        _in_window(
            _booking_statement().where(*_scope_bookings(FeedScope.SITE, site.id)),
            window,
        ),
    )
    return ical.feed_calendar(
        _("Werkplek: rooms at %(site)s", site=site.name),
        _("Bookings of the meeting and resident rooms at %(site)s.", site=site.name),
        [occupancy_entry(row, with_space=True) for row in rows],
    )


async def _space_feed(
    session: AsyncSession, viewer: CurrentUser, space_id: int, window: FeedWindow
) -> bytes:
    found = (
        await session.execute(
            select(Space.name, Site.name)
            .join(Site, Site.id == Space.site_id)
            .where(Space.id == space_id, Space.active.is_(True), Site.active.is_(True))
        )
    ).one_or_none()
    if found is None:
        raise feed_not_found()
    space_name, site_name = found
    rows = await _booking_rows(
        session,
        _in_window(_booking_statement().where(*_scope_bookings(FeedScope.SPACE, space_id)), window),
    )
    place = _place(site_name, space_name)
    return ical.feed_calendar(
        _("Werkplek: %(space)s", space=place),
        _("Bookings of %(space)s.", space=place),
        [occupancy_entry(row, with_space=False) for row in rows],
    )


# --- one booking as an invite -------------------------------------------------------------


# Built once: every booking made or cancelled attaches its invite to the mail.
_ONE_BOOKING = _booking_statement().where(Booking.id == bindparam("booking_id"))


async def booking_invite(session: AsyncSession, user: CurrentUser, booking_id: int) -> bytes:
    """One booking as an .ics to open in a calendar (METHOD:PUBLISH, one VEVENT), for
    whoever may see the booking (the bookings service decides; others get 404)."""
    booking = await bookings.get_booking(session, user, booking_id)
    row = (await session.execute(_ONE_BOOKING, {"booking_id": booking.id})).one()
    return ical.invite_calendar(own_booking_entry(BookingRow(*row)))


# --- importing absences from an .ics file -------------------------------------------------

#: How far around today recurring events in an imported file are expanded.
IMPORT_REACH = timedelta(days=366)
#: Longest single event the import accepts (a year of leave is already generous).
IMPORT_LONGEST_EVENT = timedelta(days=366)


@dataclass(frozen=True)
class Occurrence:
    """One (possibly repeated) event of an imported file, in Europe/Amsterdam."""

    start: datetime | date
    end: datetime | date


def _bad_file(reason: str, cause: Exception | None = None) -> InvalidCalendar:
    """Why a file is refused, for people; the parser's own words about ``cause`` (in
    English, technical) go to API clients as ``details.parser``, not into the message."""
    parser = {"parser": " ".join(str(cause).split())[:160]} if cause is not None else {}
    return InvalidCalendar(
        _("This file cannot be imported: %(reason)s", reason=reason), field="file", **parser
    )


@dataclass(frozen=True)
class ReadCalendar:
    """What an imported file holds: its events, how many of them are free time, and the
    occurrences of the others."""

    events: int
    free_events: int
    occurrences: list[Occurrence]


def is_free_time(event: Any) -> bool:
    """Whether an event leaves one available, so that it marks nothing absent.

    A timed event marked free (``TRANSP:TRANSPARENT``, Outlook's and Google's "Free" /
    "Available") is; an all-day event is not, whatever its TRANSP, because Google
    Calendar exports every all-day event (holidays, leave) as transparent and Outlook
    makes new all-day events "Free" (older versions export them from midnight to midnight
    with ``X-MICROSOFT-CDO-ALLDAYEVENT:TRUE``). An event Outlook shows as "Working
    elsewhere" (``X-MICROSOFT-CDO-BUSYSTATUS:WORKINGELSEWHERE``) is work, so it is free
    time too; one it shows as "Out of office" (``OOF``) never is.
    """
    busy_status = _text(event, "x-microsoft-cdo-busystatus")
    if busy_status in ("WORKINGELSEWHERE", "OOF"):
        return busy_status == "WORKINGELSEWHERE"
    all_day = not isinstance(event.start, datetime)
    if all_day or _text(event, "x-microsoft-cdo-alldayevent") == "TRUE":
        return False
    return _text(event, "transp") == "TRANSPARENT"


def _text(event: Any, name: str) -> str:
    return str(event.get(name, "")).strip().upper()


def read_occurrences(payload: bytes, first: date, last: date) -> ReadCalendar:
    """The events of an iCalendar file, recurrences expanded between ``first`` and ``last``.

    Refuses (400) anything that is not a well-formed calendar, so that nothing is
    imported from it. Cancelled events and free time (``is_free_time``) give no
    occurrences.
    """
    if not payload.strip():
        raise _bad_file(_("the file is empty."))
    try:
        text = payload.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _bad_file(_("it is not UTF-8 text.")) from exc
    try:
        calendars = Calendar.from_ical(text, multiple=True)
    except ValueError as exc:
        raise _bad_file(_("it is not an iCalendar file."), exc) from exc
    calendars = [c for c in calendars if isinstance(c, Calendar)]
    if not calendars:
        raise _bad_file(_("it holds no calendar (BEGIN:VCALENDAR … END:VCALENDAR)."))
    events = [event for calendar in calendars for event in calendar.walk("VEVENT")]
    if not events:
        raise _bad_file(_("it holds no events."))
    for event in events:
        _check_event(event)
    occurrences: list[Occurrence] = []
    for calendar in calendars:
        try:
            found = recurring_ical_events.of(calendar).between(first, last + timedelta(days=1))
        except Exception as exc:  # the library raises many kinds for broken recurrences
            raise _bad_file(_("a repeating event cannot be read."), exc) from exc
        for event in found:
            if str(event.get("status", "")).upper() == "CANCELLED" or is_free_time(event):
                continue
            occurrences.append(Occurrence(_amsterdam(event.start), _amsterdam(event.end)))
    return ReadCalendar(len(events), sum(map(is_free_time, events)), occurrences)


def _check_event(event: Any) -> None:
    summary = str(event.get("summary", "")).strip() or event.get("uid") or "?"
    broken = [name for name, _message in getattr(event, "errors", [])]
    if broken:
        raise _bad_file(
            _(
                "the event “%(event)s” has an unreadable %(property)s.",
                event=summary,
                property=broken[0],
            )
        )
    if event.get("dtstart") is None:
        raise _bad_file(_("the event “%(event)s” has no start (DTSTART).", event=summary))
    try:
        start, end = event.start, event.end
    except Exception as exc:  # icalendar raises its own errors for inconsistent events
        raise _bad_file(_("the event “%(event)s” cannot be read.", event=summary), exc) from exc
    length = _length(start, end)
    if length is None:
        raise _bad_file(
            _("the event “%(event)s” mixes a date with a date and time.", event=summary)
        )
    if length < timedelta(0):
        raise _bad_file(_("the event “%(event)s” ends before it starts.", event=summary))
    if length > IMPORT_LONGEST_EVENT:
        raise _bad_file(_("the event “%(event)s” lasts longer than a year.", event=summary))


def _length(start: datetime | date, end: datetime | date) -> timedelta | None:
    if isinstance(start, datetime) and isinstance(end, datetime):
        return _amsterdam_datetime(end) - _amsterdam_datetime(start)
    if not isinstance(start, datetime) and not isinstance(end, datetime):
        return end - start
    return None


def _amsterdam_datetime(value: datetime) -> datetime:
    """Floating times (no zone) count as Amsterdam time."""
    if value.tzinfo is None:
        return value.replace(tzinfo=AMSTERDAM)
    return value.astimezone(AMSTERDAM)


def _amsterdam(value: datetime | date) -> datetime | date:
    return _amsterdam_datetime(value) if isinstance(value, datetime) else value


def occurrence_parts(occurrence: Occurrence) -> list[tuple[date, PresencePart]]:
    """The half days an occurrence covers: all-day ones both halves of each day;
    timed ones the halves (``DEFAULT_HALF_DAYS``) they overlap."""
    start, end = occurrence.start, occurrence.end
    if not isinstance(start, datetime) or not isinstance(end, datetime):
        last = max(end - timedelta(days=1), start)
        return [
            (start + timedelta(days=n), part)
            for n in range((last - start).days + 1)
            for part in presence.PARTS
        ]
    covered = []
    day = start.date()
    while day <= end.date():
        for part in presence.PARTS:
            opens, closes = DEFAULT_HALF_DAYS[part]
            part_start = datetime.combine(day, opens, tzinfo=AMSTERDAM)
            part_end = datetime.combine(day, closes, tzinfo=AMSTERDAM)
            overlaps = start < part_end and end > part_start
            instant_inside = start == end and part_start <= start < part_end
            if overlaps or instant_inside:
                covered.append((day, part))
        day += timedelta(days=1)
    return covered


@dataclass
class ImportPlan:
    events: int
    free_events: int
    days: dict[date, set[PresencePart]]
    skipped: dict[date, tuple[str, str]]


def plan_import(clock: Clock, settings: Settings, payload: bytes) -> ImportPlan:
    """Which half days to mark absent, and which days to leave alone and why.

    Weekend days inside a longer absence are left alone (a holiday from Monday to
    Friday next week does not make Saturday a day off); an event on a weekend
    day only does mark it. Days outside the planning horizon are skipped.
    """
    today = local_today(clock)
    read = read_occurrences(payload, today - IMPORT_REACH, today + IMPORT_REACH)
    days: dict[date, set[PresencePart]] = {}
    skipped: dict[date, tuple[str, str]] = {}
    for occurrence in read.occurrences:
        covered = occurrence_parts(occurrence)
        has_weekday = any(day.weekday() < 5 for day, _part in covered)
        for day, part in covered:
            if has_weekday and day.weekday() >= 5:
                skipped.setdefault(day, ("weekend", _("A weekend day within a longer absence.")))
                continue
            try:
                presence.check_horizon(clock, settings, day)
            except DomainError as exc:
                skipped[day] = (exc.code, exc.message)
                continue
            days.setdefault(day, set()).add(part)
    for day in days:
        skipped.pop(day, None)
    return ImportPlan(events=read.events, free_events=read.free_events, days=days, skipped=skipped)


@dataclass(frozen=True)
class _KeptPart:
    """An explicit half day that an import keeps (plain values, not a loaded row)."""

    kind: str
    site_id: int | None
    area: str | None
    absence_reason: str | None


def _day_with_absence(
    kept: dict[PresencePart, _KeptPart], reach: DayIn | None, absent: set[PresencePart]
) -> DayIn:
    """The whole day as ``presence.days.set_day`` takes it: the imported absence, and
    everything else that was said about the day kept as it was."""
    parts = []
    for part in presence.PARTS:
        previous = kept.get(part)
        day_part = DayPart(part.value)
        if part in absent:
            reason = previous.absence_reason if previous and previous.kind == "absent" else None
            parts.append(PartIn(day_part=day_part, kind=WorkKind.ABSENT, absence_reason=reason))
        elif previous is not None:
            parts.append(
                PartIn(
                    day_part=day_part,
                    kind=WorkKind(previous.kind),
                    site_id=previous.site_id,
                    area=previous.area,
                    absence_reason=previous.absence_reason,
                )
            )
    if reach is None:
        return DayIn(parts=parts)
    return DayIn(
        parts=parts,
        reachable_from=reach.reachable_from,
        reachable_until=reach.reachable_until,
        note=reach.note,
        backup_id=reach.backup_id,
    )


async def import_absences(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    actor: CurrentUser,
    payload: bytes,
    *,
    dry_run: bool = False,
) -> PresenceImportOut:
    """Mark the caller absent for the half days the events of an .ics file cover.

    The file is read completely before anything is written; a bad file is refused
    whole (400). Each day goes through the presence service, so its rules hold;
    a day it refuses is reported as skipped. What else was said about a day (the
    other half day, reachable hours, note, backup) is kept. With ``dry_run`` the
    same happens inside a savepoint that is rolled back: the answer tells exactly
    what would be marked.
    """
    plan = plan_import(clock, settings, payload)
    await lock_for_write(session)
    marked: list[ImportedPart] = []
    skipped = dict(plan.skipped)
    if plan.days:
        data = await presence.load_presence(session, [actor.id], min(plan.days), max(plan.days))
        kept = {
            (day, PresencePart(part)): _KeptPart(
                row.kind, row.site_id, row.area, row.absence_reason
            )
            for (person_id, day, part), row in data.entries.items()
            if person_id == actor.id
        }
        reaches = {
            day: DayIn(
                reachable_from=row.reachable_from,
                reachable_until=row.reachable_until,
                note=row.note,
                backup_id=row.backup_id,
            )
            for (person_id, day), row in data.reachability.items()
            if person_id == actor.id and (row.reachable_from or row.note or row.backup_id)
        }
        dry_run_savepoint = await session.begin_nested() if dry_run else None
        for day in sorted(plan.days):
            absent = plan.days[day]
            own = {part: kept[(day, part)] for part in presence.PARTS if (day, part) in kept}
            if all(part in own and own[part].kind == "absent" for part in absent):
                skipped[day] = ("already_absent", _("Already marked absent."))
                continue
            try:
                async with session.begin_nested():
                    await person_days.set_day(
                        session,
                        clock,
                        settings,
                        actor,
                        actor.id,
                        day,
                        _day_with_absence(own, reaches.get(day), absent),
                    )
            except DomainError as exc:
                skipped[day] = (exc.code, exc.message)
                continue
            marked += [ImportedPart(day, part.value) for part in presence.PARTS if part in absent]
        if dry_run_savepoint is not None:
            await dry_run_savepoint.rollback()
    if marked and not dry_run:
        await record(
            session,
            clock,
            actor_id=actor.id,
            action="import_absence",
            object_type="presence",
            object_id=actor.id,
            parts=[f"{item.date.isoformat()} {item.day_part}" for item in marked],
        )
    return PresenceImportOut(
        dry_run=dry_run,
        events=plan.events,
        free_events=plan.free_events,
        marked=marked,
        skipped=[
            SkippedDay(date=day, reason=code, message=message)
            for day, (code, message) in sorted(skipped.items())
        ],
    )
