"""An admin deactivating someone (they left), on the people page or through the API,
frees the desks and rooms held for them, as the people import does: their bookings
that have not started are cancelled in the same change."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import (
    NEXT_MONDAY,
    TOMORROW,
    Book,
    MakeSpace,
    World,
    all_bookings,
    at,
    desk_booking,
    room_booking,
)
from tests.conftest import LoginAs, MakePerson
from werkplek import leavers
from werkplek.audit.models import AuditEvent
from werkplek.bookings.schemas import RecurrenceIn
from werkplek.clock import FixedClock
from werkplek.feeds.models import FeedToken
from werkplek.people.models import ApiToken, Person, Role

Client = AsyncTestClient[Litestar]


@pytest.fixture
async def admin(make_person: MakePerson) -> Person:
    return await make_person("Beheerder", roles=(Role.ADMIN,))


async def _statuses(db: AsyncSession) -> list[str]:
    return [booking.status for booking in await all_bookings(db)]


def _person_form(person: Person, headers: dict[str, str], **fields: str) -> dict[str, str]:
    """The edit form as the page sends it."""
    return {"_csrf": headers["X-CSRF-Token"], "name": person.name, "email": person.email, **fields}


async def _deactivate_on_the_page(client: Client, person: Person, headers: dict[str, str]) -> Any:
    """The administrator confirms the deactivation on its page."""
    return await client.post(
        f"/admin/people/{person.id}/deactivate", data={"_csrf": headers["X-CSRF-Token"]}
    )


async def _deactivate_through_the_api(client: Client, person: Person) -> Any:
    return await client.patch(f"/api/people/{person.id}", json={"active": False})


async def _preview_an_import_of_only(client: Client, admin: Person) -> str:
    """The import page's preview of a file of the administrator alone, deactivating those
    missing from it."""
    response = await client.post(
        "/admin/people/import",
        data={"deactivate_missing": "on"},
        files={"file": ("hr.csv", f"email,name,roles\n{admin.email},{admin.name},admin\n")},
    )
    assert response.status_code == 200
    return response.text


async def _import_on_the_page(client: Client, preview: str) -> Any:
    """Press the preview's import button."""
    fields = {
        name: unescape(value)
        for name, value in re.findall(r'name="(content|sealed)" value="([^"]*)"', preview)
    }
    return await client.post("/admin/people/import/apply", files={}, data=fields)


# --- the bookings cancelled ---------------------------------------------------------------


