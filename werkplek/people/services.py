"""People, teams, login sessions, API tokens: the rules."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import msgspec
from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    String,
    and_,
    bindparam,
    cast,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from werkplek.audit.services import record, record_saved
from werkplek.clock import Clock
from werkplek.db import (
    any_contains,
    ids_param,
    in_ids,
    is_postgres,
    joined_strings,
    lock_for_write,
    select_rows,
    split_ids,
    split_joined,
)
from werkplek.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    required_name,
)
from werkplek.i18n import N_, _
from werkplek.people.models import (
    ApiToken,
    LoginAttempt,
    LoginSession,
    Person,
    PersonRole,
    PersonTopic,
    Role,
    Team,
    TeamMembership,
)
from werkplek.people.schemas import (
    MIN_PASSWORD_LENGTH,
    ApiTokenCreated,
    ApiTokenIn,
    ApiTokenOut,
    PersonCreate,
    PersonOut,
    PersonUpdate,
    TeamIn,
    TeamOut,
    TeamRef,
    TeamUpdate,
)
from werkplek.people.security import hash_password, new_token, token_hash, verify_password

RATE_LIMIT_WINDOW = timedelta(minutes=15)


class InvalidCredentials(DomainError):
    status_code = 401
    code = "invalid_credentials"


class TooManyAttempts(DomainError):
    status_code = 429
    code = "too_many_login_attempts"


@dataclass(frozen=True)
class CurrentUser:
    """Who is making the request, with what they may do."""

    id: int
    name: str
    email: str
    language: str
    roles: frozenset[Role]
    team_ids: frozenset[int] = field(default_factory=frozenset)
    lead_team_ids: frozenset[int] = field(default_factory=frozenset)
    csrf_token: str | None = None
    read_only: bool = False

    def has_role(self, *roles: Role) -> bool:
        return Role.ADMIN in self.roles or any(role in self.roles for role in roles)

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    def leads(self, team_id: int) -> bool:
        return team_id in self.lead_team_ids

    def require(self, *roles: Role) -> None:
        if not self.has_role(*roles):
            raise Forbidden(_("You are not allowed to do this."))


def current_user_for(
    person: Person, *, csrf_token: str | None = None, read_only: bool = False
) -> CurrentUser:
    return CurrentUser(
        id=person.id,
        name=person.name,
        email=person.email,
        language=person.language,
        roles=person.role_set | {Role.EMPLOYEE},
        team_ids=frozenset(m.team_id for m in person.memberships),
        lead_team_ids=frozenset(m.team_id for m in person.memberships if m.is_lead),
        csrf_token=csrf_token,
        read_only=read_only,
    )


# --- login and sessions -------------------------------------------------------------------


async def _recent_failures(session: AsyncSession, since: datetime, **where: str) -> int:
    query = select(func.count(LoginAttempt.id)).where(LoginAttempt.at >= since)
    for column, value in where.items():
        query = query.where(getattr(LoginAttempt, column) == value)
    return int((await session.execute(query)).scalar_one())


async def login(
    session: AsyncSession,
    clock: Clock,
    *,
    email: str,
    password: str,
    address: str,
    max_attempts: int,
    session_hours: int,
) -> tuple[str, CurrentUser]:
    """Check the password and open a login session; returns the cookie value.

    Failed attempts are counted per account and per address over 15 minutes;
    past the limit every attempt is refused, right or wrong, until the window passes.
    """
    now = clock.now()
    email = email.strip().lower()
    since = now - RATE_LIMIT_WINDOW
    if (
        await _recent_failures(session, since, email=email) >= max_attempts
        or await _recent_failures(session, since, address=address) >= max_attempts * 3
    ):
        raise TooManyAttempts(_("Too many failed attempts. Try again in 15 minutes."))
    person = (
        await session.execute(select(Person).where(func.lower(Person.email) == email))
    ).scalar_one_or_none()
    if person is None or not person.active or not verify_password(person.password_hash, password):
        session.add(LoginAttempt(email=email, address=address, at=now))
        await session.commit()
        raise InvalidCredentials(_("Unknown e-mail address or wrong password."), field="password")
    await session.execute(delete(LoginAttempt).where(LoginAttempt.email == email))
    return await open_session(session, clock, person, session_hours=session_hours)


async def open_session(
    session: AsyncSession,
    clock: Clock,
    person: Person,
    *,
    session_hours: int,
    id_token: str | None = None,
    method: str = "password",
) -> tuple[str, CurrentUser]:
    """Start a login session for ``person``, who has proven who they are; the cookie value.

    ``id_token`` is the single sign-on provider's token, kept as the hint for logging
    out there.
    """
    now = clock.now()
    token = new_token()
    csrf = new_token()
    session.add(
        LoginSession(
            token_hash=token_hash(token),
            person_id=person.id,
            csrf_token=csrf,
            created_at=now,
            expires_at=now + timedelta(hours=session_hours),
            id_token=id_token,
        )
    )
    details = {} if method == "password" else {"method": method}
    await record(
        session,
        clock,
        actor_id=person.id,
        action="login",
        object_type="person",
        object_id=person.id,
        **details,
    )
    return token, current_user_for(person, csrf_token=csrf)


def identity_columns(*extra: Any) -> Select[Any]:
    """The person's columns a ``CurrentUser`` needs, with roles and teams, as one row.

    Roles, teams and led teams come as comma-separated aggregates of correlated
    subqueries, so identifying the caller costs one query however many there are.
    """
    team_id = cast(TeamMembership.team_id, String)
    return select(
        Person.id.label("person_id"),
        Person.name,
        Person.email,
        Person.language,
        Person.active,
        select(joined_strings(PersonRole.role, ","))
        .where(PersonRole.person_id == Person.id)
        .scalar_subquery()
        .label("roles"),
        select(joined_strings(team_id, ","))
        .where(TeamMembership.person_id == Person.id)
        .scalar_subquery()
        .label("team_ids"),
        select(joined_strings(team_id, ","))
        .where(TeamMembership.person_id == Person.id, TeamMembership.is_lead.is_(True))
        .scalar_subquery()
        .label("lead_team_ids"),
        *extra,
    )


# Built once: a statement object caches its own cache key, so running it again costs
# SQLAlchemy no construction and no key generation (it runs on every request).
_USER_BY_SESSION = (
    identity_columns(LoginSession.csrf_token, LoginSession.expires_at)
    .join_from(Person, LoginSession, Person.id == LoginSession.person_id)
    .where(LoginSession.token_hash == bindparam("token_hash"))
)
_USER_BY_API_TOKEN = (
    identity_columns(ApiToken.id.label("token_id"), ApiToken.read_only, ApiToken.last_used_at)
    .join_from(Person, ApiToken, Person.id == ApiToken.person_id)
    .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked_at.is_(None))
)


_NAMES = select(Person.id, Person.name).where(in_ids(Person.id, ids_param("ids")))


async def person_names(session: AsyncSession, ids: Iterable[int | None]) -> dict[int, str]:
    """The names of these people, by id (one query; none when there are no ids)."""
    wanted = sorted({person_id for person_id in ids if person_id is not None})
    if not wanted:
        return {}
    return dict((await select_rows(session, _NAMES, {"ids": wanted})).all())


def user_from_row(
    row: Row[Any], *, csrf_token: str | None = None, read_only: bool = False
) -> CurrentUser:
    return CurrentUser(
        id=row.person_id,
        name=row.name,
        email=row.email,
        language=row.language,
        roles=frozenset(Role(role) for role in split_joined(row.roles)) | {Role.EMPLOYEE},
        team_ids=split_ids(row.team_ids),
        lead_team_ids=split_ids(row.lead_team_ids),
        csrf_token=csrf_token,
        read_only=read_only,
    )


async def user_for_session_token(
    session: AsyncSession, clock: Clock, token: str
) -> CurrentUser | None:
    """The user of a login session cookie (one query), None when unknown, expired or inactive."""
    row = (
        await select_rows(session, _USER_BY_SESSION, {"token_hash": token_hash(token)})
    ).one_or_none()
    if row is None or row.expires_at <= clock.now() or not row.active:
        return None
    return user_from_row(row, csrf_token=row.csrf_token)


async def logout(session: AsyncSession, token: str) -> str | None:
    """End the login session; returns its single sign-on ID token, if it has one."""
    id_token = (
        await session.execute(
            delete(LoginSession)
            .where(LoginSession.token_hash == token_hash(token))
            .returning(LoginSession.id_token)
        )
    ).scalar_one_or_none()
    return id_token


async def user_for_api_token(session: AsyncSession, clock: Clock, token: str) -> CurrentUser | None:
    """The user of a bearer token (one query), None when unknown, revoked or inactive.

    The token's last use is noted at most every five minutes, in a transaction of its own;
    otherwise nothing is written.
    """
    row = (
        await select_rows(session, _USER_BY_API_TOKEN, {"token_hash": token_hash(token)})
    ).one_or_none()
    if row is None or not row.active:
        return None
    user = user_from_row(row, read_only=row.read_only)
    now = clock.now()
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=5):
        # End the read first: on SQLite a read that turns into a write fails at once
        # (database is locked) when another request wrote in between; a new writer waits.
        # Noting the use is bookkeeping: when SQLite stays locked, it waits for a later
        # request rather than failing this one.
        await session.commit()
        try:
            await lock_for_write(session)
            await session.execute(
                update(ApiToken).where(ApiToken.id == row.token_id).values(last_used_at=now)
            )
            await session.commit()
        except OperationalError:
            if is_postgres(session):
                raise
            await session.rollback()
    return user


async def create_api_token(
    session: AsyncSession, clock: Clock, actor: CurrentUser, data: ApiTokenIn
) -> ApiTokenCreated:
    token = new_token()
    row = ApiToken(
        person_id=actor.id,
        name=required_name(data.name),
        token_hash=token_hash(token),
        read_only=data.read_only,
        created_at=clock.now(),
    )
    session.add(row)
    await session.flush()
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="create",
        object_type="api_token",
        object_id=row.id,
        name=row.name,
    )
    return ApiTokenCreated(id=row.id, name=row.name, token=token)


async def list_api_tokens(session: AsyncSession, actor: CurrentUser) -> list[ApiTokenOut]:
    rows = (
        await session.execute(
            select(ApiToken).where(ApiToken.person_id == actor.id).order_by(ApiToken.id)
        )
    ).scalars()
    return [
        ApiTokenOut(
            id=row.id,
            name=row.name,
            read_only=row.read_only,
            created_at=row.created_at.isoformat(),
            last_used_at=row.last_used_at.isoformat() if row.last_used_at else None,
            revoked=row.revoked_at is not None,
        )
        for row in rows
    ]


async def revoke_api_token(
    session: AsyncSession, clock: Clock, actor: CurrentUser, token_id: int
) -> None:
    row = await session.get(ApiToken, token_id)
    if row is None or (row.person_id != actor.id and not actor.is_admin):
        raise NotFound(_("No such token."))
    if row.revoked_at is None:
        row.revoked_at = clock.now()
        await record(
            session,
            clock,
            actor_id=actor.id,
            action="revoke",
            object_type="api_token",
            object_id=row.id,
            name=row.name,
        )


async def sign_out_leavers(
    session: AsyncSession, clock: Clock, person_ids: Sequence[int], *, actor_id: int | None
) -> None:
    """Revoke the API tokens and end the login sessions of people just deactivated (they
    left), each token's revocation audited with its name. A leaver brought back later
    makes new tokens: a script left running with an old one must not work again.
    ``actor_id``: the administrator who deactivated them (None: the import)."""
    await revoke_for_leavers(
        session,
        clock,
        ApiToken.person_id,
        person_ids,
        actor_id=actor_id,
        object_type="api_token",
        details=lambda token: {"name": token.name},
    )
    if person_ids:
        await session.execute(delete(LoginSession).where(LoginSession.person_id.in_(person_ids)))


async def tokens_of_leavers(
    session: AsyncSession, owner: InstrumentedAttribute[int], person_ids: Sequence[int]
) -> list[Any]:
    """The tokens (a model with ``revoked_at``) whose ``owner`` column names one of
    ``person_ids`` and that deactivating them revokes: those not revoked yet, oldest first."""
    model = owner.class_
    statement = select(model).where(owner.in_(person_ids), model.revoked_at.is_(None))
    return list((await session.execute(statement.order_by(model.id))).scalars())


async def revoke_for_leavers(
    session: AsyncSession,
    clock: Clock,
    owner: InstrumentedAttribute[int],
    person_ids: Sequence[int],
    *,
    actor_id: int | None,
    object_type: str,
    details: Callable[[Any], dict[str, Any]] = lambda _token: {},
) -> None:
    """Revoke the tokens (a model with ``revoked_at``) whose ``owner`` column names one of
    ``person_ids``, people just deactivated, each revocation audited with ``details`` of
    the token and reason ``person_deactivated``."""
    if not person_ids:
        return
    now = clock.now()
    for token in await tokens_of_leavers(session, owner, person_ids):
        token.revoked_at = now
        await record(
            session,
            clock,
            actor_id=actor_id,
            action="revoke",
            object_type=object_type,
            object_id=token.id,
            **details(token),
            reason="person_deactivated",
        )


# --- people -------------------------------------------------------------------------------


def person_out(person: Person) -> PersonOut:
    return PersonOut(
        id=person.id,
        email=person.email,
        name=person.name,
        roles=sorted(person.role_set | {Role.EMPLOYEE}),
        teams=sorted(
            (
                TeamRef(id=m.team_id, name=m.team.name, is_lead=m.is_lead)
                for m in person.memberships
            ),
            key=lambda ref: ref.name,
        ),
        topics=[t.topic for t in person.topics],
        phone=person.phone,
        mobile=person.mobile,
        chat_handle=person.chat_handle,
        language=person.language,
        active=person.active,
        backup_id=person.backup_id,
    )


async def get_person(session: AsyncSession, person_id: int) -> Person:
    person = await session.get(Person, person_id)
    if person is None:
        raise NotFound(_("No such person."))
    return person


async def look_up_person(session: AsyncSession, actor: CurrentUser, person_id: int) -> Person:
    """A person as ``actor`` may look them up: former staff only for administrators, as
    in the lists (``_people_where``)."""
    person = await get_person(session, person_id)
    if not person.active and not actor.is_admin:
        raise NotFound(_("No such person."))
    return person


def _name_or_email_contains(text: str) -> ColumnElement[bool] | None:
    """People whose name or e-mail address contains ``text`` as searched for
    (``search_text``), whatever the case; None for a text of only spaces. "%" and "_" are
    searched for literally."""
    return any_contains(search_text(text), Person.name, Person.email)


def _people_where(
    query: str | None,
    team_id: int | None,
    include_inactive: bool,
    role: Role | None = None,
    active: bool | None = None,
) -> list[ColumnElement[bool]]:
    """``active``: only those active (True) or only those deactivated (False), whatever
    ``include_inactive`` says."""
    conditions: list[ColumnElement[bool]] = []
    if active is not None:
        conditions.append(Person.active.is_(active))
    elif not include_inactive:
        conditions.append(Person.active.is_(True))
    if query and (found := _name_or_email_contains(query)) is not None:
        conditions.append(found)
    if team_id is not None:
        conditions.append(
            Person.id.in_(select(TeamMembership.person_id).where(TeamMembership.team_id == team_id))
        )
    if role is not None:
        conditions.append(
            Person.id.in_(select(PersonRole.person_id).where(PersonRole.role == role.value))
        )
    return conditions


async def list_people(
    session: AsyncSession,
    *,
    query: str | None = None,
    team_id: int | None = None,
    include_inactive: bool = False,
    role: Role | None = None,
    active: bool | None = None,
    limit: int = 200,
    offset: int = 0,
) -> Sequence[Person]:
    statement = (
        select(Person)
        .where(*_people_where(query, team_id, include_inactive, role, active))
        .order_by(Person.name, Person.id)
        .limit(limit)
        .offset(offset)
    )
    return (await session.execute(statement)).scalars().all()


async def count_people(
    session: AsyncSession,
    *,
    query: str | None = None,
    team_id: int | None = None,
    include_inactive: bool = False,
    role: Role | None = None,
    active: bool | None = None,
) -> int:
    """How many people ``list_people`` finds with the same filters, without its limit."""
    where = _people_where(query, team_id, include_inactive, role, active)
    statement = select(func.count()).where(*where)
    return (await session.execute(statement.select_from(Person))).scalar_one()


def chosen_teams_first(teams: Sequence[TeamOut], chosen_ids: Iterable[int | str]) -> list[TeamOut]:
    """``teams`` with the chosen ones (a person's, as member or lead) first, each part in
    its own order: someone is in one or two of a municipality's hundreds of teams."""
    chosen = {str(team_id) for team_id in chosen_ids}
    return sorted(teams, key=lambda team: str(team.id) not in chosen)


@dataclass(frozen=True)
class PersonChoice:
    """A person as an option of a select: the id and the name shown, with the e-mail
    address when someone else the select could offer has the same name."""

    id: int
    name: str
    email: str | None = None

    @property
    def label(self) -> str:
        return f"{self.name} ({self.email})" if self.email else self.name


def search_text(query: str) -> str:
    """A query as it is searched for: spaces around it dropped, those inside it single."""
    return " ".join(query.split())


#: How many people a select of people offers at once; typing part of a name finds others.
CHOICES_SHOWN = 100


class PeopleList(enum.StrEnum):
    """The people a select of people chooses from."""

    ACTIVE = "active"  # everyone who works here
    BOOKABLE = "bookable"  # those the user may book for
    EVERYONE = "everyone"  # former staff too: the audit log's filter, for admins


@dataclass(frozen=True)
class PersonChoices:
    """The first people (by name) whose name or e-mail address contains ``query``, whatever
    the case, and how many do in all; ``query`` as typed, its spaces made single, so that
    the search box shows it again as it was typed."""

    shown: list[PersonChoice]
    total: int
    query: str = ""

    @property
    def more(self) -> int:
        """How many matched beyond those shown."""
        return self.total - len(self.shown)

    def chosen(self, selected: object) -> object:
        """Who the select shows chosen: ``selected``, or when nobody is and a search found
        people, the first of them, as the script does while one types."""
        if selected or not (self.query and self.shown):
            return selected
        return self.shown[0].id


async def person_choices(
    session: AsyncSession,
    *,
    include_inactive: bool = False,
    among: ColumnElement[bool] | None = None,
    containing: str = "",
    keep: int | None = None,
    limit: int = CHOICES_SHOWN,
) -> PersonChoices:
    """The options of a select of people: by default the active ones, with ``among``
    those it admits, with ``containing`` those whose name or e-mail address contains it
    (ignoring case). People who share a name are told apart by their e-mail address.

    A municipality has thousands of people, so the select offers the first ``limit`` by
    name and says how many more there are. ``keep`` (the person already chosen) is
    offered even beyond them: a form showing a choice it lacks would clear it on saving.
    """
    conditions: list[ColumnElement[bool]] = []
    if not include_inactive:
        conditions.append(Person.active.is_(True))
    if among is not None:
        conditions.append(among)
    if (found := _name_or_email_contains(containing)) is not None:
        conditions.append(found)
    offered = select(
        Person.id,
        Person.name,
        Person.email,
        func.count().over().label("total"),
        func.count().over(partition_by=Person.name).label("namesakes"),
    ).where(*conditions)
    rows = (await session.execute(offered.order_by(Person.name, Person.id).limit(limit))).all()
    total = rows[0].total if rows else 0
    if keep is not None and all(row.id != keep for row in rows):
        everyone = offered.subquery()
        kept = await session.execute(select(everyone).where(everyone.c.id == keep))
        rows = sorted([*rows, *kept], key=lambda row: (row.name, row.id))
    shown = [
        PersonChoice(row.id, row.name, row.email if row.namesakes > 1 else None) for row in rows
    ]
    return PersonChoices(shown, total, search_text(containing))


async def colleague_choices(
    session: AsyncSession,
    *,
    containing: str = "",
    keep: int | None = None,
    exclude: int | None = None,
) -> PersonChoices:
    """The active people but ``exclude``, as options of a select."""
    return await person_choices(
        session,
        among=None if exclude is None else Person.id != exclude,
        containing=containing,
        keep=keep,
    )


async def choices_with_former_staff(
    session: AsyncSession, viewer: CurrentUser, *, containing: str = "", keep: int | None = None
) -> PersonChoices:
    """Active and former people as options of a select; only admins list former staff
    (they filter the audit log by them)."""
    if not viewer.is_admin:
        raise Forbidden(_("Only administrators see former staff."))
    return await person_choices(session, include_inactive=True, containing=containing, keep=keep)


async def _check_teams_exist(
    session: AsyncSession, team_ids: Iterable[int], lead_team_ids: Iterable[int]
) -> None:
    """Refuse teams that do not exist, naming the list that holds one (one query)."""
    lists = {"team_ids": set(team_ids), "lead_team_ids": set(lead_team_ids)}
    wanted = lists["team_ids"] | lists["lead_team_ids"]
    if not wanted:
        return
    found = set((await session.execute(select(Team.id).where(Team.id.in_(wanted)))).scalars())
    for field_name, ids in lists.items():
        if missing := sorted(ids - found):
            raise InvalidInput(
                _("Unknown team: %(ids)s.", ids=", ".join(map(str, missing))), field=field_name
            )


#: Refused when the last active administrator would lose the role (here and in the import).
LAST_ADMIN_LOSES_ROLE = N_(
    "This is the last active administrator: make someone else an administrator "
    "before taking this role away."
)


async def _keep_an_admin(session: AsyncSession, person: Person, data: PersonUpdate) -> None:
    """Refuse to take the admin role from, or deactivate, the last active administrator:
    nobody could manage people, roles or settings any more."""
    loses_role = data.roles is not msgspec.UNSET and Role.ADMIN not in data.roles
    leaves = data.active is False
    if not (loses_role or leaves) or not (person.active and Role.ADMIN in person.role_set):
        return
    # FOR UPDATE (PostgreSQL; SQLite's writers take turns): two administrators taking the
    # role from each other at once must not both count the other one as staying.
    active_admins = (
        select(Person.id)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(PersonRole.role == Role.ADMIN.value, Person.active.is_(True))
        .order_by(Person.id)
        .with_for_update()
    )
    if set((await session.execute(active_admins)).scalars()) - {person.id}:
        return
    if loses_role:
        field_name = "roles"
        message = _(LAST_ADMIN_LOSES_ROLE)
    else:
        field_name = "active"
        message = _(
            "This is the last active administrator: make someone else an administrator "
            "before deactivating this person."
        )
    raise InvalidInput(message, field=field_name, code="last_admin")


async def _check_backup(
    session: AsyncSession, backup_id: int | None, person_id: int | None
) -> None:
    if backup_id is None:
        return
    if backup_id == person_id:
        raise InvalidInput(_("A person cannot be their own backup."), field="backup_id")
    backup = await session.get(Person, backup_id)
    if backup is None or not backup.active:
        raise InvalidInput(_("Unknown backup colleague."), field="backup_id")


def _set_memberships(person: Person, team_ids: list[int], lead_team_ids: list[int]) -> None:
    wanted = set(team_ids) | set(lead_team_ids)
    person.memberships = [
        TeamMembership(team_id=team_id, is_lead=team_id in lead_team_ids)
        for team_id in sorted(wanted)
    ]


def _normalise_topics(topics: list[str]) -> list[str]:
    return sorted({topic.strip().lower() for topic in topics if topic.strip()})


async def _usual_backups(
    session: AsyncSession, column: Any, ids: Iterable[int], *where: ColumnElement[bool]
) -> list[tuple[int, int]]:
    """(person, usual backup) of the people with a usual backup whose ``column`` (the
    person or the backup) is one of ``ids``, by person."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    rows = await select_rows(
        session,
        select(Person.id, Person.backup_id)
        .where(in_ids(column, ids_param("ids")), *where)
        .order_by(Person.id),
        {"ids": wanted},
    )
    return [(person_id, backup_id) for person_id, backup_id in rows if backup_id is not None]


async def backed_up_by(session: AsyncSession, backup_ids: Iterable[int]) -> list[tuple[int, int]]:
    """(person, usual backup) of the active people whose usual backup is one of
    ``backup_ids``, by person."""
    return await _usual_backups(session, Person.backup_id, backup_ids, Person.active.is_(True))


async def usual_backups_of(session: AsyncSession, person_ids: Iterable[int]) -> dict[int, int]:
    """The usual backup of each of ``person_ids`` that has one."""
    return dict(await _usual_backups(session, Person.id, person_ids))


async def email_in_use(session: AsyncSession, email: str, except_id: int | None = None) -> bool:
    """Whether someone (other than ``except_id``) has this address, in any case."""
    statement = select(Person.id).where(func.lower(Person.email) == email.lower())
    if except_id is not None:
        statement = statement.where(Person.id != except_id)
    return (await session.execute(statement)).first() is not None


async def create_person(
    session: AsyncSession, clock: Clock, actor: CurrentUser | None, data: PersonCreate
) -> Person:
    """Create a person; ``actor`` None means the command line (trusted), which may run
    beside the app and so takes the write lock itself."""
    await lock_for_write(session)
    if actor is not None:
        actor.require(Role.ADMIN)
    email = data.email.strip().lower()
    if await email_in_use(session, email):
        raise Conflict(
            _("This e-mail address is already in use."), field="email", code="email_taken"
        )
    name = required_name(data.name)
    await _check_teams_exist(session, data.team_ids, data.lead_team_ids)
    await _check_backup(session, data.backup_id, None)
    person = Person(
        email=email,
        name=name,
        phone=data.phone,
        mobile=data.mobile,
        chat_handle=data.chat_handle,
        language=data.language,
        backup_id=data.backup_id,
        password_hash=_password_hash(data.password) if data.password else None,
        created_at=clock.now(),
        active=True,
        hide_desk=False,
    )
    person.roles = [PersonRole(role=role.value) for role in sorted(set(data.roles))]
    person.topics = [PersonTopic(topic=topic) for topic in _normalise_topics(data.topics)]
    _set_memberships(person, data.team_ids, data.lead_team_ids)
    session.add(person)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(_("This e-mail address is already in use."), field="email") from exc
    await record(
        session,
        clock,
        actor_id=actor.id if actor else None,
        action="create",
        object_type="person",
        object_id=person.id,
        email=email,
    )
    await session.refresh(person, ["memberships"])
    return person


async def update_person(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    person_id: int,
    data: PersonUpdate,
) -> Person:
    """Admins change anyone; a person may change their own contact details, the topics the
    KCC finds them by, their language and their desk privacy."""
    person = await get_person(session, person_id)
    before = _audited_fields(person)
    self_service = {
        "phone",
        "mobile",
        "chat_handle",
        "topics",
        "language",
        "backup_id",
        "hide_desk",
    }
    changed = {name for name in data.__struct_fields__ if getattr(data, name) is not msgspec.UNSET}
    if not actor.is_admin and not (actor.id == person_id and changed <= self_service):
        raise Forbidden(_("You are not allowed to do this."))
    if "email" in changed:
        email = str(data.email).strip().lower()
        if await email_in_use(session, email, except_id=person_id):
            raise Conflict(
                _("This e-mail address is already in use."), field="email", code="email_taken"
            )
        person.email = email
    if "name" in changed:
        person.name = required_name(data.name)  # type: ignore[arg-type]
    if "backup_id" in changed:
        await _check_backup(session, data.backup_id, person_id)  # type: ignore[arg-type]
    await _keep_an_admin(session, person, data)
    if person.active and data.active is False:
        await sign_out_leavers(session, clock, [person.id], actor_id=actor.id)
    for name in (
        "phone",
        "mobile",
        "chat_handle",
        "language",
        "backup_id",
        "active",
        "hide_desk",
    ):
        if name in changed:
            setattr(person, name, getattr(data, name))
    if "roles" in changed:
        person.roles = [PersonRole(role=role.value) for role in sorted(set(data.roles))]  # type: ignore[arg-type]
    if "topics" in changed:
        person.topics = [PersonTopic(topic=t) for t in _normalise_topics(data.topics)]  # type: ignore[arg-type]
    if changed & {"team_ids", "lead_team_ids"}:
        current = {m.team_id for m in person.memberships}
        current_leads = {m.team_id for m in person.memberships if m.is_lead}
        team_ids = list(current if data.team_ids is msgspec.UNSET else data.team_ids)
        lead_ids = list(
            current_leads if data.lead_team_ids is msgspec.UNSET else data.lead_team_ids
        )
        await _check_teams_exist(session, team_ids, lead_ids)
        _set_memberships(person, team_ids, lead_ids)
    await session.flush()
    await session.refresh(person, ["memberships", "roles", "topics"])
    after = _audited_fields(person)
    fields = sorted(name for name in after if after[name] != before[name])
    if fields:  # a form saved as it was changes nothing, and the log says only what did
        # The new roles and whether they are active now, so the log tells a deactivation
        # from a reactivation.
        values = {name: after[name] for name in ("roles", "active") if name in fields}
        await record(
            session,
            clock,
            actor_id=actor.id,
            action="update",
            object_type="person",
            object_id=person.id,
            fields=fields,
            **values,
        )
    return person


def _audited_fields(person: Person) -> dict[str, object]:
    """A person's fields by the names ``PersonUpdate`` gives them, to compare before and
    after a change."""
    return {
        "email": person.email,
        "name": person.name,
        "phone": person.phone,
        "mobile": person.mobile,
        "chat_handle": person.chat_handle,
        "language": person.language,
        "backup_id": person.backup_id,
        "active": person.active,
        "hide_desk": person.hide_desk,
        "roles": sorted(role.value for role in person.role_set | {Role.EMPLOYEE}),
        "topics": sorted(topic.topic for topic in person.topics),
        "team_ids": sorted(m.team_id for m in person.memberships),
        "lead_team_ids": sorted(m.team_id for m in person.memberships if m.is_lead),
    }


def _password_hash(password: str) -> str:
    """The hash of a password long enough to keep, whoever sets it (form, API, CLI)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(_("A password needs at least 12 characters."), field="password")
    return hash_password(password)


async def set_password(session: AsyncSession, clock: Clock, person: Person, password: str) -> None:
    person.password_hash = _password_hash(password)
    await session.execute(delete(LoginSession).where(LoginSession.person_id == person.id))
    await record(
        session,
        clock,
        actor_id=person.id,
        action="set_password",
        object_type="person",
        object_id=person.id,
    )


# --- teams --------------------------------------------------------------------------------


async def list_teams(session: AsyncSession, *, containing: str = "") -> list[TeamOut]:
    """The teams by name with how many active members each has (people who left keep their
    teams, but are no longer counted); ``containing``: only those whose name contains it,
    whatever the case."""
    statement = (
        select(Team, func.count(Person.id))
        .outerjoin(TeamMembership, TeamMembership.team_id == Team.id)
        .outerjoin(Person, and_(Person.id == TeamMembership.person_id, Person.active.is_(True)))
        .group_by(Team.id)
        .order_by(Team.name)
    )
    if (named := any_contains(search_text(containing), Team.name)) is not None:
        statement = statement.where(named)
    rows = await session.execute(statement)
    return [
        TeamOut(id=team.id, name=team.name, description=team.description, member_count=count)
        for team, count in rows
    ]


async def get_team(session: AsyncSession, team_id: int) -> Team:
    team = await session.get(Team, team_id)
    if team is None:
        raise NotFound(_("No such team."))
    return team


async def save_team(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    data: TeamIn,
    team_id: int | None = None,
) -> Team:
    actor.require(Role.ADMIN)
    name = required_name(data.name)
    clash = select(Team.id).where(func.lower(Team.name) == name.lower())
    if team_id is not None:
        clash = clash.where(Team.id != team_id)
    if (await session.execute(clash)).first() is not None:
        raise Conflict(_("A team with this name already exists."), field="name", code="name_taken")
    team = Team(name=name) if team_id is None else await get_team(session, team_id)
    before = None if team_id is None else _team_fields(team)
    team.name = name
    team.description = data.description
    session.add(team)
    await session.flush()
    # A form saved as it was changes nothing, and the log says only what did.
    await record_saved(session, clock, actor.id, "team", before, _team_fields(team), name=name)
    return team


async def update_team(
    session: AsyncSession, clock: Clock, actor: CurrentUser, team_id: int, data: TeamUpdate
) -> Team:
    """Change the fields ``data`` names; those it leaves out stay as they are."""
    actor.require(Role.ADMIN)
    team = await get_team(session, team_id)
    name = team.name if data.name is msgspec.UNSET else data.name
    description = team.description if data.description is msgspec.UNSET else data.description
    return await save_team(session, clock, actor, TeamIn(name, description), team_id)


def _team_fields(team: Team) -> dict[str, object]:
    return {"id": team.id, "name": team.name, "description": team.description}


async def team_out(session: AsyncSession, team: Team) -> TeamOut:
    count = (
        await session.execute(select(func.count()).where(TeamMembership.team_id == team.id))
    ).scalar_one()
    return TeamOut(id=team.id, name=team.name, description=team.description, member_count=count)


async def team_by_name(session: AsyncSession, name: str) -> Team | None:
    return (
        await session.execute(select(Team).where(func.lower(Team.name) == name.strip().lower()))
    ).scalar_one_or_none()


async def person_by_email(session: AsyncSession, email: str) -> Person | None:
    return (
        await session.execute(
            select(Person).where(func.lower(Person.email) == email.strip().lower())
        )
    ).scalar_one_or_none()
