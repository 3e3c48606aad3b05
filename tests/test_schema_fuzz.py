"""Schemathesis against ``/schema``: random requests to every API operation, as an admin.

On a short budget (a few examples per operation, on each backend): no answer is a 5xx,
every answer's status, content type and headers are documented, and its body matches the
schema. The app runs in-process
through the ASGI test client, authenticated with an admin's bearer token. Random dates
seldom reach the calendar's ends, so every date in a query is also sent as 0001-01-01 and
9999-12-31, which overflow once shifted by a time zone or a day.
"""

from __future__ import annotations

import re
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from litestar import Litestar
from litestar.testing import AsyncTestClient
from schemathesis.checks import not_a_server_error
from schemathesis.core import NOT_SET
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.case import Case
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import MakePerson
from werkplek.people.models import ApiToken, Role
from werkplek.people.security import new_token, token_hash

EXAMPLES_PER_OPERATION = 2
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _cases(operation: Any) -> list[Case]:
    """A few generated requests for one operation (no shrinking: we only report)."""
    cases: list[Case] = []

    @hypothesis.settings(
        max_examples=EXAMPLES_PER_OPERATION,
        phases=[Phase.explicit, Phase.generate],
        database=None,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def collect(case: Case) -> None:
        cases.append(case)

    collect()
    return cases


async def _send(client: AsyncTestClient[Litestar], case: Case, token: str) -> Any:
    headers = {k: str(v) for k, v in (case.headers or {}).items()}
    headers["Authorization"] = f"Bearer {token}"
    kwargs: dict[str, Any] = {"params": case.query or None, "headers": headers}
    if case.body is not NOT_SET:
        kwargs["json"] = case.body
    return await client.request(case.method, case.formatted_path, **kwargs)


@pytest.fixture
async def token(db: AsyncSession, make_person: MakePerson) -> str:
    """An admin's bearer token."""
    admin = await make_person("Ada", roles=(Role.ADMIN,))
    token = new_token()
    db.add(
        ApiToken(
            person_id=admin.id,
            name="fuzz",
            token_hash=token_hash(token),
            created_at=admin.created_at,
        )
    )
    await db.commit()
    return token


async def test_random_api_requests_get_no_server_error_and_match_the_schema(
    client: AsyncTestClient[Litestar], token: str
) -> None:
    problems = []
    cases = await _all_cases(client)
    for case in cases:
        response = await _send(client, case, token)
        try:
            case.validate_response(response, checks=CHECKS)
        except (AssertionError, FailureGroup) as failure:
            problems.append(
                f"{case.method} {case.formatted_path} {case.query or ''} -> "
                f"{response.status_code}: {str(failure).splitlines()[2:4]} {response.text[:200]}"
            )
    assert len(cases) > 100
    assert problems == [], "\n".join(problems)


_GENERATED: list[Case] = []


async def _all_cases(client: AsyncTestClient[Litestar]) -> list[Case]:
    """The requests, generated once per run: the schema is the same on both backends."""
    if not _GENERATED:
        raw = (await client.get("/schema/openapi.json")).json()
        for result in schemathesis.openapi.from_dict(raw).get_all_operations():
            _GENERATED.extend(_cases(result.ok()))
    return _GENERATED


#: Days a date can hold that overflow once shifted by a time zone or a day.
CALENDAR_ENDS = ("0001-01-01", "9999-12-31")


def _is_date(schema: dict[str, Any]) -> bool:
    options = schema.get("oneOf") or schema.get("anyOf") or [schema]
    return any(option.get("format") == "date" for option in options)


async def test_a_day_at_the_calendars_ends_in_any_query_gets_no_server_error(
    client: AsyncTestClient[Litestar], token: str
) -> None:
    raw = (await client.get("/schema/openapi.json")).json()
    asked, problems = 0, []
    for path, operations in raw["paths"].items():
        parameters = operations.get("get", {}).get("parameters", [])
        url = re.sub(r"\{[^}]+\}", "1", path)
        for parameter in parameters:
            if parameter["in"] != "query" or not _is_date(parameter.get("schema", {})):
                continue
            for day in CALENDAR_ENDS:
                asked += 1
                response = await client.get(
                    url,
                    params={parameter["name"]: day},
                    headers={"Authorization": f"Bearer {token}"},
                )
                if response.status_code >= 500:
                    problems.append(f"GET {url}?{parameter['name']}={day}: {response.status_code}")
    assert asked > 10
    assert problems == []
