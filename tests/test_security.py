"""CSRF protection and the security headers on pages and API responses."""

from __future__ import annotations

import re

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson
from tests.people.helpers import anonymous_csrf
from werkplek.people.models import Person, Role
from werkplek.rooms.models import Site, Space

Client = AsyncTestClient[Litestar]


def _forget_csrf_header(client: Client) -> None:
    client.headers.pop("X-CSRF-Token", None)


# --- CSRF ---------------------------------------------------------------------------------


async def test_a_form_post_with_a_session_but_without_the_token_is_403(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person("Anna")
    await login_as(anna)
    _forget_csrf_header(client)

    response = await client.post("/profile", data={"phone": "0201234567", "language": "nl"})

    await db.rollback()
    stored = await db.get(Person, anna.id, populate_existing=True)
    assert response.status_code == 403
    assert "Het formulier is verlopen." in response.text
    assert stored is not None
    assert stored.phone is None


async def test_a_form_post_with_the_token_field_works(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    headers = await login_as(await make_person("Anna"))
    _forget_csrf_header(client)

    response = await client.post(
        "/profile",
        data={"_csrf": headers["X-CSRF-Token"], "phone": "0201234567", "language": "nl"},
    )

    assert response.status_code == 200


async def test_a_post_with_the_token_header_works(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna"))

    response = await client.post("/profile", data={"phone": "0201234567", "language": "nl"})

    assert response.status_code == 200


async def test_a_post_with_another_sessions_token_is_403(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    pieters_token = (await login_as(await make_person("Pieter")))["X-CSRF-Token"]
    await login_as(await make_person("Anna"))
    _forget_csrf_header(client)

    response = await client.post(
        "/profile", data={"_csrf": pieters_token, "phone": "0201234567", "language": "nl"}
    )

    assert response.status_code == 403


async def test_an_api_write_with_a_session_but_without_the_token_is_403_in_json(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna"))
    _forget_csrf_header(client)

    response = await client.patch("/api/me", json={"phone": "0201234567"})

    assert response.status_code == 403
    assert response.json()["error"] == "csrf_failed"


async def test_an_anonymous_api_write_is_401_not_403(client: Client) -> None:
    response = await client.post("/api/tokens", json={"name": "x"})

    assert response.status_code == 401


async def test_the_login_form_without_the_anonymous_csrf_cookie_is_403(client: Client) -> None:
    response = await client.post(
        "/login", data={"_csrf": "made-up", "email": "a@gemeente.nl", "password": "x" * 12}
    )

    assert response.status_code == 403


async def test_the_login_form_without_the_csrf_field_is_403(client: Client) -> None:
    await anonymous_csrf(client)

    response = await client.post("/login", data={"email": "a@gemeente.nl", "password": "x" * 12})

    assert response.status_code == 403


async def test_the_login_form_with_the_csrf_cookie_and_field_is_checked_for_the_password(
    client: Client,
) -> None:
    csrf = await anonymous_csrf(client)

    response = await client.post(
        "/login", data={"_csrf": csrf, "email": "a@gemeente.nl", "password": "x" * 12}
    )

    assert response.status_code == 401


async def test_the_anonymous_csrf_cookie_is_httponly_and_samesite_strict(client: Client) -> None:
    response = await client.get("/login")

    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith("werkplek_csrf=")
    ).lower()
    assert "httponly" in cookie
    assert "samesite=strict" in cookie


async def test_an_anonymous_json_answer_sets_no_csrf_cookie(client: Client) -> None:
    response = await client.get("/health")

    assert response.headers.get_list("set-cookie") == []


# --- security headers ---------------------------------------------------------------------


async def test_pages_forbid_inline_scripts_and_styles(client: Client) -> None:
    policy = (await client.get("/login")).headers["content-security-policy"]

    assert "'unsafe-inline'" not in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy


async def test_pages_may_not_be_framed(client: Client) -> None:
    response = await client.get("/login")

    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


async def test_pages_forbid_content_sniffing(client: Client) -> None:
    response = await client.get("/login")

    assert response.headers["x-content-type-options"] == "nosniff"


async def test_pages_send_the_referrer_to_this_site_only(client: Client) -> None:
    response = await client.get("/login")

    assert response.headers["referrer-policy"] == "same-origin"


async def test_api_responses_carry_the_security_headers(client: Client) -> None:
    response = await client.get("/api/me")

    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


async def test_csrf_refusals_carry_the_security_headers(client: Client) -> None:
    response = await client.post("/login", data={"email": "a@gemeente.nl"})

    assert response.status_code == 403
    assert response.headers["x-content-type-options"] == "nosniff"


# --- what the pages themselves contain ----------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\s(on[a-z]+|hx-on[:\w-]*)=", re.IGNORECASE)


@pytest.fixture
async def foundation_pages(
    db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> list[str]:
    """The foundation's pages, as an administrator with the facilities role sees them."""
    admin = await make_person("Beheerder", roles=(Role.ADMIN, Role.FACILITIES))
    site = Site(name="Stadskantoor", kind="central_office")
    db.add(site)
    await db.commit()
    space = Space(site_id=site.id, name="Flexplek 1", kind="desk", capacity=1)
    db.add(space)
    await db.commit()
    await login_as(admin)
    return [
        "/profile",
        "/admin/people",
        "/admin/people/new",
        f"/admin/people/{admin.id}",
        "/admin/teams",
        "/admin/sites",
        "/admin/sites/new",
        f"/admin/sites/{site.id}",
        f"/admin/sites/{site.id}/edit",
        f"/admin/sites/{site.id}/spaces/new",
        f"/admin/sites/{site.id}/spaces/{space.id}",
    ]


async def test_foundation_pages_have_no_inline_script_style_or_event_handler(
    client: Client, foundation_pages: list[str]
) -> None:
    offending = []
    for path in foundation_pages:
        response = await client.get(path)
        assert response.status_code == 200, path
        for pattern in (INLINE_SCRIPT, INLINE_STYLE, EVENT_HANDLER):
            offending += [f"{path}: {match}" for match in pattern.findall(response.text)]
    assert offending == []


async def test_every_form_field_on_the_foundation_pages_has_a_label(
    client: Client, foundation_pages: list[str]
) -> None:
    unlabelled = []
    for path in foundation_pages:
        html = (await client.get(path)).text
        labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', html))
        for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
            if re.search(r'type="(hidden|submit)"', tag) or "aria-label=" in tag:
                continue
            field_id = re.search(r'\bid="([^"]+)"', tag)
            if field_id is None or field_id.group(1) not in labelled:
                unlabelled.append(f"{path}: {tag}")
    assert unlabelled == []


async def test_an_api_token_named_with_blanks_only_is_refused(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna"))

    response = await client.post("/api/tokens", json={"name": "   "})

    assert (response.status_code, response.json()["field"]) == (422, "name")
