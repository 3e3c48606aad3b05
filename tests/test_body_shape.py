"""A JSON body of the wrong shape is refused naming the body, not an empty field."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient


async def test_a_body_that_is_not_an_object_is_refused_naming_the_body(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.post("/api/bookings", json=[1, 2])

    assert (response.status_code, response.json()["message"]) == (400, "Ongeldige invoer in: body.")


async def test_a_body_that_is_not_an_object_asks_for_one(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.post("/api/bookings", json="desk 1.12")

    assert response.json()["fields"][0]["message"] == "Stuur hier een JSON-object ({...})."
