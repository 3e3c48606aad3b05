"""Admins read the audit log: filtered by actor, object type and date, newest first, paged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import TOMORROW
from tests.conftest import (
    DEFAULT_NOW,
    LoginAs,
    MakeFloor,
    MakePerson,
    MakeSite,
    MakeSpace,
    MakeTeam,
    add_closure,
)
from tests.stacked_tables import assert_stacks_on_phone
from werkplek.audit.models import AuditEvent
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.people.models import Person, Role
from werkplek.presence.callback_notes import purge_callback_notes


async def _events(db: AsyncSession, actor: Person, other: Person) -> None:
    for days, who, kind in [(0, actor, "booking"), (1, other, "space"), (3, actor, "person")]:
        db.add(
            AuditEvent(
                at=DEFAULT_NOW - timedelta(days=days),
                actor_id=who.id,
                action="update",
                object_type=kind,
                object_id="7",
                details={"fields": ["name"]},
            )
        )
    await db.commit()


async def _admin_and_colleague(
    db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> tuple[Person, Person]:
    admin = await make_person("Ada", roles=(Role.ADMIN,))
    colleague = await make_person("Cor")
    await _events(db, admin, colleague)
    await login_as(admin)
    return admin, colleague


async def test_the_api_lists_events_newest_first(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin_and_colleague(db, make_person, login_as)
    body = (await client.get("/api/audit")).json()
    assert body["total"] == 3
    assert [e["object_type"] for e in body["events"]] == ["booking", "space", "person"]
    assert body["events"][0]["actor"]["name"] == "Ada"


async def test_the_api_filters_by_actor_object_type_and_date(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    _admin, colleague = await _admin_and_colleague(db, make_person, login_as)
    by_actor = (await client.get("/api/audit", params={"actor_id": colleague.id})).json()
    assert [e["object_type"] for e in by_actor["events"]] == ["space"]
    by_type = (await client.get("/api/audit", params={"object_type": "person"})).json()
    assert by_type["total"] == 1
    by_date = (
        await client.get("/api/audit", params={"since": "2026-11-23", "until": "2026-11-24"})
    ).json()
    assert [e["object_type"] for e in by_date["events"]] == ["space"]


async def test_the_api_pages(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin_and_colleague(db, make_person, login_as)
    body = (await client.get("/api/audit", params={"limit": 2, "offset": 2})).json()
    assert (body["total"], [e["object_type"] for e in body["events"]]) == (3, ["person"])


async def test_an_end_before_the_start_is_refused_naming_the_field(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin_and_colleague(db, make_person, login_as)
    response = await client.get("/api/audit", params={"since": "2026-11-25", "until": "2026-11-01"})
    assert (response.status_code, response.json()["field"]) == (422, "until")


async def test_a_first_day_beyond_the_calendars_reach_is_422_on_since(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin_and_colleague(db, make_person, login_as)
    response = await client.get("/api/audit", params={"since": "0001-01-01"})
    assert (response.status_code, response.json()["error"], response.json()["field"]) == (
        422,
        "date_out_of_range",
        "since",
    )


async def test_a_last_day_beyond_the_calendars_reach_is_422_on_until(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin_and_colleague(db, make_person, login_as)
    response = await client.get("/api/audit", params={"until": "9999-12-31"})
    assert (response.status_code, response.json()["field"]) == (422, "until")


async def test_the_page_shows_filtered_events_and_links_to_older_ones(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    admin, _ = await _admin_and_colleague(db, make_person, login_as)
    for _i in range(50):
        db.add(
            AuditEvent(
                at=DEFAULT_NOW,
                actor_id=admin.id,
                action="create",
                object_type="booking",
                object_id="1",
                details={},
            )
        )
    await db.commit()
    page = await client.get("/admin/audit", params={"object_type": "booking"})
    assert page.status_code == 200
    assert "51 gebeurtenissen" in page.text
    assert "offset=50" in page.text and 'rel="prev"' not in page.text
    older = await client.get("/admin/audit", params={"object_type": "booking", "offset": 50})
    assert older.text.count("<tr>") == 2  # the header and the one event left
    assert 'rel="prev"' in older.text


async def test_the_api_filters_by_one_object(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin_and_colleague(db, make_person, login_as)
    db.add(_event("space", "8"))
    await db.commit()

    body = (
        await client.get("/api/audit", params={"object_type": "space", "object_id": "8"})
    ).json()

    assert [(e["object_type"], e["object_id"]) for e in body["events"]] == [("space", "8")]


async def test_an_object_number_without_its_kind_is_refused_at_the_kind(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin_and_colleague(db, make_person, login_as)

    response = await client.get("/api/audit", params={"object_id": "7"})

    assert (response.status_code, response.json()["field"]) == (422, "object_type")


def _event(object_type: str, object_id: str) -> AuditEvent:
    return AuditEvent(
        at=DEFAULT_NOW,
        actor_id=None,
        action="update",
        object_type=object_type,
        object_id=object_id,
        details={"fields": ["name"]},
    )


async def test_the_page_lists_only_the_events_about_one_person(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin_and_colleague(db, make_person, login_as)
    bram = await make_person("Bram")
    db.add(_event("person", str(bram.id)))
    await db.commit()

    page = await client.get(
        "/admin/audit", params={"object_type": "person", "object_id": str(bram.id)}
    )

    assert ">1 gebeurtenis</p>" in page.text
    assert f"Alleen de gebeurtenissen over Persoon {bram.id} (Bram), de werklocaties" in page.text


async def test_the_page_keeps_the_object_when_filtered_again(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin_and_colleague(db, make_person, login_as)

    page = await client.get("/admin/audit", params={"object_type": "space", "object_id": "7"})

    assert '<input type="hidden" name="object_id" value="7">' in page.text


async def test_the_page_keeps_the_kind_chosen_when_the_log_has_no_event_of_that_kind(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin_and_colleague(db, make_person, login_as)

    page = await client.get("/admin/audit", params={"object_type": "floor", "object_id": "7"})

    assert '<option value="floor" selected>' in page.text


async def test_the_page_links_back_to_every_object(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin_and_colleague(db, make_person, login_as)

    page = await client.get("/admin/audit", params={"object_type": "space", "object_id": "7"})

    assert '<a href="/admin/audit?object_type=space">Alle objecten tonen</a>' in page.text


async def test_the_page_marks_an_object_number_without_its_kind(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin_and_colleague(db, make_person, login_as)

    page = await client.get("/admin/audit", params={"object_id": "7"})

    assert page.status_code == 422
    assert 'id="object_type-error"' in page.text


async def test_an_admin_finds_a_persons_history_from_their_page(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person("Anna")
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))

    page = await client.get(f"/admin/people/{anna.id}")

    assert f'href="/admin/audit?object_type=person&amp;object_id={anna.id}"' in page.text


async def test_the_page_names_a_bad_date(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin_and_colleague(db, make_person, login_as)
    page = await client.get("/admin/audit", params={"since": "gisteren"})
    assert page.status_code == 422
    assert 'id="since-error"' in page.text


async def test_the_page_names_a_date_beyond_the_calendars_reach_in_dutch(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin_and_colleague(db, make_person, login_as)
    page = await client.get("/admin/audit", params={"since": "0001-01-01"})
    assert page.status_code == 422
    assert 'id="since-error"' in page.text
    assert "Kies een datum in de jaren 2000 tot en met 2099." in page.text


async def test_the_page_table_stacks_on_a_phone(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin_and_colleague(db, make_person, login_as)

    page = (await client.get("/admin/audit")).text

    table = assert_stacks_on_phone(page, "audit-log")
    assert table.headers == ["Wanneer", "Wie", "Actie", "Object", "Gegevens"]


# --- the history of a space or site holds what belongs to it -------------------------------


async def _history(
    client: AsyncTestClient[Litestar], kind: str, number: int
) -> list[tuple[str, str, str]]:
    params = {"object_type": kind, "object_id": str(number)}
    events = (await client.get("/api/audit", params=params)).json()["events"]
    return [(e["object_type"], e["object_id"], e["action"]) for e in events]


async def test_a_spaces_history_holds_its_bookings_cancelled_by_restricting_it(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    make_site: MakeSite,
    make_space: MakeSpace,
    login_as: LoginAs,
) -> None:
    site = await make_site()
    desk, other_desk = await make_space(site, "Flexplek 1"), await make_space(site, "Flexplek 2")
    booked = []
    for space in (desk, other_desk):
        await login_as(await make_person())
        booking = {"space_id": space.id, "date": TOMORROW.isoformat(), "day_part": "morning"}
        booked.append(
            (await client.post("/api/bookings", json=booking)).json()["bookings"][0]["id"]
        )
    await login_as(await make_person("Fenna", roles=(Role.FACILITIES,)))
    team_id = (await make_team("Wijkteam")).id
    restricted = {"site_id": site.id, "name": desk.name, "kind": "desk", "team_ids": [team_id]}
    assert (await client.put(f"/api/spaces/{desk.id}", json=restricted)).status_code == 200
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))

    assert await _history(client, "space", desk.id) == [
        ("booking", str(booked[0]), "cancel"),
        ("space", str(desk.id), "update"),
        ("booking", str(booked[0]), "create"),
    ]


async def test_a_spaces_history_holds_its_closures_but_not_the_sites(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    login_as: LoginAs,
) -> None:
    site = await make_site()
    desk = await make_space(site)
    of_the_desk = await add_closure(db, site, TOMORROW, TOMORROW, space=desk)
    of_the_site = await add_closure(db, site, TOMORROW, TOMORROW)
    db.add_all([_event("closure", str(of_the_desk.id)), _event("closure", str(of_the_site.id))])
    await db.commit()
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))

    assert await _history(client, "space", desk.id) == [("closure", str(of_the_desk.id), "update")]


async def test_a_sites_history_holds_its_floors_plans_spaces_and_closures_not_bookings(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    make_site: MakeSite,
    make_floor: MakeFloor,
    make_space: MakeSpace,
    login_as: LoginAs,
) -> None:
    site, elsewhere = await make_site(), await make_site("Werf")
    floor, desk = await make_floor(site), await make_space(site)
    closure = await add_closure(db, site, TOMORROW, TOMORROW)
    belonging = [
        ("site", site.id),
        ("floor", floor.id),
        ("floor_plan", floor.id),
        ("space", desk.id),
        ("closure", closure.id),
    ]
    db.add_all(_event(kind, str(number)) for kind, number in belonging)
    db.add_all([_event("site", str(elsewhere.id)), _event("space", str(desk.id + 1))])
    db.add(_event("booking", "1"))
    await db.commit()
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))

    history = await _history(client, "site", site.id)

    assert sorted(history) == sorted((kind, str(n), "update") for kind, n in belonging)


async def _display_link(
    client: AsyncTestClient[Litestar], site_id: int, space_id: int | None = None
) -> int:
    """A display link made and revoked through the API; its number."""
    body: dict[str, object] = {"site_id": site_id, "label": "Deur"}
    if space_id is not None:
        body["space_id"] = space_id
    link = (await client.post("/api/displays", json=body)).json()["link"]["id"]
    assert (await client.delete(f"/api/displays/{link}")).status_code == 204
    return int(link)


async def test_a_rooms_history_holds_its_door_display_links_made_and_revoked(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    login_as: LoginAs,
) -> None:
    site = await make_site()
    room = await make_space(site, "Zaal", kind="meeting_room")
    other = await make_space(site, "Kamer", kind="meeting_room")
    await login_as(await make_person("Fenna", roles=(Role.FACILITIES,)))
    link = await _display_link(client, site.id, room.id)
    await _display_link(client, site.id, other.id)
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))

    assert await _history(client, "space", room.id) == [
        ("display_link", str(link), "revoke"),
        ("display_link", str(link), "create"),
    ]


async def test_a_sites_history_holds_its_lobby_screen_and_door_display_links(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    login_as: LoginAs,
) -> None:
    site, elsewhere = await make_site(), await make_site("Werf")
    room = await make_space(site, "Zaal", kind="meeting_room")
    await login_as(await make_person("Fenna", roles=(Role.FACILITIES,)))
    lobby = await _display_link(client, site.id)
    door = await _display_link(client, site.id, room.id)
    await _display_link(client, elsewhere.id)
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))

    history = [event for event in await _history(client, "site", site.id) if event[0] != "space"]

    assert sorted(history) == sorted(
        ("display_link", str(link), action)
        for link in (lobby, door)
        for action in ("create", "revoke")
    )


async def test_the_page_says_a_spaces_history_holds_its_bookings_and_closures(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    login_as: LoginAs,
) -> None:
    desk = await make_space(await make_site())
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))

    page = await client.get("/admin/audit", params={"object_type": "space", "object_id": desk.id})

    assert (
        f"Alleen de gebeurtenissen over Ruimte {desk.id} (Flexplek 1) en de reserveringen, "
        "sluitingen en deurbordjes ervan." in page.text
    )


async def test_a_persons_history_holds_the_tokens_revoked_when_they_left(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person("Anna")
    await login_as(anna)
    token = (await client.post("/api/tokens", json={"name": "script"})).json()["id"]
    feed_scope = {"scope": {"kind": "person", "id": anna.id}}
    feed = (await client.post("/api/feeds", json=feed_scope)).json()["id"]
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))
    await client.patch(f"/api/people/{anna.id}", json={"active": False})

    history = await _history(client, "person", anna.id)

    assert sorted(history[:3]) == [
        ("api_token", str(token), "revoke"),
        ("feed_token", str(feed), "revoke"),
        ("person", str(anna.id), "update"),
    ]


async def test_a_persons_history_holds_the_bookings_held_for_them_not_others(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    login_as: LoginAs,
) -> None:
    site = await make_site()
    booked = []
    for space in (await make_space(site, "Flexplek 1"), await make_space(site, "Flexplek 2")):
        holder = await make_person()
        await login_as(holder)
        booking = {"space_id": space.id, "date": TOMORROW.isoformat(), "day_part": "morning"}
        booked.append(
            (await client.post("/api/bookings", json=booking)).json()["bookings"][0]["id"]
        )
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))

    assert await _history(client, "person", holder.id) == [("booking", str(booked[1]), "create")]


async def test_a_persons_history_holds_their_work_locations(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    anna, bram = await make_person("Anna"), await make_person("Bram")
    db.add_all([_event("presence", str(anna.id)), _event("presence", str(bram.id))])
    await db.commit()
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))

    assert await _history(client, "person", anna.id) == [("presence", str(anna.id), "update")]


# --- when ---------------------------------------------------------------------------------


async def test_the_page_shows_when_in_amsterdam_time(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    event = _event("space", "7")
    event.at = datetime(2026, 12, 5, 23, 30, 15, tzinfo=UTC)
    db.add(event)
    await db.commit()
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))

    page = await client.get("/admin/audit")

    assert "<td>06-12-2026 00:30:15</td>" in page.text


# --- a person's field visits and removed callback notes -----------------------------------

VISIT = {
    "start": "2026-11-25T14:00:00",
    "end": "2026-11-25T15:00:00",
    "area": "Marum",
    "address": "Molenweg 12, 9363 AB Marum",
    "purpose": "Keukentafelgesprek Wmo",
}
NOTE = {"question": "Waar blijft mijn vergunning?", "callback_number": "06 98765432"}


async def _plan_visit(client: AsyncTestClient[Litestar], login_as: LoginAs, visitor: Person) -> str:
    await login_as(visitor)
    visit = await client.post("/api/visits", json={**VISIT, "visitor_ids": [visitor.id]})
    return str(visit.json()["id"])


async def _leave_note(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    to: Person,
    writer: Person | None = None,
) -> str:
    await login_as(writer or await make_person("Karin", roles=(Role.KCC,)))
    note = await client.post("/api/callback-notes", json={**NOTE, "person_id": to.id})
    return str(note.json()["id"])


async def test_a_persons_history_holds_the_field_visits_they_went_on(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person("Anna")
    visit = await _plan_visit(client, login_as, anna)
    await client.post(f"/api/visits/{visit}/cancel")
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))

    assert await _history(client, "person", anna.id) == [
        ("field_visit", visit, "cancel"),
        ("field_visit", visit, "create"),
    ]


async def test_a_persons_history_leaves_out_the_field_visits_of_others(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person("Anna")
    await _plan_visit(client, login_as, await make_person("Bram"))
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))

    assert await _history(client, "person", anna.id) == []


async def test_a_persons_history_page_does_not_show_their_visits_address_or_purpose(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person("Anna")
    await _plan_visit(client, login_as, anna)
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))

    page = await client.get("/admin/audit", params={"object_type": "person", "object_id": anna.id})

    assert ("Molenweg" in page.text, "Keukentafelgesprek" in page.text) == (False, False)


async def test_a_persons_history_keeps_a_callback_note_for_them_removed_by_its_writer(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person("Anna")
    note = await _leave_note(client, make_person, login_as, anna)
    await client.delete(f"/api/callback-notes/{note}")
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))

    assert await _history(client, "person", anna.id) == [
        ("callback_note", note, "delete"),
        ("callback_note", note, "create"),
    ]


async def test_a_persons_history_keeps_a_callback_note_for_them_purged_after_retention(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    settings: Settings,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    anna = await make_person("Anna")
    note = await _leave_note(client, make_person, login_as, anna)
    later = FixedClock(DEFAULT_NOW + timedelta(days=settings.retention_callback_note_days + 1))
    await purge_callback_notes(db, later, settings)
    await db.commit()
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))

    assert await _history(client, "person", anna.id) == [
        ("callback_note", note, "purge"),
        ("callback_note", note, "create"),
    ]


async def test_a_persons_history_leaves_out_removed_callback_notes_for_others(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person("Anna")
    note = await _leave_note(client, make_person, login_as, await make_person("Bram"))
    await client.delete(f"/api/callback-notes/{note}")
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))

    assert await _history(client, "person", anna.id) == []


async def test_a_persons_history_keeps_a_callback_note_they_left_once_removed(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    karin = await make_person("Karin", roles=(Role.KCC,))
    note = await _leave_note(client, make_person, login_as, await make_person("Anna"), karin)
    await client.delete(f"/api/callback-notes/{note}")
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))

    assert await _history(client, "person", karin.id) == [
        ("callback_note", note, "delete"),
        ("callback_note", note, "create"),
    ]


async def test_a_persons_history_holds_a_callback_note_they_left_done_by_its_addressee(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    karin, anna = await make_person("Karin", roles=(Role.KCC,)), await make_person("Anna")
    note = await _leave_note(client, make_person, login_as, anna, karin)
    await login_as(anna)
    await client.patch(f"/api/callback-notes/{note}", json={"done": True})
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))

    assert await _history(client, "person", karin.id) == [
        ("callback_note", note, "done"),
        ("callback_note", note, "create"),
    ]


async def test_a_persons_history_page_does_not_show_a_removed_notes_question_or_number(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person("Anna")
    note = await _leave_note(client, make_person, login_as, anna)
    await client.delete(f"/api/callback-notes/{note}")
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))

    page = await client.get("/admin/audit", params={"object_type": "person", "object_id": anna.id})

    assert ("vergunning" in page.text, "98765432" in page.text) == (False, False)


async def test_the_page_says_a_persons_history_holds_their_visits_and_removed_notes(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person("Anna")
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))

    page = await client.get("/admin/audit", params={"object_type": "person", "object_id": anna.id})

    assert "de veldbezoeken van deze persoon, de terugbelnotities voor of van deze persoon " in (
        page.text
    )
