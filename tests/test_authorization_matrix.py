"""Every route has an access rule, and the rule holds for every role and other people's data.

The route table is read from the app itself, so a new route without a guard (or an
explicit ``opt={"public": True}``) fails here. Per role: anonymous callers reach no
protected route; employees, KCC agents, team leads, facilities staff, receptionists and
emergency responders (BHV) are refused routes meant for other roles; admins pass every
guard. Other people's objects: a plain colleague calls every route with the ids of
someone else's booking, field visit, callback note and tokens; nothing of theirs changes
and no private detail (a visit's address, a resident's number) appears in any answer.
Finer per-object rules (another team, a team lead's view) are specified in each domain's
tests.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson
from tests.privacy.conftest import build_life
from werkplek.bookings.models import Booking
from werkplek.feeds.models import FeedToken
from werkplek.people.models import ApiToken, LoginSession, Person, Role
from werkplek.presence.models import CallbackNote
from werkplek.visitors.models import BookingVisitor
from werkplek.visits.models import FieldVisit

ALWAYS_OPEN_PREFIXES = ("/schema",)


def _routes(app: Litestar) -> list[tuple[str, str, Any]]:
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            for method in sorted(handler.http_methods):
                if method in {"OPTIONS", "HEAD"}:
                    continue
                found.append((route.path, method, handler))
    return found


def _is_public(path: str, handler: Any) -> bool:
    return bool(handler.opt.get("public")) or path.startswith(ALWAYS_OPEN_PREFIXES)


def _guards(handler: Any) -> list[Any]:
    return [guard for layer in handler.ownership_layers for guard in (layer.guards or [])]


def _required_roles(handler: Any) -> frozenset[Role] | None:
    for guard in _guards(handler):
        roles = getattr(guard, "roles", None)
        if roles is not None:
            return frozenset(roles)
    return None


def _concrete(path: str, ids: dict[str, int] | None = None) -> str:
    ids = ids or {}
    path = re.sub(r"\{([^}:]+):int\}", lambda m: str(ids.get(m.group(1), 1)), path)
    path = re.sub(r"\{[^}:]+:date\}", "2026-11-25", path)
    return re.sub(r"\{[^}:]+(:[^}]+)?\}", "x", path)


def test_every_route_has_an_access_rule(app: Litestar) -> None:
    unruled = [
        f"{method} {path}"
        for path, method, handler in _routes(app)
        if not _is_public(path, handler) and not _guards(handler)
    ]
    assert unruled == []


def test_every_guard_runs_on_the_event_loop(app: Litestar) -> None:
    """Litestar hands a guard that is a plain function to its thread pool on every request."""
    in_threads = sorted(
        {
            guard.__name__
            for _path, _method, handler in _routes(app)
            for guard in _guards(handler)
            if not inspect.iscoroutinefunction(guard)
        }
    )
    assert in_threads == []


async def test_anonymous_callers_reach_no_protected_route(
    app: Litestar, client: AsyncTestClient[Litestar]
) -> None:
    leaks = []
    for path, method, handler in _routes(app):
        if _is_public(path, handler):
            continue
        response = await client.request(method, _concrete(path), follow_redirects=False)
        refused = response.status_code in {401, 403} or (
            response.status_code in {302, 303} and "/login" in response.headers["location"]
        )
        if not refused:
            leaks.append(f"{method} {path} -> {response.status_code}")
    assert leaks == []


@pytest.mark.parametrize(
    "role",
    [Role.EMPLOYEE, Role.KCC, Role.TEAMLEAD, Role.FACILITIES, Role.RECEPTION, Role.EMERGENCY],
)
async def test_roles_are_refused_on_routes_for_other_roles(
    app: Litestar,
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    role: Role,
) -> None:
    await login_as(await make_person(roles=(role,)))
    leaks = []
    for path, method, handler in _routes(app):
        required = _required_roles(handler)
        if required is None or role in required or Role.EMPLOYEE in required:
            continue
        response = await client.request(method, _concrete(path), follow_redirects=False)
        if response.status_code != 403:
            leaks.append(f"{method} {path} -> {response.status_code}")
    assert leaks == []


async def test_admins_pass_every_guard(
    app: Litestar, client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person(roles=(Role.ADMIN,)))
    refused = []
    for path, method, handler in _routes(app):
        if _is_public(path, handler) or method != "GET":
            continue
        response = await client.request(method, _concrete(path), follow_redirects=False)
        if response.status_code in {401, 403}:
            refused.append(f"{method} {path} -> {response.status_code}")
    assert refused == []


# Private details of Anna's (tests/privacy/conftest.py) that a plain colleague never sees,
# and the name of a visitor she expects.
SECRETS = ("Dorpsstraat 1", "0612345678", "Over de vergunning", "Mevrouw Verwacht")


async def test_a_colleague_can_neither_change_nor_read_someone_elses_private_data(
    app: Litestar,
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    life = await build_life(db)
    visitor = BookingVisitor(
        booking_id=life.booking.id, name="Mevrouw Verwacht", created_at=life.booking.created_at
    )
    db.add(visitor)
    await db.commit()
    ids = {
        "booking_id": life.booking.id,
        "visitor_id": visitor.id,
        "visit_id": life.solo_visit.id,
        "person_id": life.anna.id,
        "note_id": 1,  # the note for Anna
        "token_id": 1,  # Anna's API token and feed token
    }
    before = await _annas_things(db, ids)
    await login_as(await make_person("Cor"))
    leaks = []
    for path, method, handler in _routes(app):
        if _is_public(path, handler) or path == "/logout":
            continue
        response = await client.request(method, _concrete(path, ids), follow_redirects=False)
        if any(secret in response.text for secret in SECRETS):
            leaks.append(f"{method} {path} shows a private detail")
    assert leaks == []
    assert await _annas_things(db, ids) == before


async def _annas_things(db: AsyncSession, ids: dict[str, int]) -> list[Any]:
    """What someone else could try to change: booking, its visitors, visit, note, tokens,
    contact details."""
    await db.rollback()
    anna = ids["person_id"]
    rows = [
        select(Booking.status, Booking.booked_for_id).where(Booking.id == ids["booking_id"]),
        select(BookingVisitor.id, BookingVisitor.arrived_at).where(
            BookingVisitor.booking_id == ids["booking_id"]
        ),
        select(FieldVisit.status, FieldVisit.address).where(FieldVisit.id == ids["visit_id"]),
        select(CallbackNote.id, CallbackNote.done_at).order_by(CallbackNote.id),
        select(ApiToken.id, ApiToken.revoked_at).where(ApiToken.person_id == anna),
        select(FeedToken.id, FeedToken.revoked_at).where(FeedToken.created_by_id == anna),
        select(Person.email, Person.phone, Person.active).where(Person.id == anna),
        select(LoginSession.id).where(LoginSession.person_id == anna),
    ]
    return [list(await db.execute(query)) for query in rows]


async def test_a_receptionist_passes_only_the_guards_of_the_visitors_of_the_day(
    app: Litestar,
) -> None:
    """Beyond an employee's routes, the reception role opens reception's list and marking
    arrivals, and nothing of facilities' or an administrator's."""
    opened = sorted(
        f"{method} {path}"
        for path, method, handler in _routes(app)
        if (required := _required_roles(handler)) is not None
        and Role.RECEPTION in required
        and Role.EMPLOYEE not in required
    )
    assert opened == [
        "GET /api/visitors",
        "GET /visitors/today",
        "POST /api/visitors/{visitor_id:int}/arrived",
        "POST /api/visitors/{visitor_id:int}/left",
        "POST /visitors/{visitor_id:int}/arrived",
        "POST /visitors/{visitor_id:int}/left",
    ]


async def test_an_emergency_responder_passes_only_the_guards_of_the_roll_call(
    app: Litestar,
) -> None:
    """Beyond an employee's routes, the emergency role (BHV) opens the evacuation's roll
    call, and nothing of facilities' or an administrator's."""
    opened = sorted(
        f"{method} {path}"
        for path, method, handler in _routes(app)
        if (required := _required_roles(handler)) is not None
        and Role.EMERGENCY in required
        and Role.EMPLOYEE not in required
    )
    assert opened == [
        "GET /api/roll-calls/{roll_call_id:int}",
        "GET /emergency",
        "GET /emergency/roll-calls/{roll_call_id:int}",
        "GET /emergency/sites/{site_id:int}",
        "POST /api/roll-calls/{roll_call_id:int}/close",
        "POST /api/roll-calls/{roll_call_id:int}/entries",
        "POST /api/roll-calls/{roll_call_id:int}/entries/{entry_id:int}",
        "POST /api/sites/{site_id:int}/roll-calls",
        "POST /emergency/roll-calls/{roll_call_id:int}/close",
        "POST /emergency/roll-calls/{roll_call_id:int}/entries",
        "POST /emergency/roll-calls/{roll_call_id:int}/entries/{entry_id:int}",
        "POST /emergency/sites/{site_id:int}/start",
    ]
