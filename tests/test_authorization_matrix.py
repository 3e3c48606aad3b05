"""Every route has an access rule, and the rule holds for anonymous callers and employees.

The route table is read from the app itself, so a new route without a guard (or an
explicit ``opt={"public": True}``) fails here. Per-object rules (someone else's
booking, another team) are specified in each domain's tests.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import LoginAs, MakePerson
from werkplek.people.models import Role

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


def _concrete(path: str) -> str:
    path = re.sub(r"\{[^}:]+:int\}", "1", path)
    path = re.sub(r"\{[^}:]+:date\}", "2026-11-25", path)
    return re.sub(r"\{[^}:]+(:[^}]+)?\}", "x", path)


def test_every_route_has_an_access_rule(app: Litestar) -> None:
    unruled = [
        f"{method} {path}"
        for path, method, handler in _routes(app)
        if not _is_public(path, handler) and not _guards(handler)
    ]
    assert unruled == []


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


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.KCC, Role.TEAMLEAD])
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
