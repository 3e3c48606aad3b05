"""Every change to spaces, bookings, presence, field visits, people and tokens is audited.

One scenario through the JSON API, as an admin: after each successful change the audit
log holds at least one more event, about the right kind of object.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson
from werkplek.audit.models import AuditEvent
from werkplek.people.models import Role


class Audited:
    """Send a change and check it left an audit event about ``object_type``."""

    def __init__(self, client: AsyncTestClient[Litestar], db: AsyncSession) -> None:
        self.client = client
        self.db = db
        self.seen = 0
        self.missing: list[str] = []

    async def __call__(self, object_type: str, method: str, path: str, **kwargs: Any) -> Any:
        response = await self.client.request(method, path, **kwargs)
        assert response.status_code < 300, f"{method} {path}: {response.text}"
        await self.db.rollback()
        types = list(
            (
                await self.db.execute(select(AuditEvent.object_type).order_by(AuditEvent.id))
            ).scalars()
        )
        if object_type not in types[self.seen :]:
            self.missing.append(f"{method} {path} (no {object_type} event)")
        self.seen = len(types)
        return response.json() if response.content else None


async def test_each_kind_of_change_writes_an_audit_event(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_team: Any,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    team = await make_team("Wijkteam")
    admin = await make_person("Ada", roles=(Role.ADMIN,), teams=(team,), lead_of=(team,))
    admin_id = admin.id
    await login_as(admin)
    change = Audited(client, db)

    site = await change(
        "site", "POST", "/api/sites", json={"name": "Stadskantoor", "kind": "central_office"}
    )
    await change(
        "site",
        "PUT",
        f"/api/sites/{site['id']}",
        json={"name": "Stadhuis", "kind": "central_office"},
    )
    space = await change(
        "space",
        "POST",
        "/api/spaces",
        json={"site_id": site["id"], "name": "Flexplek 1", "kind": "desk"},
    )
    await change(
        "space", "PUT", f"/api/spaces/{space['id']}",
        json={"site_id": site["id"], "name": "Flexplek 2", "kind": "desk"},
    )  # fmt: skip
    created = await change(
        "booking", "POST", "/api/bookings",
        json={"space_id": space["id"], "date": "2026-11-26", "day_part": "day"},
    )  # fmt: skip
    await change("booking", "DELETE", f"/api/bookings/{created['bookings'][0]['id']}")
    await change(
        "presence", "PUT", "/api/presence/2026-11-27",
        json={"parts": [{"day_part": "day", "kind": "home"}]},
    )  # fmt: skip
    await change(
        "presence", "PUT", "/api/presence/pattern",
        json={"days": [{"weekday": 0, "morning": {"kind": "home"}}]},
    )  # fmt: skip
    visit = await change(
        "field_visit", "POST", "/api/visits",
        json={
            "visitor_ids": [admin_id], "start": "2026-11-25T10:30:00+01:00",
            "end": "2026-11-25T11:30:00+01:00", "area": "Dorp", "address": "Dorpsstraat 1",
        },
    )  # fmt: skip
    await change("field_visit", "POST", f"/api/visits/{visit['id']}/check-in")
    await change("field_visit", "POST", f"/api/visits/{visit['id']}/check-out")
    person = await change(
        "person", "POST", "/api/people", json={"email": "b@example.nl", "name": "Bo"}
    )
    await change("person", "PATCH", f"/api/people/{person['id']}", json={"phone": "0201234567"})
    await change("team", "POST", "/api/teams", json={"name": "KCC"})
    token = await change("api_token", "POST", "/api/tokens", json={"name": "script"})
    await change("api_token", "DELETE", f"/api/tokens/{token['id']}")

    assert change.missing == []
