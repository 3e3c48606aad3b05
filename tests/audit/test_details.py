"""The audit log page writes an event's details for people: labelled, local, named."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import (
    DEFAULT_NOW,
    LoginAs,
    MakePerson,
    MakeSite,
    MakeSpace,
    MakeTeam,
    count_queries,
)
from werkplek.audit.labels import ReferencedNames, detail_lines, object_text
from werkplek.audit.models import AuditEvent
from werkplek.clock import AMSTERDAM
from werkplek.i18n import using_language
from werkplek.people.models import Person, Role
from werkplek.rooms.models import Site, Space

NAMES = ReferencedNames(
    people={4: "Ada de Vries"},
    spaces={7: "Flexplek 3.14"},
    sites={2: "Buitendienst Noord"},
    floors={3: "Eerste verdieping"},
    teams={5: "Burgerzaken"},
)


def _lines(**details: object) -> list[tuple[str, str]]:
    with using_language("nl"):
        return detail_lines(details, NAMES)


def test_a_moment_shows_in_amsterdam_time() -> None:
    assert _lines(start="2026-12-03T08:00:00+00:00") == [("Begin", "03-12-2026 09:00")]


def test_a_moment_after_the_change_to_summer_time_shows_two_hours_ahead() -> None:
    assert _lines(end="2026-03-29T01:30:00+00:00") == [("Einde", "29-03-2026 03:30")]


def test_a_date_shows_as_pages_write_it() -> None:
    assert _lines(date="2026-12-03") == [("Datum", "03-12-2026")]


def test_a_date_with_a_day_part_names_the_part() -> None:
    assert _lines(parts=["2026-12-03 morning"]) == [("Dagdelen", "03-12-2026 Ochtend")]


def test_a_day_s_work_locations_are_named() -> None:
    assert _lines(parts={"morning": "home", "afternoon": "office"}) == [
        ("Dagdelen", "Ochtend: Thuis, Middag: Kantoor")
    ]


def test_the_spaces_a_booking_moved_between_show_by_name() -> None:
    assert _lines(from_space_id=7, to_space_id=8) == [
        ("Van ruimte", "Flexplek 3.14"),
        ("Naar ruimte", "#8"),
    ]


def test_people_spaces_and_sites_show_by_name() -> None:
    assert _lines(booked_for_id=4, space_id=7, site_id=2) == [
        ("Geboekt voor", "Ada de Vries"),
        ("Ruimte", "Flexplek 3.14"),
        ("Locatie", "Buitendienst Noord"),
    ]


def test_an_id_without_a_name_shows_its_number() -> None:
    assert _lines(visitor_ids=[4, 9]) == [("Bezoekers", "Ada de Vries, #9")]


def test_codes_are_named() -> None:
    assert _lines(status="confirmed", reason="no_show", fields=["name", "backup_id"]) == [
        ("Status", "Gereserveerd"),
        ("Reden", "Niet aangemeld"),
        ("Gewijzigde velden", "Naam, Achtervang"),
    ]


def test_weekday_numbers_are_named() -> None:
    assert _lines(weekdays=[0, 3]) == [("Weekdagen", "maandag, donderdag")]


def test_yes_no_and_nothing_read_as_words() -> None:
    assert _lines(two_person_required=True, series_id=None, skipped=[]) == [
        ("Twee personen vereist", "Ja"),
        ("Reeksnummer", "–"),
        ("Overgeslagen datums", "–"),
    ]


def test_counts_are_written_as_pages_write_numbers() -> None:
    assert _lines(bookings=1542, people=80) == [("Reserveringen", "1.542"), ("Medewerkers", "80")]


def test_numbers_of_things_are_not_written_as_counts() -> None:
    assert _lines(booking_id=1542) == [("Reserveringsnummer", "1542")]


def test_an_unknown_key_and_plain_text_show_as_they_are() -> None:
    assert _lines(colour="blue") == [("colour", "blue")]


def test_a_feeds_scope_number_is_named_beside_it_by_its_kind() -> None:
    lines = [
        _lines(scope=scope, scope_id=number)[1]
        for scope, number in (("person", 4), ("team", 5), ("site", 2), ("space", 7))
    ]

    assert lines == [
        ("Bereiknummer", "4 (Ada de Vries)"),
        ("Bereiknummer", "5 (Burgerzaken)"),
        ("Bereiknummer", "2 (Buitendienst Noord)"),
        ("Bereiknummer", "7 (Flexplek 3.14)"),
    ]


def test_a_feeds_scope_number_without_a_name_shows_only_the_number() -> None:
    assert _lines(scope="team", scope_id=4)[1] == ("Bereiknummer", "4")


def test_a_feeds_scope_number_erasure_took_out_shows_as_nothing() -> None:
    assert _lines(scope="person", scope_id=None)[1] == ("Bereiknummer", "–")


def test_a_person_space_or_site_changed_is_named_beside_its_number() -> None:
    with using_language("nl"):
        texts = [object_text(kind, key, NAMES) for kind, key in (("person", "4"), ("space", "7"))]

    assert texts == ["Persoon 4 (Ada de Vries)", "Ruimte 7 (Flexplek 3.14)"]


def test_a_floor_its_plan_or_a_team_changed_is_named_beside_its_number() -> None:
    with using_language("nl"):
        texts = [
            object_text(kind, key, NAMES)
            for kind, key in (("floor", "3"), ("floor_plan", "3"), ("team", "5"))
        ]

    assert texts == [
        "Verdieping 3 (Eerste verdieping)",
        "Plattegrond 3 (Eerste verdieping)",
        "Team 5 (Burgerzaken)",
    ]


def test_an_object_without_a_name_shows_its_number() -> None:
    with using_language("nl"):
        texts = [object_text(kind, key, NAMES) for kind, key in (("person", "5"), ("booking", "4"))]

    assert texts == ["Persoon 5", "Reservering 4"]


async def _page_with_event(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    login_as: LoginAs,
    admin: Person,
    object_type: str,
    details: dict[str, Any],
) -> str:
    """The audit page as ``admin`` sees it after ``admin`` created an object so described."""
    db.add(
        AuditEvent(
            at=DEFAULT_NOW,
            actor_id=admin.id,
            action="create",
            object_type=object_type,
            object_id="1",
            details=details,
        )
    )
    await db.commit()
    await login_as(admin)
    return (await client.get("/admin/audit")).text


async def test_the_page_names_the_space_and_person_a_booking_was_for(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    admin = await make_person("Ada", roles=(Role.ADMIN,))
    colleague = await make_person("Cor Jansen")
    site = Site(name="Stadskantoor", kind="central_office")
    db.add(site)
    await db.flush()
    space = Space(site_id=site.id, name="Flexplek 3.14", kind="desk", capacity=1)
    db.add(space)
    await db.flush()

    page = await _page_with_event(
        client,
        db,
        login_as,
        admin,
        "booking",
        {"space_id": space.id, "booked_for_id": colleague.id},
    )

    assert "Ruimte: Flexplek 3.14" in page
    assert "Geboekt voor: Cor Jansen" in page


async def test_the_page_names_the_visitors_of_a_visit_former_staff_too(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    admin = await make_person("Ada", roles=(Role.ADMIN,))
    former = await make_person("Oud Medewerker", active=False)
    colleague = await make_person("Cor Jansen")

    page = await _page_with_event(
        client, db, login_as, admin, "visit", {"visitor_ids": [former.id, colleague.id]}
    )

    assert "Oud Medewerker, Cor Jansen" in page


async def test_the_page_names_the_person_an_event_is_about(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    admin = await make_person("Ada", roles=(Role.ADMIN,))
    colleague = await make_person("Cor Jansen")
    db.add(
        AuditEvent(
            at=DEFAULT_NOW,
            actor_id=admin.id,
            action="update",
            object_type="person",
            object_id=str(colleague.id),
            details={"fields": ["phone"]},
        )
    )
    await db.commit()
    await login_as(admin)

    page = (await client.get("/admin/audit")).text

    assert f"Persoon {colleague.id} (Cor Jansen)" in page


async def test_the_page_writes_when_as_the_other_pages_do(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    admin = await make_person("Ada", roles=(Role.ADMIN,))
    db.add(
        AuditEvent(
            at=DEFAULT_NOW,
            actor_id=admin.id,
            action="login",
            object_type="person",
            object_id=str(admin.id),
            details={},
        )
    )
    await db.commit()
    await login_as(admin)

    page = (await client.get("/admin/audit")).text

    assert f"<td>{DEFAULT_NOW.astimezone(AMSTERDAM):%d-%m-%Y %H:%M:%S}</td>" in page


async def _subscribe(client: AsyncTestClient[Litestar], kind: str, number: int) -> None:
    response = await client.post("/api/feeds", json={"scope": {"kind": kind, "id": number}})
    assert response.status_code == 201, response.text


async def test_the_page_names_what_the_feeds_subscribed_to_are_for(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    make_site: MakeSite,
    make_space: MakeSpace,
    login_as: LoginAs,
) -> None:
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))
    site = await make_site("Stadskantoor")
    scopes = {
        "person": (await make_person("Cor Jansen")).id,
        "team": (await make_team("Burgerzaken")).id,
        "site": site.id,
        "space": (await make_space(site, "Vergaderzaal 2.01", kind="meeting_room")).id,
    }
    for kind, number in scopes.items():
        await _subscribe(client, kind, number)

    page = (await client.get("/admin/audit")).text

    assert [
        f"Bereiknummer: {scopes[kind]} ({name})" in page
        for kind, name in (
            ("person", "Cor Jansen"),
            ("team", "Burgerzaken"),
            ("site", "Stadskantoor"),
            ("space", "Vergaderzaal 2.01"),
        )
    ] == [True] * 4


async def test_the_page_looks_feed_scopes_up_once_per_kind_however_many_events(
    app: Litestar,
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
) -> None:
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))
    colleagues = [await make_person(f"Collega {n}") for n in range(3)]
    teams = [await make_team(f"Team {n}") for n in range(3)]

    async def statements_of_the_page() -> int:
        with count_queries(app.state.engine) as statements:
            assert (await client.get("/admin/audit")).status_code == 200
        return len(statements)

    await _subscribe(client, "person", colleagues[0].id)
    await _subscribe(client, "team", teams[0].id)
    with_one_each = await statements_of_the_page()
    for colleague, team in zip(colleagues[1:], teams[1:], strict=True):
        await _subscribe(client, "person", colleague.id)
        await _subscribe(client, "team", team.id)

    assert await statements_of_the_page() == with_one_each


async def test_the_page_names_nobody_for_a_feed_on_a_person_since_erased(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    admin = await make_person("Ada", roles=(Role.ADMIN,))
    anna = await make_person("Anna Smit")
    await login_as(anna)
    await _subscribe(client, "person", anna.id)
    await login_as(admin)
    assert (await client.delete(f"/api/privacy/people/{anna.id}")).status_code == 200
    db.expunge(anna)  # erased by the app: this session must not take Bram for her
    await make_person("Bram Smit")  # SQLite may give him the number Anna had

    page = (await client.get("/admin/audit", params={"object_type": "feed_token"})).text

    assert "Bereiknummer: –" in page
    assert "Anna Smit" not in page


async def test_the_page_writes_a_count_with_a_thousands_separator(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    admin = await make_person("Ada", roles=(Role.ADMIN,))

    page = await _page_with_event(client, db, login_as, admin, "demo", {"bookings": 1542})

    assert "Reserveringen: 1.542" in page


def test_an_answer_not_given_yet_is_named_so_not_as_awaiting_approval() -> None:
    assert _lines(response="accepted", previous_response="pending") == [
        ("Antwoord", "Geaccepteerd"),
        ("Vorig antwoord", "Nog niet beantwoord"),
    ]


def test_an_answer_given_back_after_an_absence_names_the_reason() -> None:
    assert _lines(reason="absence_withdrawn") == [("Reden", "Afwezigheid ingetrokken")]
