"""Small helpers for tests that go through the login form and HTML pages."""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.testing import AsyncTestClient

from werkplek.people.security import hash_password

PASSWORD = "correct horse battery staple"
# Hashed once for the whole run: argon2id is slow on purpose.
PASSWORD_HASH = hash_password(PASSWORD)

_CSRF_FIELD = re.compile(r'name="_csrf" value="([^"]*)"')


def csrf_field(html: str) -> str:
    """The value of the first hidden ``_csrf`` field on a page."""
    match = _CSRF_FIELD.search(html)
    assert match is not None, "the page has no _csrf field"
    return match.group(1)


async def anonymous_csrf(client: AsyncTestClient[Litestar]) -> str:
    """Open the login page (which sets the anonymous CSRF cookie) and return its token."""
    response = await client.get("/login")
    assert response.status_code == 200
    return csrf_field(response.text)


def field_marked_invalid(html: str, name: str) -> bool:
    """The input ``name`` is marked invalid and its error message is shown."""
    return (
        f'id="{name}-error"' in html
        and re.search(rf'id="{re.escape(name)}"[^>]*aria-invalid="true"', html) is not None
    )
