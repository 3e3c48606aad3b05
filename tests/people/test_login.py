"""Logging in and out through the login form: sessions, redirects, rate limiting, hashing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from httpx import Response
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson
from tests.people.helpers import PASSWORD, PASSWORD_HASH, anonymous_csrf
from werkplek.app import create_app
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.people.models import LoginAttempt, LoginSession, Person, Role
from werkplek.people.views import safe_next

Client = AsyncTestClient[Litestar]
EMAIL = "anna@gemeente.nl"


async def _log_in(
    client: Client, email: str = EMAIL, password: str = PASSWORD, next_path: str = "/"
) -> Response:
    csrf = await anonymous_csrf(client)
    return await client.post(
        "/login",
        data={"_csrf": csrf, "email": email, "password": password, "next": next_path},
        follow_redirects=False,
    )


def _session_cookie(response: Response) -> str:
    return next(
        header
        for header in response.headers.get_list("set-cookie")
        if header.startswith("werkplek_session=")
    )


@pytest.fixture
async def anna(make_person: MakePerson) -> Person:
    return await make_person("Anna", email=EMAIL, password_hash=PASSWORD_HASH)


async def test_a_wrong_password_shows_the_error_with_status_401(
    client: Client, anna: Person
) -> None:
    response = await _log_in(client, password="wrong password!")

    assert response.status_code == 401
    assert "Onbekend e-mailadres of onjuist wachtwoord." in response.text
    assert f'value="{EMAIL}"' in response.text
    assert "werkplek_session" not in response.headers.get("set-cookie", "")


async def test_a_wrong_password_puts_the_focus_on_the_password_to_type_again(
    client: Client, anna: Person
) -> None:
    response = await _log_in(client, password="wrong password!")

    password = response.text[response.text.index('<input id="password"') :]
    assert "autofocus" in password[: password.index(">")]


async def test_an_unknown_email_gets_the_same_answer_as_a_wrong_password(
    client: Client, anna: Person
) -> None:
    response = await _log_in(client, email="niemand@gemeente.nl")

    assert response.status_code == 401
    assert "Onbekend e-mailadres of onjuist wachtwoord." in response.text


async def test_the_right_password_redirects_to_next(client: Client, anna: Person) -> None:
    response = await _log_in(client, next_path="/profile")

    assert response.status_code in {302, 303}
    assert response.headers["location"] == "/profile"


async def test_the_email_address_is_matched_regardless_of_case(
    client: Client, anna: Person
) -> None:
    response = await _log_in(client, email="  ANNA@Gemeente.nl")

    assert response.status_code in {302, 303}


async def test_the_session_cookie_is_httponly_and_samesite_lax(
    client: Client, anna: Person
) -> None:
    cookie = _session_cookie(await _log_in(client)).lower()

    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "path=/" in cookie


async def test_the_session_cookie_logs_the_person_in(client: Client, anna: Person) -> None:
    await _log_in(client)

    response = await client.get("/api/me")

    assert response.json()["person"]["id"] == anna.id


async def test_next_pointing_to_another_site_redirects_home(client: Client, anna: Person) -> None:
    response = await _log_in(client, next_path="//evil.example")

    assert response.headers["location"] == "/"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/bookings?day=2026-11-26", "/bookings?day=2026-11-26"),
        ("//evil.example/steal", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example/steal", "/"),
        ("javascript:alert(1)", "/"),
        ("profile", "/"),
        ("", "/"),
        (None, "/"),
    ],
)
def test_only_same_site_paths_are_followed_after_login(target: str | None, expected: str) -> None:
    assert safe_next(target) == expected


async def test_a_logged_in_person_opening_the_login_page_is_sent_on(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna"))

    response = await client.get("/login", params={"next": "/profile"}, follow_redirects=False)

    assert response.headers["location"] == "/profile"


async def test_logging_out_ends_the_session_on_the_server(
    client: Client, db: AsyncSession, anna: Person
) -> None:
    await _log_in(client)
    old_cookie = client.cookies["werkplek_session"]
    csrf = (await client.get("/api/me")).json()["csrf_token"]

    logout = await client.post("/logout", data={"_csrf": csrf}, follow_redirects=False)
    client.cookies.set("werkplek_session", old_cookie)
    response = await client.get("/api/me")

    assert logout.headers["location"] == "/login"
    assert response.status_code == 401
    await db.rollback()
    assert (await db.execute(select(func.count(LoginSession.id)))).scalar_one() == 0


async def test_an_expired_session_no_longer_logs_in(
    client: Client, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna"))
    clock.advance(timedelta(hours=8, seconds=1))

    response = await client.get("/api/me")

    assert response.status_code == 401


async def test_an_inactive_person_cannot_log_in(client: Client, make_person: MakePerson) -> None:
    await make_person("Oud", email=EMAIL, password_hash=PASSWORD_HASH, active=False)

    response = await _log_in(client)

    assert response.status_code == 401


async def test_a_failed_login_is_counted(client: Client, db: AsyncSession, anna: Person) -> None:
    await _log_in(client, password="wrong password!")

    await db.rollback()
    attempts = (await db.execute(select(LoginAttempt.email, LoginAttempt.at))).all()
    assert [(email, at.isoformat()) for email, at in attempts] == [
        (EMAIL, "2026-11-25T09:00:00+00:00")
    ]


# --- rate limiting ------------------------------------------------------------------------

LIMIT = 2


@pytest.fixture
async def limited_client(
    app: Litestar, settings: Settings, clock: FixedClock
) -> AsyncIterator[Client]:
    """An app that allows LIMIT failures per 15 minutes (the default 10 makes slow tests)."""
    limited = create_app(settings.with_changes(login_attempts_per_15_minutes=LIMIT), clock)
    async with AsyncTestClient(app=limited) as test_client:
        yield test_client


async def test_after_the_limit_of_failures_even_the_right_password_is_refused(
    limited_client: Client, anna: Person
) -> None:
    for _attempt in range(LIMIT):
        await _log_in(limited_client, password="wrong password!")

    response = await _log_in(limited_client)

    assert response.status_code == 429
    assert "Te veel mislukte pogingen" in response.text
    assert "werkplek_session" not in response.headers.get("set-cookie", "")


async def test_logging_in_works_again_fifteen_minutes_after_the_failures(
    limited_client: Client, clock: FixedClock, anna: Person
) -> None:
    for _attempt in range(LIMIT):
        await _log_in(limited_client, password="wrong password!")
    clock.advance(timedelta(minutes=15, seconds=1))

    response = await _log_in(limited_client)

    assert response.status_code in {302, 303}


async def test_failures_for_one_account_do_not_lock_out_another(
    limited_client: Client, make_person: MakePerson, anna: Person
) -> None:
    await make_person("Pieter", email="pieter@gemeente.nl", password_hash=PASSWORD_HASH)
    for _attempt in range(LIMIT):
        await _log_in(limited_client, password="wrong password!")

    response = await _log_in(limited_client, email="pieter@gemeente.nl")

    assert response.status_code in {302, 303}


async def test_many_failures_from_one_address_lock_out_that_address(
    limited_client: Client, db: AsyncSession, clock: FixedClock, anna: Person
) -> None:
    """Guessing across many accounts from one address: three times the per-account limit."""
    address = "testclient"  # the address the test client connects from
    for number in range(LIMIT * 3):
        db.add(LoginAttempt(email=f"guess{number}@gemeente.nl", address=address, at=clock.now()))
    await db.commit()

    response = await _log_in(limited_client)

    assert response.status_code == 429


# --- password storage ---------------------------------------------------------------------


async def test_passwords_are_stored_as_argon2id(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    await client.post(
        "/api/people",
        json={"email": "karin@gemeente.nl", "name": "Karin", "password": "een lang wachtwoord"},
    )

    await db.rollback()
    stored = (
        await db.execute(select(Person.password_hash).where(Person.email == "karin@gemeente.nl"))
    ).scalar_one()
    assert stored is not None
    assert stored.startswith("$argon2id$")
    assert PasswordHasher().verify(stored, "een lang wachtwoord")
