"""The KCC finder: search by name, team or topic; status, reachability and backup per match."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson, MakeTeam, count_queries
from tests.presence.conftest import (
    TODAY,
    TOMORROW,
    AddTopics,
    AsViewer,
    BookDesk,
    SetEntry,
    SetHours,
    SetPattern,
    Sites,
)
from werkplek.clock import FixedClock
from werkplek.people.models import Person, Role, Team
from werkplek.presence import finder
from werkplek.presence.finder import kcc_search
from werkplek.rooms.models import Space

SEARCH = "/api/kcc/search"


async def _names(client: AsyncTestClient[Litestar], q: str) -> list[str]:
    response = await client.get(SEARCH, params={"q": q})
    assert response.status_code == 200
    return [hit["person"]["name"] for hit in response.json()["results"]]


async def test_colleagues_are_found_by_topic(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    add_topics: AddTopics,
) -> None:
    expert = await make_person("Sanne de Boer")
    await add_topics(expert, "paspoort", "rijbewijs")
    await make_person("Piet Zonderonderwerp")
    await login_as(await make_person("KCC Agent", roles=(Role.KCC,)))
    assert await _names(client, "paspoort") == ["Sanne de Boer"]


async def test_topic_search_ignores_case(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    add_topics: AddTopics,
) -> None:
    expert = await make_person("Wim Wmo")
    await add_topics(expert, "wmo")
    await login_as(await make_person("KCC Agent", roles=(Role.KCC,)))
    assert await _names(client, "WMO") == ["Wim Wmo"]


async def test_a_name_beginning_with_an_accented_capital_is_found(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Özlem Yılmaz")
    await login_as(await make_person("KCC Agent", roles=(Role.KCC,)))
    assert await _names(client, "Özlem") == ["Özlem Yılmaz"]


async def test_an_accented_capital_is_found_by_its_small_letter(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Émile Dubois")
    await login_as(await make_person("KCC Agent", roles=(Role.KCC,)))
    assert await _names(client, "émile") == ["Émile Dubois"]


async def test_part_of_a_topic_finds_it(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    add_topics: AddTopics,
) -> None:
    expert = await make_person("Olga Omgeving")
    await add_topics(expert, "omgevingsvergunning")
    await login_as(await make_person("KCC Agent", roles=(Role.KCC,)))
    assert await _names(client, "vergunning") == ["Olga Omgeving"]


async def test_colleagues_are_found_by_team(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
) -> None:
    team = await make_team("Burgerzaken")
    await make_person("Anna Balie", teams=(team,))
    await make_person("Bert Balie", teams=(team,))
    await make_person("Carla Elders")
    await login_as(await make_person("KCC Agent", roles=(Role.KCC,)))
    assert await _names(client, "burgerz") == ["Anna Balie", "Bert Balie"]


async def test_colleagues_are_found_by_name(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Mohammed El Amrani")
    await make_person("Lisa de Wit")
    await login_as(await make_person("KCC Agent", roles=(Role.KCC,)))
    assert await _names(client, "amrani") == ["Mohammed El Amrani"]


async def test_people_whose_name_matches_come_before_those_found_by_topic(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    add_topics: AddTopics,
) -> None:
    expert = await make_person("Anna Aalders")
    await add_topics(expert, "wmo-loket")
    await make_person("Wmo Zorgloket")
    await login_as(await make_person("KCC Agent", roles=(Role.KCC,)))
    assert await _names(client, "wmo") == ["Wmo Zorgloket", "Anna Aalders"]


async def _three_matches_for_a_limit_of_two(
    make_person: MakePerson, make_team: MakeTeam, monkeypatch: pytest.MonkeyPatch
) -> list[Person]:
    """Three people in team Burgerzaken (Anna, Bert and Cor Balie), and searches that show
    two matches at most."""
    monkeypatch.setattr(finder, "SEARCH_LIMIT", 2)
    team = await make_team("Burgerzaken")
    return [
        await make_person(name, teams=(team,)) for name in ("Anna Balie", "Bert Balie", "Cor Balie")
    ]


async def test_the_search_says_how_many_matched_in_all(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await _three_matches_for_a_limit_of_two(make_person, make_team, monkeypatch)
    await login_as(await make_person("KCC Agent", roles=(Role.KCC,)))
    response = await client.get(SEARCH, params={"q": "burgerzaken"})
    assert (len(response.json()["results"]), response.headers["x-total-count"]) == (2, "3")


async def test_the_finder_page_says_how_many_more_matched_than_it_shows(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await _three_matches_for_a_limit_of_two(make_person, make_team, monkeypatch)
    await login_as(await make_person("KCC Agent", roles=(Role.KCC,)))
    page = await client.get("/kcc", params={"q": "burgerzaken"})
    assert "Nog 1 resultaat wordt niet getoond." in page.text


async def _names_in_burgerzaken(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> list[str]:
    await login_as(await make_person("KCC Agent", roles=(Role.KCC,)))
    return await _names(client, "burgerzaken")


async def test_a_team_with_more_people_than_shown_shows_those_not_absent_now_first(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
    set_entry: SetEntry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    anna, _bert, _cor = await _three_matches_for_a_limit_of_two(make_person, make_team, monkeypatch)
    await set_entry(anna, TODAY, "morning", "absent")
    names = await _names_in_burgerzaken(client, make_person, login_as)
    assert sorted(names) == ["Bert Balie", "Cor Balie"]


async def test_absent_by_the_usual_week_counts_as_absent_now_in_the_choice(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
    set_pattern: SetPattern,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    anna, _bert, _cor = await _three_matches_for_a_limit_of_two(make_person, make_team, monkeypatch)
    await set_pattern(anna, TODAY.weekday(), "absent")
    names = await _names_in_burgerzaken(client, make_person, login_as)
    assert sorted(names) == ["Bert Balie", "Cor Balie"]


async def test_a_day_set_to_the_office_outweighs_an_absent_usual_week_in_the_choice(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
    set_pattern: SetPattern,
    set_entry: SetEntry,
    sites: Sites,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    anna, _bert, _cor = await _three_matches_for_a_limit_of_two(make_person, make_team, monkeypatch)
    await set_pattern(anna, TODAY.weekday(), "absent")
    await set_entry(anna, TODAY, "morning", "office", site=sites.town_hall)
    names = await _names_in_burgerzaken(client, make_person, login_as)
    assert "Anna Balie" in names


async def test_a_query_of_one_letter_finds_nobody(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Anna")
    await login_as(await make_person("KCC Agent", roles=(Role.KCC,)))
    assert await _names(client, "a") == []


async def test_the_finder_page_asks_for_two_letters_after_one_letter(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("KCC Agent", roles=(Role.KCC,)))
    page = await client.get("/kcc", params={"q": " a "})
    assert "Typ minstens twee letters." in page.text


async def test_the_finder_page_takes_spaces_alone_as_nothing_typed(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("KCC Agent", roles=(Role.KCC,)))
    page = await client.get("/kcc", params={"q": "  "})
    assert "Niemand gevonden" not in page.text
    assert "Typ een naam, een team of een onderwerp" in page.text


async def test_the_finder_page_searches_without_the_spaces_around_the_query(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Anna de Vries")
    await login_as(await make_person("KCC Agent", roles=(Role.KCC,)))
    page = await client.get("/kcc", params={"q": "  anna  de  "})
    assert "Anna de Vries" in page.text
    assert 'value="anna de"' in page.text


async def test_percent_signs_are_searched_literally(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Anna")
    await login_as(await make_person("KCC Agent", roles=(Role.KCC,)))
    assert await _names(client, "%%") == []


async def test_people_who_left_are_not_found(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Gerrit Gepensioneerd", active=False)
    await login_as(await make_person("KCC Agent", roles=(Role.KCC,)))
    assert await _names(client, "gerrit") == []


async def test_every_employee_may_search_colleagues(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Hanneke Hofstra")
    await login_as(await make_person("Gewone Medewerker"))
    assert await _names(client, "hofstra") == ["Hanneke Hofstra"]


async def test_a_match_says_where_they_are_now_and_how_to_reach_them(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    sites: Sites,
    set_entry: SetEntry,
) -> None:
    person = await make_person("Eva Claassen", phone="0201112233")
    await set_entry(person, TODAY, "morning", "office", site=sites.town_hall)
    await login_as(await make_person("KCC Agent", roles=(Role.KCC,)))
    hit = (await client.get(SEARCH, params={"q": "claassen"})).json()["results"][0]
    assert (
        hit["location"]["kind"],
        hit["location"]["site_name"],
        hit["reachable_now"],
        hit["channels"]["phone"],
        hit["until"],
    ) == ("office", "Stadhuis", True, "0201112233", "2026-11-25T13:00:00+01:00")


async def test_a_match_not_reachable_now_says_when_next(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    person = await make_person("Eva Claassen")
    await set_entry(person, TODAY, "morning", "absent")
    await set_entry(person, TODAY, "afternoon", "home")
    await login_as(await make_person("KCC Agent", roles=(Role.KCC,)))
    hit = (await client.get(SEARCH, params={"q": "claassen"})).json()["results"][0]
    assert (hit["reachable_now"], hit["next_reachable"]) == (False, "2026-11-25T13:00:00+01:00")


async def test_a_match_names_the_backup_colleague_and_their_status(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    backup = await make_person("Freek Vervanger", chat_handle="@freek")
    await set_entry(backup, TODAY, "morning", "home")
    person = await make_person("Eva Claassen", backup_id=backup.id)
    await set_entry(person, TODAY, "morning", "absent")
    await login_as(await make_person("KCC Agent", roles=(Role.KCC,)))
    hit = (await client.get(SEARCH, params={"q": "claassen"})).json()["results"][0]
    assert hit["backup"] == {
        "id": backup.id,
        "name": "Freek Vervanger",
        "reachable_now": True,
        "next_reachable": None,
        "channels": {"phone": None, "mobile": None, "chat_handle": "@freek"},
        "reach_by": ["chat_handle"],
    }


async def test_a_backup_at_home_is_to_be_tried_on_their_mobile_before_their_desk_phone(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    backup = await make_person("Freek Vervanger", phone="0594 70 204", mobile="06 63288105")
    await set_entry(backup, TODAY, "morning", "home")
    person = await make_person("Eva Claassen", backup_id=backup.id)
    await set_entry(person, TODAY, "morning", "absent")
    await login_as(await make_person("KCC Agent", roles=(Role.KCC,)))

    hit = (await client.get(SEARCH, params={"q": "claassen"})).json()["results"][0]

    assert hit["backup"]["reach_by"] == ["mobile", "phone"]


async def test_a_backup_not_reachable_now_has_no_channel_to_try(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    backup = await make_person("Freek Vervanger", mobile="06 63288105")
    await set_entry(backup, TODAY, "morning", "absent")
    await make_person("Eva Claassen", backup_id=backup.id)
    await login_as(await make_person("KCC Agent", roles=(Role.KCC,)))

    hit = (await client.get(SEARCH, params={"q": "claassen"})).json()["results"][0]

    assert hit["backup"]["reach_by"] == []


async def test_the_kcc_sees_the_area_in_search_results(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    person = await make_person("Ruben Buitendienst")
    await set_entry(person, TODAY, "morning", "on_location", area="Westerdorp")
    await login_as(await make_person("KCC Agent", roles=(Role.KCC,)))
    hit = (await client.get(SEARCH, params={"q": "ruben"})).json()["results"][0]
    assert hit["location"]["area"] == "Westerdorp"


async def test_a_colleague_does_not_see_the_area_in_search_results(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    person = await make_person("Ruben Buitendienst")
    await set_entry(person, TODAY, "morning", "on_location", area="Westerdorp")
    await login_as(await make_person("Gewone Medewerker"))
    response = await client.get(SEARCH, params={"q": "ruben"})
    assert response.json()["results"][0]["location"]["kind"] == "not_in"
    assert "Westerdorp" not in response.text


async def _arrange_people(
    db: AsyncSession,
    count: int,
    make_person: MakePerson,
    team: Team,
    sites: Sites,
    set_entry: SetEntry,
    set_pattern: SetPattern,
    set_hours: SetHours,
    book_desk: BookDesk,
) -> None:
    backup = await make_person("Vaste Vervanger")
    desk = Space(site_id=sites.satellite.id, name=f"Flexplek {team.name}", kind="desk")
    db.add(desk)
    await db.commit()
    for n in range(count):
        person = await make_person(f"Teamlid {n:02d}", teams=(team,), backup_id=backup.id)
        await set_pattern(person, TODAY.weekday(), "office", site=sites.satellite)
        if n % 3 == 0:
            await set_entry(person, TODAY, "afternoon", "on_location", area="Noord")
        if n % 4 == 0:
            other = await make_person(f"Dagvervanger {n:02d}")
            await set_hours(person, TODAY, note="Na 14:00", backup=other)
        if n == 1:
            await book_desk(person, desk, TODAY)


async def test_the_search_takes_the_same_number_of_queries_for_few_or_many_matches(
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    make_team: MakeTeam,
    as_viewer: AsViewer,
    sites: Sites,
    set_entry: SetEntry,
    set_pattern: SetPattern,
    set_hours: SetHours,
    book_desk: BookDesk,
) -> None:
    few, many = await make_team("Klein team"), await make_team("Groot team")
    arrange = (sites, set_entry, set_pattern, set_hours, book_desk)
    await _arrange_people(db, 3, make_person, few, *arrange)
    await _arrange_people(db, 24, make_person, many, *arrange)
    viewer = await as_viewer(await make_person("KCC Agent", roles=(Role.KCC,)))
    counts = []
    for query in ("klein team", "groot team"):
        db.expunge_all()
        with count_queries(db) as statements:
            found = await kcc_search(db, clock, viewer, query)
        counts.append((len(found.statuses), len(statements)))
    assert counts[0][0] == 3 and counts[1][0] == 24
    assert counts[0][1] == counts[1][1]


Entry = tuple[date, str, str]  # day, day part, kind
MakeExpert = Callable[..., Awaitable[Person]]


@pytest.fixture
def make_expert(make_person: MakePerson, add_topics: AddTopics, set_entry: SetEntry) -> MakeExpert:
    """Someone with a topic (none: found by name only) and where they work per half day."""

    async def make(name: str, topic: str | None, *entries: Entry) -> Person:
        person = await make_person(name)
        if topic:
            await add_topics(person, topic)
        for day, part, kind in entries:
            await set_entry(person, day, part, kind)
        return person

    return make


@pytest.fixture
async def as_kcc(make_person: MakePerson, login_as: LoginAs) -> None:
    await login_as(await make_person("KCC Agent", roles=(Role.KCC,)))


async def test_topic_matches_reachable_now_come_first(
    client: AsyncTestClient[Litestar], make_expert: MakeExpert, as_kcc: None
) -> None:
    await make_expert("Anna Afwezig", "paspoort", (TODAY, "morning", "absent"))
    await make_expert("Zoë Thuis", "paspoort", (TODAY, "morning", "home"))
    assert await _names(client, "paspoort") == ["Zoë Thuis", "Anna Afwezig"]


async def test_topic_matches_not_reachable_now_come_by_when_they_are_next_reachable(
    client: AsyncTestClient[Litestar], make_expert: MakeExpert, as_kcc: None
) -> None:
    await make_expert(
        "Anna Morgen",
        "wmo",
        (TODAY, "morning", "absent"),
        (TODAY, "afternoon", "absent"),
        (TOMORROW, "morning", "home"),
    )
    await make_expert(
        "Bob Middag", "wmo", (TODAY, "morning", "absent"), (TODAY, "afternoon", "home")
    )
    await make_expert("Aad Onbekend", "wmo")
    assert await _names(client, "wmo") == ["Bob Middag", "Anna Morgen", "Aad Onbekend"]


async def test_name_matches_keep_their_order_whoever_is_reachable(
    client: AsyncTestClient[Litestar], make_expert: MakeExpert, as_kcc: None
) -> None:
    await make_expert("Anna Jansen", None)
    await make_expert("Bert Jansen", None, (TODAY, "morning", "home"))
    assert await _names(client, "jansen") == ["Anna Jansen", "Bert Jansen"]


async def test_a_name_match_comes_before_a_reachable_topic_match(
    client: AsyncTestClient[Litestar], make_expert: MakeExpert, as_kcc: None
) -> None:
    await make_expert("Wmo Zorgloket", None)
    await make_expert("Anna Aalders", "wmo", (TODAY, "morning", "home"))
    assert await _names(client, "wmo") == ["Wmo Zorgloket", "Anna Aalders"]


async def test_a_surname_heard_on_the_phone_is_suggested_as_written(
    db: AsyncSession, make_person: MakePerson
) -> None:
    await make_person("Anouk Janssen")
    assert await finder.spelling_suggestions(db, "jansen") == ["Janssen"]


async def test_a_topic_spelled_almost_alike_is_suggested(
    db: AsyncSession, make_person: MakePerson, add_topics: AddTopics
) -> None:
    await add_topics(await make_person("Sanne de Boer"), "paspoort")
    assert await finder.spelling_suggestions(db, "pasport") == ["paspoort"]


async def test_a_team_spelled_almost_alike_is_suggested(
    db: AsyncSession, make_team: MakeTeam
) -> None:
    await make_team("Burgerzaken")
    assert await finder.spelling_suggestions(db, "burgerzakken") == ["Burgerzaken"]


async def test_nothing_is_suggested_for_a_word_unlike_any(
    db: AsyncSession, make_person: MakePerson
) -> None:
    await make_person("Anouk Janssen")
    assert await finder.spelling_suggestions(db, "omgevingsvergunning") == []


async def test_the_name_of_someone_who_left_is_not_suggested(
    db: AsyncSession, make_person: MakePerson
) -> None:
    await make_person("Anouk Janssen", active=False)
    assert await finder.spelling_suggestions(db, "jansen") == []


async def test_the_closest_suggestions_come_first_and_at_most_three(
    db: AsyncSession, make_person: MakePerson
) -> None:
    for name in ("Jan Jansenius", "Els Janssens", "Ria Janssen", "Tom Jansem", "Kees Jansma"):
        await make_person(name)
    assert await finder.spelling_suggestions(db, "jansen") == ["Janssen", "Janssens", "Jansem"]


async def test_the_api_suggests_what_was_meant_when_it_finds_nobody(
    client: AsyncTestClient[Litestar], make_person: MakePerson, as_kcc: None
) -> None:
    await make_person("Anouk Janssen")
    response = await client.get(SEARCH, params={"q": "jansen"})
    assert response.json() == {"results": [], "suggestions": ["Janssen"]}


async def test_the_api_suggests_nothing_when_it_finds_someone(
    client: AsyncTestClient[Litestar], make_person: MakePerson, as_kcc: None
) -> None:
    await make_person("Anouk Janssen")
    await make_person("Bert Jansen")
    response = await client.get(SEARCH, params={"q": "jansen"})
    assert response.json()["suggestions"] == []


async def test_a_search_that_finds_someone_does_not_look_for_suggestions(
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    as_viewer: AsViewer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await make_person("Bert Jansen")
    looked: list[str] = []

    async def spelling_suggestions(session: AsyncSession, query: str) -> list[str]:
        looked.append(query)
        return []

    monkeypatch.setattr(finder, "spelling_suggestions", spelling_suggestions)
    viewer = await as_viewer(await make_person("KCC Agent", roles=(Role.KCC,)))
    await kcc_search(db, clock, viewer, "jansen")
    assert looked == []
