"""The rules of a roll call: one open per site, ticking people off (who and when), adding
someone not on the list, closing, the audit log, who may do it, and retention."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import TODAY, World, at
from tests.conftest import LoginAs, MakePerson
from tests.emergency.conftest import Client, entry_of, names, roll_calls, start
from tests.presence.conftest import SetEntry
from werkplek.audit.models import AuditEvent
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.people.models import Person, Role
from werkplek.privacy.services import privacy_retention_job, purge


async def _karim_planned(make_person: MakePerson, set_entry: SetEntry, world: World) -> Person:
    karim = await make_person("Karim Bouali")
    await set_entry(karim, TODAY, "morning", "office", site=world.site)
    return karim


# --- one open per site --------------------------------------------------------------------


async def test_a_second_start_while_one_is_open_is_refused_with_409(
    client: Client, world: World, as_responder: object
) -> None:
    await start(client, world)

    response = await client.post(f"/api/sites/{world.site.id}/roll-calls")

    assert (response.status_code, response.json()["error"]) == (409, "roll_call_open")


async def test_the_refused_second_start_names_the_site_field(
    client: Client, world: World, as_responder: object
) -> None:
    await start(client, world)

    response = await client.post(f"/api/sites/{world.site.id}/roll-calls")

    assert response.json()["field"] == "site"


async def test_after_closing_a_new_roll_call_may_start(
    client: Client, world: World, as_responder: object
) -> None:
    first = await start(client, world)
    await client.post(f"/api/roll-calls/{first['id']}/close")

    response = await client.post(f"/api/sites/{world.site.id}/roll-calls")

    assert response.status_code == 201


# --- ticking off --------------------------------------------------------------------------


async def test_marking_someone_accounted_for_updates_the_count(
    client: Client,
    world: World,
    make_person: MakePerson,
    set_entry: SetEntry,
    as_responder: object,
) -> None:
    await _karim_planned(make_person, set_entry, world)
    roll_call = await start(client, world)
    entry = entry_of(roll_call, "Karim Bouali")

    await client.post(
        f"/api/roll-calls/{roll_call['id']}/entries/{entry['id']}", json={"accounted_for": True}
    )

    again = (await client.get(f"/api/roll-calls/{roll_call['id']}")).json()
    assert (again["accounted_for"], again["total"]) == (1, 1)


async def test_a_mark_records_who_marked_it_and_when(
    client: Client,
    world: World,
    make_person: MakePerson,
    set_entry: SetEntry,
    as_responder: object,
) -> None:
    await _karim_planned(make_person, set_entry, world)
    roll_call = await start(client, world)
    entry = entry_of(roll_call, "Karim Bouali")

    response = await client.post(
        f"/api/roll-calls/{roll_call['id']}/entries/{entry['id']}", json={"accounted_for": True}
    )

    marked = response.json()
    assert (marked["marked_by_name"], marked["marked_at"]) == ("Bert BHV", "2026-11-25T09:00:00Z")


async def test_a_mark_without_accounted_for_names_the_field(
    client: Client,
    world: World,
    make_person: MakePerson,
    set_entry: SetEntry,
    as_responder: object,
) -> None:
    await _karim_planned(make_person, set_entry, world)
    roll_call = await start(client, world)
    entry = entry_of(roll_call, "Karim Bouali")

    response = await client.post(
        f"/api/roll-calls/{roll_call['id']}/entries/{entry['id']}", json={}
    )

    assert (response.status_code, "accounted_for" in response.text) == (400, True)


async def test_someone_not_on_the_list_is_added_as_accounted_for(
    client: Client, world: World, as_responder: object
) -> None:
    roll_call = await start(client, world)

    response = await client.post(
        f"/api/roll-calls/{roll_call['id']}/entries", json={"name": "Monteur liftbedrijf"}
    )

    added = response.json()
    assert (response.status_code, added["source"], added["accounted_for"]) == (
        201,
        "added",
        True,
    )


async def test_adding_someone_without_a_name_is_refused_at_name(
    client: Client, world: World, as_responder: object
) -> None:
    roll_call = await start(client, world)

    response = await client.post(f"/api/roll-calls/{roll_call['id']}/entries", json={"name": " "})

    assert (response.status_code, response.json()["field"]) == (422, "name")


async def test_a_closed_roll_call_can_no_longer_be_marked(
    client: Client,
    world: World,
    make_person: MakePerson,
    set_entry: SetEntry,
    as_responder: object,
) -> None:
    await _karim_planned(make_person, set_entry, world)
    roll_call = await start(client, world)
    entry = entry_of(roll_call, "Karim Bouali")
    await client.post(f"/api/roll-calls/{roll_call['id']}/close")

    response = await client.post(
        f"/api/roll-calls/{roll_call['id']}/entries/{entry['id']}", json={"accounted_for": True}
    )

    assert (response.status_code, response.json()["error"]) == (409, "roll_call_closed")


async def test_the_list_stays_as_it_was_at_the_start(
    client: Client,
    world: World,
    make_person: MakePerson,
    set_entry: SetEntry,
    as_responder: object,
) -> None:
    roll_call = await start(client, world)
    await _karim_planned(make_person, set_entry, world)

    again = (await client.get(f"/api/roll-calls/{roll_call['id']}")).json()

    assert names(again) == []


# --- audit --------------------------------------------------------------------------------


async def test_starting_and_closing_are_audited_once_each(
    client: Client, db: AsyncSession, world: World, as_responder: object
) -> None:
    roll_call = await start(client, world)
    await client.post(f"/api/roll-calls/{roll_call['id']}/close")

    actions = (await db.scalars(select(AuditEvent.action).order_by(AuditEvent.id))).all()

    assert [a for a in actions if "roll_call" in a] == ["start_roll_call", "close_roll_call"]


# --- who may ------------------------------------------------------------------------------


async def test_an_employee_is_refused_a_roll_call_with_403(
    client: Client, world: World, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Eva Employee"))

    response = await client.post(f"/api/sites/{world.site.id}/roll-calls")

    assert response.status_code == 403


async def test_facilities_may_start_a_roll_call(
    client: Client, world: World, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Fenna", roles=(Role.FACILITIES,)))

    response = await client.post(f"/api/sites/{world.site.id}/roll-calls")

    assert response.status_code == 201


# --- retention ----------------------------------------------------------------------------


async def test_closed_roll_calls_are_purged_after_the_retention_time(
    client: Client, db: AsyncSession, world: World, settings: Settings, as_responder: object
) -> None:
    roll_call = await start(client, world)
    await client.post(f"/api/roll-calls/{roll_call['id']}/close")
    later = FixedClock(at(TODAY, 10) + timedelta(days=11))

    await privacy_retention_job(db, later, settings.with_changes(retention_roll_call_days=10))
    await db.commit()

    assert await roll_calls(db) == []


async def test_closed_roll_calls_are_kept_within_the_retention_time(
    client: Client, db: AsyncSession, world: World, settings: Settings, as_responder: object
) -> None:
    roll_call = await start(client, world)
    await client.post(f"/api/roll-calls/{roll_call['id']}/close")
    later = FixedClock(at(TODAY, 10) + timedelta(days=9))

    await privacy_retention_job(db, later, settings.with_changes(retention_roll_call_days=10))
    await db.commit()

    assert [r.id for r in await roll_calls(db)] == [roll_call["id"]]


async def test_the_purge_counts_the_roll_calls_it_removed(
    client: Client, db: AsyncSession, world: World, settings: Settings, as_responder: object
) -> None:
    roll_call = await start(client, world)
    await client.post(f"/api/roll-calls/{roll_call['id']}/close")
    later = FixedClock(at(TODAY, 10) + timedelta(days=11))

    result = await purge(db, later, settings.with_changes(retention_roll_call_days=10))

    assert result.roll_calls == 1


def test_roll_calls_are_kept_30_days_by_default() -> None:
    assert Settings.from_env({"WERKPLEK_SECRET_KEY": "x" * 40}).retention_roll_call_days == 30