async def test_deactivating_a_person_on_the_page_cancels_their_future_booking(
    client: Client, db: AsyncSession, world: World, admin: Person, login_as: LoginAs, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    headers = await login_as(admin)

    await _deactivate_on_the_page(client, world.anna, headers)

    assert await _statuses(db) == ["cancelled"]


async def test_deactivating_a_person_through_the_api_cancels_their_future_booking(
    client: Client, db: AsyncSession, world: World, admin: Person, login_as: LoginAs, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    await login_as(admin)

    response = await _deactivate_through_the_api(client, world.anna)

    assert response.status_code == 200
    assert await _statuses(db) == ["cancelled"]


async def test_the_api_answer_lists_the_bookings_the_deactivation_cancelled(
    client: Client, world: World, admin: Person, login_as: LoginAs, book: Book
) -> None:
    booking_id = (await book(world.anna, desk_booking(world.desk))).created[0].id
    await login_as(admin)

    response = await _deactivate_through_the_api(client, world.anna)

    assert (response.json()["active"], response.json()["cancelled_booking_ids"]) == (
        False,
        [booking_id],
    )


async def test_an_admin_deactivating_themselves_through_me_cancels_their_future_booking(
    client: Client,
    db: AsyncSession,
    world: World,
    admin: Person,
    login_as: LoginAs,
    make_person: MakePerson,
    book: Book,
) -> None:
    await make_person("Tweede beheerder", roles=(Role.ADMIN,))  # the last one may not leave
    await book(admin, desk_booking(world.desk))
    await login_as(admin)

    await client.patch("/api/me", json={"active": False})

    assert await _statuses(db) == ["cancelled"]


async def test_a_booking_under_way_stays_when_its_holder_is_deactivated(
    client: Client,
    db: AsyncSession,
    world: World,
    clock: FixedClock,
    admin: Person,
    login_as: LoginAs,
    book: Book,
) -> None:
    await book(world.anna, desk_booking(world.desk))
    clock.set(at(TOMORROW, 8))  # the morning started at 07:30
    await login_as(admin)

    await _deactivate_through_the_api(client, world.anna)

    assert await _statuses(db) == ["confirmed"]


async def test_a_past_booking_stays_when_its_holder_is_deactivated(
    client: Client,
    db: AsyncSession,
    world: World,
    clock: FixedClock,
    admin: Person,
    login_as: LoginAs,
    book: Book,
) -> None:
    await book(world.anna, desk_booking(world.desk))
    clock.set(at(TOMORROW, 14))  # the morning ended at 13:00
    await login_as(admin)

    await _deactivate_through_the_api(client, world.anna)

    assert await _statuses(db) == ["confirmed"]


async def test_a_room_request_waiting_for_approval_is_cancelled_when_its_holder_is_deactivated(
    client: Client,
    db: AsyncSession,
    world: World,
    make_space: MakeSpace,
    admin: Person,
    login_as: LoginAs,
    book: Book,
) -> None:
    council_room = await make_space(
        world.site, "Raadzaal", kind="meeting_room", capacity=40, requires_approval=True
    )
    await book(world.anna, room_booking(council_room))
    await login_as(admin)

    await _deactivate_through_the_api(client, world.anna)

    assert await _statuses(db) == ["cancelled"]


async def test_the_dates_of_a_series_still_to_come_are_cancelled_when_its_holder_is_deactivated(
    client: Client,
    db: AsyncSession,
    world: World,
    clock: FixedClock,
    admin: Person,
    login_as: LoginAs,
    book: Book,
) -> None:
    weekly = RecurrenceIn(weekdays=[NEXT_MONDAY.weekday()], until=NEXT_MONDAY + timedelta(days=7))
    await book(world.anna, desk_booking(world.desk, NEXT_MONDAY, recurrence=weekly))
    clock.set(at(NEXT_MONDAY, 14))  # the first Monday is over, the second to come
    await login_as(admin)

    await _deactivate_through_the_api(client, world.anna)

    assert await _statuses(db) == ["confirmed", "cancelled"]


async def test_the_cancellation_is_audited_as_the_administrators_with_the_reason_person_deactivated(
    client: Client, db: AsyncSession, world: World, admin: Person, login_as: LoginAs, book: Book
) -> None:
    booking_id = (await book(world.anna, desk_booking(world.desk))).created[0].id
    headers = await login_as(admin)

    await _deactivate_on_the_page(client, world.anna, headers)

    await db.rollback()
    events = (
        await db.execute(
            select(AuditEvent.actor_id, AuditEvent.details).where(
                AuditEvent.action == "cancel", AuditEvent.object_id == str(booking_id)
            )
        )
    ).all()
    assert [tuple(event) for event in events] == [(admin.id, {"reason": "person_deactivated"})]


async def test_reactivating_a_person_brings_no_cancelled_booking_back(
    client: Client, db: AsyncSession, world: World, admin: Person, login_as: LoginAs, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    await login_as(admin)
    await _deactivate_through_the_api(client, world.anna)

    await client.patch(f"/api/people/{world.anna.id}", json={"active": True})

    assert await _statuses(db) == ["cancelled"]


async def test_importing_people_on_the_page_cancels_the_future_booking_of_those_deactivated(
    client: Client, db: AsyncSession, world: World, admin: Person, login_as: LoginAs, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    await login_as(admin)

    await _import_on_the_page(client, await _preview_an_import_of_only(client, admin))

    assert await _statuses(db) == ["cancelled"]


async def test_the_import_preview_counts_the_bookings_it_would_cancel_and_cancels_none(
    client: Client, db: AsyncSession, world: World, admin: Person, login_as: LoginAs, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    await login_as(admin)

    preview = await _preview_an_import_of_only(client, admin)

    assert "1 reservering van hen die nog niet begonnen is, wordt geannuleerd." in preview
    assert await _statuses(db) == ["confirmed"]


async def test_importing_people_on_the_page_revokes_the_feeds_of_those_deactivated(
    client: Client,
    db: AsyncSession,
    clock: FixedClock,
    world: World,
    admin: Person,
    login_as: LoginAs,
) -> None:
    await _give_subscription_and_token(db, clock, world.anna)
    await login_as(admin)

    await _import_on_the_page(client, await _preview_an_import_of_only(client, admin))

    await db.rollback()
    assert (await db.execute(select(FeedToken.revoked_at))).scalar_one() == clock.now()


# --- no cancellation ----------------------------------------------------------------------


async def test_editing_other_fields_on_the_page_cancels_no_booking(
    client: Client, db: AsyncSession, world: World, admin: Person, login_as: LoginAs, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    headers = await login_as(admin)

    await client.post(
        f"/admin/people/{world.anna.id}",
        data=_person_form(world.anna, headers, phone="020 555 0199"),
    )

    assert await _statuses(db) == ["confirmed"]


async def test_an_api_change_that_keeps_the_person_active_cancels_no_booking(
    client: Client, db: AsyncSession, world: World, admin: Person, login_as: LoginAs, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    await login_as(admin)

    response = await client.patch(
        f"/api/people/{world.anna.id}", json={"active": True, "phone": "020 555 0199"}
    )

    assert (response.json()["cancelled_booking_ids"], await _statuses(db)) == ([], ["confirmed"])


# --- what the admin is told ---------------------------------------------------------------


async def test_the_page_says_how_many_bookings_the_deactivation_cancelled(
    client: Client, world: World, admin: Person, login_as: LoginAs, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    await book(world.anna, room_booking(world.room))
    headers = await login_as(admin)

    response = await _deactivate_on_the_page(client, world.anna, headers)

    assert "Gedeactiveerd. 2 reserveringen die nog niet begonnen waren, zijn geannuleerd." in (
        response.text
    )


async def test_the_page_says_how_many_bookings_were_cancelled_in_english_too(
    client: Client, world: World, make_person: MakePerson, login_as: LoginAs, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    admin = await make_person("Admin", roles=(Role.ADMIN,), language="en")
    headers = await login_as(admin)

    response = await _deactivate_on_the_page(client, world.anna, headers)

    assert "Deactivated. 1 booking that had not started has been cancelled." in response.text


async def test_the_page_says_when_the_deactivated_person_had_no_bookings_to_cancel(
    client: Client, world: World, admin: Person, login_as: LoginAs
) -> None:
    headers = await login_as(admin)

    response = await _deactivate_on_the_page(client, world.anna, headers)

    assert "Gedeactiveerd. Er waren geen reserveringen die nog niet begonnen waren." in (
        response.text
    )


async def test_the_page_says_the_deactivated_person_is_logged_out_and_their_feeds_stopped(
    client: Client, world: World, admin: Person, login_as: LoginAs
) -> None:
    headers = await login_as(admin)

    response = await _deactivate_on_the_page(client, world.anna, headers)

    assert (
        "Deze persoon is uitgelogd en de API-tokens en agenda-abonnementen werken niet meer"
        in response.text
    )


async def test_the_page_says_nothing_of_cancelling_when_the_person_stays_active(
    client: Client, world: World, admin: Person, login_as: LoginAs, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    headers = await login_as(admin)

    response = await client.post(
        f"/admin/people/{world.anna.id}", data=_person_form(world.anna, headers)
    )

    assert ("Opgeslagen." in response.text, "Gedeactiveerd" in response.text) == (True, False)


# --- asking first -------------------------------------------------------------------------


async def _confirmation(client: Client, person: Person) -> Any:
    return await client.get(f"/admin/people/{person.id}/deactivate")


async def test_the_person_form_leads_to_the_deactivation_page(
    client: Client, world: World, admin: Person, login_as: LoginAs
) -> None:
    await login_as(admin)

    response = await client.get(f"/admin/people/{world.anna.id}")

    assert f'href="/admin/people/{world.anna.id}/deactivate"' in response.text


async def test_the_deactivation_page_names_the_person_and_changes_nothing(
    client: Client, db: AsyncSession, world: World, admin: Person, login_as: LoginAs
) -> None:
    await login_as(admin)

    response = await _confirmation(client, world.anna)

    await db.refresh(world.anna)
    assert (f"{world.anna.name} deactiveren" in response.text, world.anna.active) == (True, True)


async def test_the_deactivation_page_counts_the_bookings_it_cancels(
    client: Client, world: World, admin: Person, login_as: LoginAs, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    await book(world.anna, room_booking(world.room))
    await login_as(admin)

    response = await _confirmation(client, world.anna)

    assert "2 reserveringen die nog niet begonnen zijn, worden geannuleerd" in response.text


async def test_the_deactivation_page_lists_a_few_bookings_by_place(
    client: Client, world: World, admin: Person, login_as: LoginAs, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    await login_as(admin)

    response = await _confirmation(client, world.anna)

    assert "Flexplek 1.01 (" in response.text


async def test_the_deactivation_page_gives_only_the_count_of_many_bookings(
    client: Client,
    world: World,
    admin: Person,
    login_as: LoginAs,
    book: Book,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(leavers, "SHORT_LIST", 1)
    await book(world.anna, desk_booking(world.desk))
    await book(world.anna, room_booking(world.room))
    await login_as(admin)

    response = await _confirmation(client, world.anna)

    assert ("2 reserveringen" in response.text, "Flexplek 1.01" in response.text) == (True, False)


async def _give_subscription_and_token(db: AsyncSession, clock: FixedClock, person: Person) -> None:
    db.add(
        FeedToken(
            created_by_id=person.id,
            scope="person",
            scope_id=person.id,
            token_hash="f" * 64,
            created_at=clock.now(),
        )
    )
    db.add(
        ApiToken(
            person_id=person.id,
            name="Roosterkoppeling",
            token_hash="a" * 64,
            created_at=clock.now(),
        )
    )
    await db.commit()


async def test_the_deactivation_page_counts_the_calendar_subscriptions_it_revokes(
    client: Client,
    db: AsyncSession,
    clock: FixedClock,
    world: World,
    admin: Person,
    login_as: LoginAs,
) -> None:
    await _give_subscription_and_token(db, clock, world.anna)
    await login_as(admin)

    response = await _confirmation(client, world.anna)

    assert "1 agenda-abonnement wordt ingetrokken" in response.text


async def test_the_deactivation_page_names_the_api_tokens_it_revokes(
    client: Client,
    db: AsyncSession,
    clock: FixedClock,
    world: World,
    admin: Person,
    login_as: LoginAs,
) -> None:
    await _give_subscription_and_token(db, clock, world.anna)
    await login_as(admin)

    response = await _confirmation(client, world.anna)

    assert (
        "1 API-token wordt ingetrokken" in response.text,
        "Roosterkoppeling" in response.text,
    ) == (
        True,
        True,
    )


async def test_the_deactivation_page_of_someone_inactive_leads_back_to_their_form(
    client: Client, make_person: MakePerson, admin: Person, login_as: LoginAs
) -> None:
    former = await make_person("Oud-collega", active=False)
    await login_as(admin)

    response = await client.get(f"/admin/people/{former.id}/deactivate", follow_redirects=False)

    assert response.headers["location"] == f"/admin/people/{former.id}"


async def test_the_last_administrator_deactivating_themselves_is_told_why_not(
    client: Client, db: AsyncSession, admin: Person, login_as: LoginAs
) -> None:
    headers = await login_as(admin)

    response = await _deactivate_on_the_page(client, admin, headers)

    await db.refresh(admin)
    assert (response.status_code, "laatste actieve beheerder" in response.text, admin.active) == (
        422,
        True,
        True,
    )


async def test_a_deactivation_failing_halfway_leaves_the_person_active_with_their_bookings(
    client: Client,
    db: AsyncSession,
    clock: FixedClock,
    world: World,
    admin: Person,
    login_as: LoginAs,
    book: Book,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The person is deactivated and their bookings cancelled before their feeds are
    revoked; a failure there undoes it all, on SQLite as on PostgreSQL."""
    await book(world.anna, desk_booking(world.desk))
    await _give_subscription_and_token(db, clock, world.anna)

    async def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(leavers, "revoke_tokens_of_leavers", broken)
    headers = await login_as(admin)

    response = await _deactivate_on_the_page(client, world.anna, headers)

    await db.rollback()
    anna = await db.get(Person, world.anna.id, populate_existing=True)
    tokens = (await db.execute(select(ApiToken.revoked_at))).scalars().all()
    assert (response.status_code, anna and anna.active, await _statuses(db), tokens) == (
        500,
        True,
        ["confirmed"],
        [None],
    )
