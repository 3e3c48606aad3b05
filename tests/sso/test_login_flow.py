"""Logging in through the identity provider, end to end (see conftest: a real provider)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson
from tests.sso.conftest import CLIENT_ID, Provider, path_and_query, query_of, sso_login
from werkplek.audit.models import AuditEvent
from werkplek.clock import FixedClock
from werkplek.people.models import ExternalIdentity, LoginSession, Person, Role
from werkplek.people.oidc import FLOW_COOKIE

Client = AsyncTestClient[Litestar]


@pytest.fixture
def clock() -> FixedClock:
    """The provider issues tokens in real time: on the suite's fixed Wednesday they
    would look expired or not yet valid."""
    return FixedClock(datetime.now(UTC))


async def person_with_email(db: AsyncSession, email: str) -> Person:
    await db.rollback()
    statement = select(Person).where(Person.email == email)
    fresh = {"populate_existing": True}
    return (await db.execute(statement, execution_options=fresh)).scalar_one()


async def audit_actions(db: AsyncSession) -> list[tuple[str, dict[str, object]]]:
    await db.rollback()
    rows = (await db.execute(select(AuditEvent).order_by(AuditEvent.id))).scalars()
    return [(row.action, row.details) for row in rows]


async def test_the_login_page_offers_single_sign_on_next_to_the_password_form(
    client: Client,
) -> None:
    page = await client.get("/login?next=/bookings")
    assert 'href="/login/oidc?next=/bookings"' in page.text
    assert 'name="password"' in page.text


async def test_the_authorization_request_carries_pkce_state_and_nonce(client: Client) -> None:
    response = await client.get("/login/oidc", follow_redirects=False)
    query = query_of(response.headers["location"])
    assert query["client_id"] == CLIENT_ID
    assert query["response_type"] == "code"
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43  # base64url of a SHA-256 digest
    assert query["state"] and query["nonce"]
    assert query["redirect_uri"].endswith("/login/oidc/callback")
    assert set(query["scope"].split()) == {"openid", "profile", "email"}
    assert FLOW_COOKIE in response.headers["set-cookie"]


async def test_the_first_login_creates_the_person_from_the_claims_with_mapped_roles(
    client: Client, db: AsyncSession, provider: Provider
) -> None:
    await provider.set_user(
        "sub-anna", email="Anna@Gemeente.nl", name="Anna Bakker", groups=["werkplek-kcc", "other"]
    )
    response = await sso_login(client, provider, "sub-anna", next_path="/bookings")

    assert response.status_code in (302, 303)
    assert response.headers["location"] == "/bookings"
    anna = await person_with_email(db, "anna@gemeente.nl")
    assert anna.name == "Anna Bakker"
    assert anna.role_set == {Role.KCC}
    assert anna.password_hash is None
    identity = (await db.execute(select(ExternalIdentity))).scalar_one()
    assert (identity.person_id, identity.subject) == (anna.id, "sub-anna")
    home = await client.get("/")
    assert home.status_code == 200 and "Anna Bakker" in home.text


async def test_the_login_is_audited_with_its_method(
    client: Client, db: AsyncSession, provider: Provider
) -> None:
    await provider.set_user("sub-audit", email="audit@gemeente.nl", name="Audit")
    await sso_login(client, provider, "sub-audit")
    actions = await audit_actions(db)
    assert [action for action, _details in actions] == ["create", "link", "login"]
    assert actions[-1][1] == {"method": "oidc"}


async def test_a_changed_group_changes_the_role_at_the_next_login(
    client: Client, db: AsyncSession, provider: Provider
) -> None:
    await provider.set_user("sub-bram", email="bram@gemeente.nl", groups=["werkplek-kcc"])
    await sso_login(client, provider, "sub-bram")
    client.cookies.clear()
    await provider.set_user("sub-bram", email="bram@gemeente.nl", groups=["werkplek-facilitair"])
    await sso_login(client, provider, "sub-bram")

    bram = await person_with_email(db, "bram@gemeente.nl")
    assert bram.role_set == {Role.FACILITIES}


async def test_roles_outside_the_map_are_kept(
    client: Client, db: AsyncSession, provider: Provider, make_person: MakePerson
) -> None:
    await make_person("Carla", email="carla@gemeente.nl", roles=(Role.ADMIN, Role.KCC))
    await provider.set_user("sub-carla", email="carla@gemeente.nl", groups=[])
    await sso_login(client, provider, "sub-carla")

    carla = await person_with_email(db, "carla@gemeente.nl")
    assert carla.role_set == {Role.ADMIN}


async def test_an_existing_person_is_found_by_email_and_then_by_the_link(
    client: Client, db: AsyncSession, provider: Provider, make_person: MakePerson
) -> None:
    dirk = await make_person("Dirk", email="dirk@gemeente.nl")
    await provider.set_user("sub-dirk", email="DIRK@gemeente.nl", name="Dirk de Boer")
    await sso_login(client, provider, "sub-dirk")
    client.cookies.clear()
    await provider.set_user("sub-dirk", email="d.deboer@gemeente.nl", name="Dirk de Boer")
    await sso_login(client, provider, "sub-dirk")

    await db.rollback()
    people = (await db.execute(select(Person))).scalars().all()
    assert [(p.id, p.email, p.name) for p in people] == [
        (dirk.id, "d.deboer@gemeente.nl", "Dirk de Boer")
    ]


async def test_a_deactivated_person_is_refused_and_the_refusal_is_audited(
    client: Client, db: AsyncSession, provider: Provider, make_person: MakePerson
) -> None:
    await make_person("Eva", email="eva@gemeente.nl", active=False)
    await provider.set_user("sub-eva", email="eva@gemeente.nl")
    response = await sso_login(client, provider, "sub-eva")

    assert response.status_code == 403
    assert "gedeactiveerd" in response.text
    assert 'href="/login/oidc' in response.text  # the login page, to try again
    await db.rollback()
    assert (await db.execute(select(LoginSession))).first() is None
    refused = [details for action, details in await audit_actions(db) if action == "login_refused"]
    assert refused == [{"method": "oidc", "reason": "deactivated", "subject": "sub-eva"}]
    assert (await db.execute(select(ExternalIdentity))).first() is None


async def test_a_callback_without_the_browsers_flow_cookie_is_refused(
    client: Client, provider: Provider
) -> None:
    await provider.set_user("sub-finn", email="finn@gemeente.nl")
    start = await client.get("/login/oidc", follow_redirects=False)
    callback = await provider.authorize(start.headers["location"], "sub-finn")
    client.cookies.delete(FLOW_COOKIE, path="/login/oidc")
    response = await client.get(path_and_query(callback), follow_redirects=False)

    assert response.status_code == 403
    assert "in een ander browservenster" in response.text


async def test_a_login_denied_at_the_provider_shows_its_reason(
    client: Client, db: AsyncSession
) -> None:
    start = await client.get("/login/oidc", follow_redirects=False)
    state = query_of(start.headers["location"])["state"]
    # What Entra ID and Keycloak send when the person cancels (the mock leaves out the state).
    response = await client.get(
        "/login/oidc/callback",
        params={"error": "access_denied", "error_description": "Cancelled", "state": state},
        follow_redirects=False,
    )

    assert response.status_code == 403
    assert "De identiteitsprovider heeft u niet ingelogd: Cancelled" in response.text
    refused = [details for action, details in await audit_actions(db) if action == "login_refused"]
    assert [details["reason"] for details in refused] == ["provider_error:access_denied"]


async def test_logout_ends_the_session_and_continues_at_the_providers_logout(
    client: Client, db: AsyncSession, provider: Provider
) -> None:
    await provider.set_user("sub-gijs", email="gijs@gemeente.nl")
    await sso_login(client, provider, "sub-gijs")
    csrf = (await db.execute(select(LoginSession.csrf_token))).scalar_one()

    response = await client.post("/logout", data={"_csrf": csrf}, follow_redirects=False)

    assert response.status_code in (302, 303)
    target = response.headers["location"]
    assert target.startswith(f"{provider.url}/oauth2/end_session?")
    query = query_of(target)
    assert query["id_token_hint"].count(".") == 2
    assert query["post_logout_redirect_uri"] == "http://testserver.local/login"
    await db.rollback()
    assert (await db.execute(select(LoginSession))).first() is None


async def test_logout_after_a_password_login_stays_here(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    headers = await login_as(await make_person("Hans"))
    response = await client.post("/logout", headers=headers, follow_redirects=False)
    assert response.headers["location"] == "/login"


async def test_pages_allow_the_logout_form_to_lead_to_the_provider(
    client: Client, provider: Provider
) -> None:
    response = await client.get("/login")
    assert f"form-action 'self' {provider.url}" in response.headers["content-security-policy"]
