"""Werkplek is never a tool for watching people: analytics are about spaces and teams only.

No analytics route takes a person, and no analytics answer (page, JSON or CSV) names one,
even when the data behind it holds named bookings and work locations.
"""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import LoginAs
from tests.privacy.conftest import Life

NOT_ABOUT_PEOPLE = {"site", "first", "last", "kind", "floor", "output", "table", "team"}
PLUMBING = {"db", "clock", "settings", "request", "user", "scope"}


def _analytics_routes(app: Litestar) -> list[tuple[str, set[str]]]:
    return [
        (route.path, set(handler.parsed_fn_signature.parameters) - PLUMBING)
        for route in app.routes
        if "analytics" in route.path
        for handler in getattr(route, "route_handlers", [])
        if "GET" in handler.http_methods
    ]


def test_no_analytics_route_asks_for_a_person(app: Litestar) -> None:
    routes = _analytics_routes(app)
    assert routes
    assert {path: params - NOT_ABOUT_PEOPLE for path, params in routes} == {
        path: set() for path, _ in routes
    }


async def test_no_analytics_answer_names_a_person(
    app: Litestar, client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life
) -> None:
    names = ("Anna", "anna@example.nl", "Bram", "bram@example.nl")
    await login_as(life.admin)  # the admin's own name is on every page; the others' never
    named, answered = [], 0
    for path, _ in _analytics_routes(app):
        for query in ({}, {"output": "csv"}, {"first": "2026-11-23", "last": "2026-11-27"}):
            response = await client.get(path, params=query)
            answered += response.status_code == 200
            if any(name in response.text for name in names):
                named.append(f"{path} {query}")
    assert answered >= 6
    assert named == []
