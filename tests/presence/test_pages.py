"""The presence pages render, save without JavaScript, and answer htmx with partials."""

from __future__ import annotations

import re
from datetime import date

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson, MakeTeam
from tests.presence.conftest import (
    SATURDAY,
    TODAY,
    TOMORROW,
    AddTopics,
    SetEntry,
    SetPattern,
    Sites,
    at,
)
from werkplek.clock import FixedClock
from werkplek.people.models import Person, Role
from werkplek.presence.models import CallbackNote, DayReachability, WeeklyPattern, WorkLocation

HTMX = {"HX-Request": "true"}


async def test_my_week_shows_a_card_per_working_day(
    client: AsyncTestClient[Litestar], employee: dict[str, str], sites: Sites
) -> None:
    response = await client.get("/my-week")
    assert response.status_code == 200
    assert response.text.count('class="card presence-day"') == 5


async def test_my_week_with_a_week_it_cannot_read_answers_400(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.get("/my-week", params={"week": "2026-13-45"})

    assert response.status_code == 400


async def test_my_week_with_a_week_it_cannot_read_says_how_to_write_a_date(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.get("/my-week", params={"week": "2026-13-45"})

    assert "„2026-13-45” is geen datum: schrijf die als jjjj-mm-dd" in response.text


async def test_my_week_with_a_week_it_cannot_read_links_back_to_this_week(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.get("/my-week", params={"week": "2026-13-45"})

    assert '<a class="button" href="/my-week">Terug naar deze week</a>' in response.text


async def test_my_week_beyond_the_horizon_answers_422(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.get("/my-week", params={"week": "2027-06-01"})

    assert response.status_code == 422


async def test_my_week_beyond_the_horizon_says_how_far_ahead_one_may_plan(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.get("/my-week", params={"week": "2027-06-01"})

    assert "U kunt maximaal 90 dagen vooruit plannen." in response.text


async def test_my_week_beyond_the_horizon_names_the_days_one_can_plan(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.get("/my-week", params={"week": "2027-06-01"})

    assert (
        "U kunt de dagen van zondag 25 oktober 2026 tot en met dinsdag 23 februari 2027"
        " bekijken en plannen." in response.text
    )


async def test_my_week_too_long_ago_says_so(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.get("/my-week", params={"week": "2026-01-05"})

    assert "meer dan 31 dagen geleden" in response.text


async def test_saving_a_day_beyond_the_horizon_with_htmx_returns_a_card_not_a_page(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.post("/my-week/2027-06-01", data={"morning": "home"}, headers=HTMX)

    assert "<html" not in response.text and 'id="day-2027-06-01"' in response.text


async def test_saving_a_day_beyond_the_horizon_with_htmx_says_why_in_the_card(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.post("/my-week/2027-06-01", data={"morning": "home"}, headers=HTMX)

    assert response.status_code == 422 and "U kunt maximaal 90 dagen vooruit plannen." in (
        response.text
    )


async def test_saving_a_day_that_is_no_date_with_htmx_says_so_in_the_card(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.post("/my-week/2026-13-45", data={"morning": "home"}, headers=HTMX)

    assert response.status_code == 400 and "<html" not in response.text
    assert "„2026-13-45” is geen datum" in response.text


async def test_saving_a_day_that_is_no_date_without_javascript_shows_the_page_saying_so(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.post("/my-week/2026-13-45", data={"morning": "home"})

    assert response.status_code == 400 and "Terug naar deze week" in response.text


async def test_my_week_opens_on_the_coming_week_at_the_weekend(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs, clock: FixedClock
) -> None:
    clock.set(at(SATURDAY, 11))
    await login_as(await make_person())
    response = await client.get("/my-week")
    assert "Week van maandag 30 november" in response.text


async def test_my_week_links_back_to_the_coming_week_at_the_weekend(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs, clock: FixedClock
) -> None:
    clock.set(at(SATURDAY, 11))
    await login_as(await make_person())
    response = await client.get("/my-week", params={"week": TODAY.isoformat()})
    assert '<a href="/my-week">Komende week</a>' in response.text


async def test_my_week_offers_offices_and_field_bases_but_not_community_venues(
    client: AsyncTestClient[Litestar], employee: dict[str, str], sites: Sites
) -> None:
    response = await client.get("/my-week")
    assert f'value="office:{sites.town_hall.id}"' in response.text
    assert f'value="field_base:{sites.depot.id}"' in response.text
    assert f':{sites.village_hall.id}"' not in response.text


async def test_my_week_lists_offices_under_their_kind_by_site_name_alone(
    client: AsyncTestClient[Litestar], employee: dict[str, str], sites: Sites
) -> None:
    response = await client.get("/my-week")

    offices = response.text.split('<optgroup label="Kantoor">', 1)[1].split("</optgroup>", 1)[0]
    assert re.findall(r">([^<]+)</option>", offices) == ["Satelliet Noord", "Stadhuis"]


async def test_my_week_names_the_usual_backup_below_the_backup_choice(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    backup = await make_person("Jeroen van der Heijden-Brouwer")
    await login_as(await make_person(backup_id=backup.id))

    response = await client.get("/my-week")

    assert "Uw vaste achtervang is Jeroen van der Heijden-Brouwer." in response.text


async def test_saving_a_day_without_javascript_redirects_back_to_the_week(
    client: AsyncTestClient[Litestar], employee: dict[str, str], db: AsyncSession, sites: Sites
) -> None:
    response = await client.post(
        f"/my-week/{TODAY.isoformat()}",
        data={"morning": f"office:{sites.town_hall.id}", "afternoon": "home"},
        follow_redirects=False,
    )
    assert response.status_code in (302, 303)
    assert response.headers["location"].startswith("/my-week?week=2026-11-25")


async def test_saving_a_day_stores_both_half_days(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
    sites: Sites,
) -> None:
    person = await make_person()
    await login_as(person)
    await client.post(
        f"/my-week/{TODAY.isoformat()}",
        data={"morning": f"office:{sites.town_hall.id}", "afternoon": "home"},
        headers=HTMX,
    )
    await db.rollback()
    kinds = (
        await db.execute(
            select(WorkLocation.day_part, WorkLocation.kind).where(
                WorkLocation.person_id == person.id
            )
        )
    ).all()
    assert sorted(kinds) == [("afternoon", "home"), ("morning", "office")]


async def test_the_whole_day_choice_sets_both_half_days(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    person = await make_person()
    await login_as(person)
    await client.post(
        f"/my-week/{TODAY.isoformat()}",
        data={"morning": "", "afternoon": "", "whole_day": "home"},
        headers=HTMX,
    )
    await db.rollback()
    kinds = (
        await db.execute(select(WorkLocation.kind).where(WorkLocation.person_id == person.id))
    ).scalars()
    assert sorted(kinds) == ["home", "home"]


async def test_saving_a_day_with_htmx_returns_just_that_card(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.post(
        f"/my-week/{TODAY.isoformat()}", data={"morning": "home"}, headers=HTMX
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert f'id="day-{TODAY.isoformat()}"' in response.text


async def test_an_invalid_day_comes_back_as_the_card_with_the_error(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.post(
        f"/my-week/{TODAY.isoformat()}", data={"morning": "on_location", "area": ""}, headers=HTMX
    )
    assert response.status_code == 422
    assert 'role="alert"' in response.text


async def test_a_refused_day_names_a_missing_area_and_wrong_hours_at_once(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.post(
        f"/my-week/{TODAY.isoformat()}",
        data={
            "morning": "on_location",
            "afternoon": "on_location",
            "area": "",
            "reachable_from": "16:00",
            "reachable_until": "09:00",
        },
        headers=HTMX,
    )

    assert response.status_code == 422
    assert response.text.count("Vul bij werken op locatie de wijk of het dorp in.") == 2
    assert response.text.count("Het begin van de bereikbaarheid moet voor het einde liggen.") == 2


async def test_back_to_automatic_removes_the_days_entries(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    person = await make_person()
    await set_entry(person, TODAY, "morning", "home")
    await login_as(person)
    await client.post(f"/my-week/{TODAY.isoformat()}", data={"action": "reset"}, headers=HTMX)
    await db.rollback()
    left = (await db.execute(select(WorkLocation).where(WorkLocation.person_id == person.id))).all()
    assert left == []


async def test_the_pattern_page_saves_the_usual_week(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
    sites: Sites,
) -> None:
    person = await make_person()
    await login_as(person)
    response = await client.post(
        "/my-week/pattern",
        data={"morning_0": f"office:{sites.town_hall.id}", "afternoon_0": "home"},
        follow_redirects=False,
    )
    assert response.status_code in (302, 303)
    await db.rollback()
    row = (
        await db.execute(select(WeeklyPattern).where(WeeklyPattern.person_id == person.id))
    ).scalar_one()
    assert (row.weekday, row.morning_kind, row.afternoon_kind) == (0, "office", "home")


async def test_the_pattern_page_shows_a_wrong_site_as_an_error(
    client: AsyncTestClient[Litestar], employee: dict[str, str], sites: Sites
) -> None:
    response = await client.post("/my-week/pattern", data={"morning_1": f"office:{sites.depot.id}"})
    assert response.status_code == 422
    assert "Gemeentewerf" in response.text


async def test_the_pattern_page_names_the_day_whose_reachable_hours_end_before_they_start(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.post("/my-week/pattern", data={"from_0": "17:00", "until_0": "08:00"})
    assert response.status_code == 422
    assert (
        "Op maandag: Het begin van de bereikbaarheid moet voor het einde liggen." in response.text
    )


async def test_the_pattern_page_names_the_half_day_of_a_refused_location_as_one_word(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.post("/my-week/pattern", data={"morning_0": "on_location"})
    assert response.status_code == 422
    assert "Op maandagochtend: Vul bij werken op locatie de wijk of het dorp in." in response.text


async def test_the_pattern_page_names_every_refused_day_at_once(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.post(
        "/my-week/pattern",
        data={"morning_0": "on_location", "from_2": "17:00", "until_2": "08:00"},
    )
    assert "Op maandagochtend:" in response.text
    assert "Op woensdag:" in response.text


async def test_the_pattern_page_marks_both_hours_of_the_day_whose_range_is_wrong(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.post("/my-week/pattern", data={"from_0": "17:00", "until_0": "08:00"})
    assert 'id="hours_0-error"' in response.text
    for name in ("from_0", "until_0"):
        assert re.search(
            rf'id="{name}"[^>]*aria-invalid="true" aria-describedby="hours_0-error"', response.text
        )
    assert not re.search(r'id="from_1"[^>]*aria-invalid', response.text)


async def test_the_pattern_page_keeps_what_was_entered_when_it_is_refused(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.post(
        "/my-week/pattern",
        data={"morning_0": "home", "from_0": "17:00", "until_0": "08:00", "from_2": "09:00"},
    )
    assert '<option value="home" selected>' in response.text
    assert re.search(r'id="from_0"[^>]*value="17:00"', response.text)
    assert re.search(r'id="until_0"[^>]*value="08:00"', response.text)


async def test_the_pattern_page_marks_the_select_of_a_wrong_site(
    client: AsyncTestClient[Litestar], employee: dict[str, str], sites: Sites
) -> None:
    response = await client.post("/my-week/pattern", data={"morning_1": f"office:{sites.depot.id}"})
    assert re.search(
        r'id="morning_1"[^>]*aria-invalid="true" aria-describedby="morning_1-error"',
        response.text,
    )


async def test_the_kcc_page_renders_with_the_search_box(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person(roles=(Role.KCC,)))
    response = await client.get("/kcc")
    assert response.status_code == 200
    assert 'hx-trigger="submit, input changed delay:250ms"' in response.text


async def test_the_finder_searches_without_javascript_through_a_plain_get_form(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person(roles=(Role.KCC,)))
    response = await client.get("/kcc")
    assert '<form method="get" action="/kcc" role="search"' in response.text


async def test_the_english_kcc_page_suggests_topics_in_the_dutch_they_are_recorded_in(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person(roles=(Role.KCC,), language="en"))
    response = await client.get("/kcc")
    assert "e.g. paspoort, WMO" in response.text
    assert "such as paspoort or WMO" in response.text


async def test_the_finders_team_board_choice_starts_on_the_viewers_own_team(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
) -> None:
    await make_team("Afval")
    own = await make_team("Burgerzaken")
    await login_as(await make_person(teams=(own,)))
    response = await client.get("/kcc")
    assert f'<option value="{own.id}" selected>' in response.text


async def test_a_search_that_finds_nobody_suggests_checking_the_spelling(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person(roles=(Role.KCC,)))

    response = await client.get("/kcc", params={"q": "pasport"})

    assert "Niemand gevonden voor ‘pasport’. Controleer de spelling" in response.text


async def test_a_search_that_finds_nobody_offers_a_name_spelled_almost_alike(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Anouk Janssen")
    await login_as(await make_person(roles=(Role.KCC,)))

    response = await client.get("/kcc", params={"q": "jansen"})

    text = " ".join(response.text.split())
    assert 'Bedoelde u: <a href="/kcc?q=Janssen">Janssen</a>?' in text


async def test_a_search_that_finds_someone_offers_no_other_spelling(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Anouk Janssen")
    await make_person("Ria Jansen")
    await login_as(await make_person(roles=(Role.KCC,)))

    response = await client.get("/kcc", params={"q": "jansen"})

    assert "Bedoelde u" not in response.text


async def test_the_kcc_page_offers_a_backup_at_home_on_their_mobile_alone(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    backup = await make_person("Freek Vervanger", phone="0594 70 204", mobile="06 63288105")
    await set_entry(backup, TODAY, "morning", "home")
    await make_person("Eva Claassen", backup_id=backup.id)
    await login_as(await make_person(roles=(Role.KCC,)))

    response = await client.get("/kcc", params={"q": "claassen"})

    assert 'href="tel:0663288105"' in response.text
    assert 'href="tel:059470204"' not in response.text


async def test_the_finder_mutes_the_channels_of_someone_not_reachable_now(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Eva Claassen", phone="0594 70 204")
    await login_as(await make_person(roles=(Role.KCC,)))

    response = await client.get("/kcc", params={"q": "claassen"})
    row = response.text.split("Eva Claassen", 1)[1].split("</tr>", 1)[0]

    assert '<td data-label="Bereikbaar via" class="presence-later">' in row
    assert 'href="tel:059470204"' in row


async def test_the_finder_does_not_mute_the_channels_of_someone_reachable_now(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    reachable = await make_person("Eva Claassen", phone="0594 70 204")
    await set_entry(reachable, TODAY, "morning", "home")
    await login_as(await make_person(roles=(Role.KCC,)))

    response = await client.get("/kcc", params={"q": "claassen"})
    row = response.text.split("Eva Claassen", 1)[1].split("</tr>", 1)[0]

    assert 'href="tel:059470204"' in row
    assert "presence-later" not in row


async def test_the_kcc_htmx_search_returns_only_result_rows(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    add_topics: AddTopics,
) -> None:
    await login_as(await make_person(roles=(Role.KCC,)))
    expert = await make_person("Sanne Paspoortexpert")
    await add_topics(expert, "paspoort")
    response = await client.get(
        "/kcc", params={"q": "paspoort"}, headers={**HTMX, "HX-Target": "kcc-results"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.strip().startswith("<tr")
    assert "Sanne Paspoortexpert" in response.text


async def test_the_kcc_page_without_javascript_shows_results_in_the_full_page(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person(roles=(Role.KCC,)))
    await make_person("Bram de Vries")
    response = await client.get("/kcc", params={"q": "bram"})
    assert "<html" in response.text
    assert "Bram de Vries" in response.text


async def test_the_team_board_menu_item_opens_the_board_of_the_team_one_leads(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
) -> None:
    member_of = await make_team("Afval")
    led = await make_team("Burgerzaken")
    await login_as(await make_person(teams=(member_of,), lead_of=(led,)))

    response = await client.get("/teams/board", follow_redirects=False)

    assert response.headers["location"] == f"/teams/{led.id}/board"


async def test_the_team_board_menu_item_opens_ones_own_teams_board(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
) -> None:
    own = await make_team("Afval")
    await login_as(await make_person(teams=(own,)))

    response = await client.get("/teams/board", follow_redirects=False)

    assert response.headers["location"] == f"/teams/{own.id}/board"


async def test_the_team_board_menu_item_opens_the_finder_for_someone_in_no_team(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.get("/teams/board", follow_redirects=False)

    assert response.headers["location"] == "/kcc"


async def test_a_teams_board_is_current_in_the_menu_as_the_team_board(
    client: AsyncTestClient[Litestar], employee: dict[str, str], make_team: MakeTeam
) -> None:
    team = await make_team("Vergunningen")

    response = await client.get(f"/teams/{team.id}/board")

    assert 'href="/teams/board" aria-current="page"' in response.text


async def test_the_team_board_page_lists_the_members(
    client: AsyncTestClient[Litestar],
    employee: dict[str, str],
    db: AsyncSession,
    make_person: MakePerson,
    make_team: MakeTeam,
    set_pattern: SetPattern,
) -> None:
    team = await make_team("Vergunningen")
    member = await make_person("Fatima Yilmaz", teams=(team,))
    await set_pattern(member, TODAY.weekday(), "home")
    response = await client.get(f"/teams/{team.id}/board")
    assert response.status_code == 200
    assert "Fatima Yilmaz" in response.text


async def test_the_team_board_page_shows_only_the_channel_to_try_first(
    client: AsyncTestClient[Litestar],
    employee: dict[str, str],
    make_person: MakePerson,
    make_team: MakeTeam,
    set_entry: SetEntry,
) -> None:
    team = await make_team("Vergunningen")
    member = await make_person(teams=(team,), phone="0594 70 204", mobile="06 63288105")
    await set_entry(member, TODAY, "morning", "home")

    response = await client.get(f"/teams/{team.id}/board")

    assert 'href="tel:0663288105"' in response.text
    assert 'href="tel:0594 70 204"' not in response.text
    assert 'href="tel:059470204"' not in response.text


async def test_the_team_board_page_names_the_site_of_an_office_half_day_alone(
    client: AsyncTestClient[Litestar],
    employee: dict[str, str],
    make_person: MakePerson,
    make_team: MakeTeam,
    set_entry: SetEntry,
    sites: Sites,
) -> None:
    team = await make_team("Vergunningen")
    member = await make_person(teams=(team,))
    await set_entry(member, TODAY, "morning", "office", site=sites.satellite)

    response = await client.get(f"/teams/{team.id}/board")

    assert '<span class="visually-hidden">Kantoor: </span>Satelliet Noord' in response.text


async def test_a_colleagues_name_on_the_team_board_leads_to_how_to_reach_them(
    client: AsyncTestClient[Litestar],
    employee: dict[str, str],
    make_person: MakePerson,
    make_team: MakeTeam,
) -> None:
    team = await make_team("Vergunningen")
    await make_person("Fatima Yilmaz", teams=(team,))

    response = await client.get(f"/teams/{team.id}/board")

    assert 'href="/kcc?q=Fatima%20Yilmaz"' in response.text


async def test_the_kcc_finds_a_link_to_subscribe_to_the_teams_calendar_on_its_board(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
) -> None:
    team = await make_team("Vergunningen")
    await login_as(await make_person(roles=(Role.KCC,)))

    response = await client.get(f"/teams/{team.id}/board")

    assert f'href="/feeds?scope=team:{team.id}"' in response.text


async def test_a_colleague_who_may_not_subscribe_to_a_team_finds_no_link_on_its_board(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
) -> None:
    team = await make_team("Vergunningen")
    await login_as(await make_person(teams=(team,)))

    response = await client.get(f"/teams/{team.id}/board")

    assert "/feeds?scope=" not in response.text


async def test_the_team_board_page_opens_on_the_coming_week_at_the_weekend(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
    clock: FixedClock,
) -> None:
    team = await make_team("Vergunningen")
    clock.set(at(SATURDAY, 11))
    await login_as(await make_person())
    response = await client.get(f"/teams/{team.id}/board")
    assert "Week van maandag 30 november" in response.text


async def test_the_team_board_page_with_a_date_it_cannot_read_shows_this_week(
    client: AsyncTestClient[Litestar], employee: dict[str, str], make_team: MakeTeam
) -> None:
    team = await make_team("Vergunningen")
    response = await client.get(f"/teams/{team.id}/board", params={"date": "abc"})
    assert response.status_code == 200
    assert "maandag 23 november" in response.text


async def test_the_callback_notes_page_offers_the_kcc_a_form(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    colleague = await make_person("Kees Jansen")
    await login_as(await make_person(roles=(Role.KCC,)))
    response = await client.get("/callback-notes", params={"person": colleague.id})
    assert response.status_code == 200
    assert 'name="callback_number"' in response.text
    assert "Kees Jansen" in response.text


def _note_form_of(page: str) -> str:
    """The callback note form of a page."""
    form = re.search(r'<form method="post" action="/callback-notes".*?</form>', page, re.DOTALL)
    assert form is not None
    return form.group()


async def test_the_colleague_search_button_is_part_of_the_note_form(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person(roles=(Role.KCC,)))

    form = _note_form_of((await client.get("/callback-notes")).text)

    assert re.search(r'<button type="submit" name="find_people"[^>]*formnovalidate', form)


async def _search_colleague(client: AsyncTestClient[Litestar], find: str, **typed: str) -> str:
    """The note form sent by its colleague box's Search button (as without the script)."""
    data = {"person_id": "", "find": find, "find_people": "1", **typed}
    response = await client.post("/callback-notes", data=data)
    assert response.status_code == 200
    return response.text


async def test_searching_for_a_colleague_without_script_keeps_the_typed_question(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person(roles=(Role.KCC,)))

    page = await _search_colleague(client, "jansen", question="Wanneer is mijn paspoort klaar?")

    assert ">Wanneer is mijn paspoort klaar?</textarea>" in page


async def test_searching_for_a_colleague_without_script_keeps_the_callback_number(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person(roles=(Role.KCC,)))

    page = await _search_colleague(client, "jansen", callback_number="06 12345678")

    assert re.search(r'id="callback_number"[^>]*value="06 12345678"', page)


async def test_searching_for_a_colleague_stores_no_note(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    kees = await make_person("Kees Jansen")
    await login_as(await make_person(roles=(Role.KCC,)))

    await _search_colleague(
        client,
        "jansen",
        person_id=str(kees.id),
        callback_number="06 12345678",
        question="Wanneer is mijn paspoort klaar?",
    )

    assert (await db.execute(select(CallbackNote))).first() is None


async def test_searching_for_a_colleague_reports_no_missing_field(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person(roles=(Role.KCC,)))

    page = await _search_colleague(client, "jansen")

    assert 'role="alert"' not in page


async def test_the_search_button_narrows_the_colleagues_to_matching_names(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Anna Aalders")
    kees = await make_person("Kees Jansen")
    await login_as(await make_person("Yasmina", roles=(Role.KCC,)))

    page = await _search_colleague(client, "jansen")

    select_html = re.search(r'<select id="person_id".*?</select>', page, re.DOTALL)
    assert select_html is not None
    assert re.findall(r'<option value="(\d+)"', select_html.group()) == [str(kees.id)]


async def test_the_note_form_searched_for_a_colleague_chooses_the_first_found(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Anna Aalders")
    kees = await make_person("Kees Jansen")
    await make_person("Piet Jansen")
    await login_as(await make_person("Yasmina", roles=(Role.KCC,)))

    page = await _search_colleague(client, " jansen ")

    assert re.findall(r'<option value="(\d+)"[^>]*selected', page) == [str(kees.id)]
    assert re.search(r'id="person_id-search"[^>]*value="jansen"', page)


async def test_the_note_form_searched_for_a_colleague_keeps_the_one_chosen(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Kees Jansen")
    piet = await make_person("Piet Jansen")
    await login_as(await make_person("Yasmina", roles=(Role.KCC,)))

    page = await _search_colleague(client, "jansen", person_id=str(piet.id))

    assert re.findall(r'<option value="(\d+)"[^>]*selected', page) == [str(piet.id)]


async def test_the_colleague_search_keeps_the_finders_search_to_go_back_to(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person(roles=(Role.KCC,)))

    page = await _search_colleague(client, "jansen", q="paspoort")

    assert '<input type="hidden" name="q" value="paspoort">' in page


async def test_a_note_sent_with_a_name_in_the_colleague_box_is_left(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    kees = await make_person("Kees Jansen")
    await login_as(await make_person(roles=(Role.KCC,)))

    await client.post(
        "/callback-notes",
        data={
            "person_id": str(kees.id),
            "find": "jansen",
            "callback_number": "06 12345678",
            "question": "Wanneer is mijn paspoort klaar?",
        },
    )

    note = (await db.execute(select(CallbackNote))).scalar_one()
    assert note.person_id == kees.id


async def test_the_first_button_of_the_note_form_is_the_hidden_one_enter_presses(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person(roles=(Role.KCC,)))

    form = _note_form_of((await client.get("/callback-notes")).text)

    first = re.search(r"<button[^>]*>", form)
    assert first is not None
    assert "hidden" in first.group() and "name=" not in first.group()


async def test_the_note_form_searched_for_a_colleague_carries_the_search_it_shows(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person(roles=(Role.KCC,)))

    page = await _search_colleague(client, "jansen")

    assert '<input type="hidden" name="found" value="jansen"' in page


async def test_the_colleague_search_comes_back_as_it_was_typed(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Kees Jansen")
    await login_as(await make_person(roles=(Role.KCC,)))

    page = await _search_colleague(client, " Kees   JANSEN ")

    assert re.search(r'id="person_id-search"[^>]*value="Kees JANSEN"', page)


async def test_the_colleague_search_finds_names_whatever_the_case_typed(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    kees = await make_person("Kees Jansen")
    await login_as(await make_person(roles=(Role.KCC,)))

    page = await _search_colleague(client, "JANSEN")

    assert re.findall(r'<option value="(\d+)"[^>]*selected', page) == [str(kees.id)]


async def test_enter_in_the_note_form_with_its_search_unchanged_leaves_the_note(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    kees = await make_person("Kees Jansen")
    await login_as(await make_person(roles=(Role.KCC,)))

    response = await client.post(
        "/callback-notes",
        data=_note_form(kees, find="Jansen", found="Jansen"),
        follow_redirects=False,
    )

    assert response.status_code in (302, 303)
    await db.rollback()
    note = (await db.execute(select(CallbackNote))).scalar_one()
    assert note.person_id == kees.id


async def test_enter_in_the_note_form_with_its_search_changed_leaves_no_note(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    kees = await make_person("Kees Jansen")
    await login_as(await make_person(roles=(Role.KCC,)))

    await client.post("/callback-notes", data=_note_form(kees, find="smeding", found=""))

    await db.rollback()
    assert (await db.execute(select(CallbackNote))).first() is None


async def test_enter_in_the_note_form_with_its_search_changed_narrows_the_colleagues(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    kees = await make_person("Kees Jansen")
    eline = await make_person("Eline Smeding")
    await login_as(await make_person(roles=(Role.KCC,)))

    response = await client.post("/callback-notes", data=_note_form(kees, find="smeding", found=""))

    select_html = re.search(r'<select id="person_id".*?</select>', response.text, re.DOTALL)
    assert select_html is not None
    assert response.status_code == 200
    assert re.findall(r'<option value="(\d+)"', select_html.group()) == [str(eline.id)]


async def test_ctrl_enter_in_the_question_is_offered_as_its_shortcut(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person(roles=(Role.KCC,)))

    page = (await client.get("/callback-notes")).text

    assert re.search(
        r'<textarea id="question"[^>]*aria-keyshortcuts="Control\+Enter Meta\+Enter"', page
    )


async def test_the_kcc_leaves_a_note_through_the_form(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    colleague = await make_person("Kees Jansen")
    await login_as(await make_person(roles=(Role.KCC,)))
    response = await client.post(
        "/callback-notes",
        data={
            "person_id": str(colleague.id),
            "callback_number": "06 12345678",
            "question": "Vraag over de omgevingsvergunning voor een dakkapel.",
        },
        follow_redirects=False,
    )
    assert response.status_code in (302, 303)
    await db.rollback()
    note = (await db.execute(select(CallbackNote))).scalar_one()
    assert note.person_id == colleague.id


def _note_form(colleague: Person, **changes: str) -> dict[str, str]:
    """The note form for ``colleague`` as sent; ``find`` and ``found`` as the hidden
    default button sends them without the script when Enter is pressed in a field."""
    return {
        "person_id": str(colleague.id),
        "callback_number": "06 12345678",
        "question": "Vraag over de omgevingsvergunning voor een dakkapel.",
        **changes,
    }


async def _only_note(db: AsyncSession) -> CallbackNote:
    await db.rollback()
    return (await db.execute(select(CallbackNote))).scalar_one()


async def test_a_finder_row_offers_a_callback_note_that_keeps_the_search(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    colleague = await make_person("Kees Jansen")
    await login_as(await make_person(roles=(Role.KCC,)))
    response = await client.get("/kcc", params={"q": "kees jansen"})
    assert f'href="/callback-notes?person={colleague.id}&amp;q=kees%20jansen"' in response.text


async def test_the_note_form_started_from_a_search_leads_back_to_it(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    colleague = await make_person("Kees Jansen")
    await login_as(await make_person(roles=(Role.KCC,)))
    response = await client.get("/callback-notes", params={"person": colleague.id, "q": "jansen"})
    assert '<input type="hidden" name="q" value="jansen">' in response.text
    assert '<a href="/kcc?q=jansen">iemand anders</a>' in response.text


async def test_the_note_form_for_a_chosen_colleague_starts_in_its_first_field(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    colleague = await make_person("Kees Jansen")
    await login_as(await make_person(roles=(Role.KCC,)))
    response = await client.get("/callback-notes", params={"person": colleague.id})
    assert re.search(r'<input id="resident_name"[^>]* autofocus>', response.text)


async def test_a_note_left_from_a_search_goes_back_to_that_search_naming_the_note(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    colleague = await make_person("Kees Jansen")
    await login_as(await make_person(roles=(Role.KCC,)))
    response = await client.post(
        "/callback-notes", data=_note_form(colleague, q="kees jansen"), follow_redirects=False
    )
    note = await _only_note(db)
    assert response.status_code in (302, 303)
    assert response.headers["location"] == f"/kcc?q=kees+jansen&created={note.id}"


async def test_a_note_left_on_the_notes_page_comes_back_there_naming_the_note(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    colleague = await make_person("Kees Jansen")
    await login_as(await make_person(roles=(Role.KCC,)))
    response = await client.post(
        "/callback-notes", data=_note_form(colleague), follow_redirects=False
    )
    note = await _only_note(db)
    assert response.headers["location"] == f"/callback-notes?created={note.id}"


async def test_the_finder_says_for_whom_the_note_just_left_is(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    colleague = await make_person("Kees Jansen")
    await login_as(await make_person(roles=(Role.KCC,)))
    await client.post("/callback-notes", data=_note_form(colleague, q="jansen"))
    note = await _only_note(db)

    response = await client.get("/kcc", params={"q": "jansen", "created": note.id})

    assert (
        "Het terugbelverzoek voor Kees Jansen is vastgelegd, met terugbelnummer 06 12345678."
        in response.text
    )


async def test_the_notes_page_marks_the_note_just_left(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    colleague = await make_person("Kees Jansen")
    await login_as(await make_person(roles=(Role.KCC,)))
    await client.post("/callback-notes", data=_note_form(colleague))
    note = await _only_note(db)

    response = await client.get("/callback-notes", params={"created": note.id})

    assert f'<tr id="sent-note-{note.id}" class="presence-just-left">' in response.text
    assert "Het terugbelverzoek voor Kees Jansen is vastgelegd" in response.text


async def test_showing_the_confirmation_again_leaves_no_second_note(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    colleague = await make_person("Kees Jansen")
    await login_as(await make_person(roles=(Role.KCC,)))
    left = await client.post(
        "/callback-notes", data=_note_form(colleague, q="jansen"), follow_redirects=False
    )

    await client.get(left.headers["location"])
    await client.get(left.headers["location"])

    await db.rollback()
    assert len((await db.execute(select(CallbackNote))).scalars().all()) == 1


async def test_the_finder_does_not_confirm_a_note_another_agent_left(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    colleague = await make_person("Kees Jansen")
    await login_as(await make_person(roles=(Role.KCC,)))
    await client.post("/callback-notes", data=_note_form(colleague))
    note = await _only_note(db)
    await login_as(await make_person("Andere Agent", roles=(Role.KCC,)))

    response = await client.get("/kcc", params={"created": note.id})

    assert response.status_code == 200
    assert "Kees Jansen" not in response.text


async def test_a_refused_note_keeps_the_search_it_came_from(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    colleague = await make_person("Kees Jansen")
    await login_as(await make_person(roles=(Role.KCC,)))
    response = await client.post(
        "/callback-notes", data=_note_form(colleague, q="jansen", callback_number="")
    )
    assert response.status_code == 422
    assert '<input type="hidden" name="q" value="jansen">' in response.text


async def test_a_refused_note_names_each_empty_field_and_links_to_it(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    colleague = await make_person("Kees Jansen")
    await login_as(await make_person(roles=(Role.KCC,)))
    response = await client.post(
        "/callback-notes", data=_note_form(colleague, callback_number="", question="")
    )
    assert '<li><a href="#callback_number">Terugbelnummer</a>: Vul dit veld in.</li>' in (
        response.text
    )
    assert '<li><a href="#question">Vraag van de inwoner</a>: Vul dit veld in.</li>' in (
        response.text
    )


async def test_the_note_form_says_when_a_colleague_not_reachable_now_is_again(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    colleague = await make_person("Kees Jansen")
    await set_entry(colleague, TOMORROW, "morning", "home")
    await login_as(await make_person(roles=(Role.KCC,)))

    response = await client.get("/callback-notes", params={"person": colleague.id})

    assert "Kees Jansen is nu niet bereikbaar, weer vanaf morgen 08:30." in response.text


async def test_the_note_form_offers_the_backup_of_a_colleague_not_reachable_now(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    backup = await make_person("Freek Vervanger")
    colleague = await make_person("Kees Jansen", backup_id=backup.id)
    await login_as(await make_person(roles=(Role.KCC,)))

    response = await client.get("/callback-notes", params={"person": colleague.id, "q": "jansen"})

    assert "Achtervang: Freek Vervanger" in response.text
    assert f'href="/callback-notes?person={backup.id}&amp;q=jansen"' in response.text


async def test_the_note_form_says_nothing_of_reachability_for_a_colleague_reachable_now(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    colleague = await make_person("Kees Jansen")
    await set_entry(colleague, TODAY, "morning", "home")
    await login_as(await make_person(roles=(Role.KCC,)))

    response = await client.get("/callback-notes", params={"person": colleague.id})

    assert "addressee-away" not in response.text


async def test_each_remove_button_of_the_notes_i_left_names_its_note(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    """A screen reader lists the buttons by name: "Verwijderen" alone, five times, says
    nothing of which note each removes."""
    colleague = await make_person("Kees Jansen")
    await login_as(await make_person(roles=(Role.KCC,)))
    await client.post("/callback-notes", data=_note_form(colleague))

    page = (await client.get("/callback-notes")).text

    assert (
        'Verwijderen<span class="visually-hidden"> het terugbelverzoek voor Kees Jansen van 10:00'
        in page
    )


async def test_the_notes_i_left_name_their_status_on_a_phone(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    colleague = await make_person("Kees Jansen")
    await login_as(await make_person(roles=(Role.KCC,)))
    await client.post("/callback-notes", data=_note_form(colleague))

    page = (await client.get("/callback-notes")).text

    assert '<td data-label="Status"><span class="badge warn">Open</span>' in page


async def test_removing_a_note_on_the_page_asks_first_naming_it(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    colleague = await make_person("Kees Jansen")
    await login_as(await make_person(roles=(Role.KCC,)))
    await client.post("/callback-notes", data=_note_form(colleague))
    note = await _only_note(db)

    asked = await client.post(f"/callback-notes/{note.id}/delete")

    assert asked.status_code == 200
    assert "Het terugbelverzoek voor Kees Jansen van " in asked.text
    assert '<input type="hidden" name="confirmed" value="1">' in asked.text
    assert (await _only_note(db)).id == note.id


async def test_removing_a_note_on_the_page_once_confirmed_removes_it(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    colleague = await make_person("Kees Jansen")
    await login_as(await make_person(roles=(Role.KCC,)))
    await client.post("/callback-notes", data=_note_form(colleague))
    note = await _only_note(db)

    response = await client.post(
        f"/callback-notes/{note.id}/delete", data={"confirmed": "1"}, follow_redirects=False
    )

    assert response.headers["location"] == "/callback-notes?removed=true"
    await db.rollback()
    assert (await db.execute(select(CallbackNote))).scalars().all() == []


async def test_the_colleague_a_note_is_for_is_not_asked_to_remove_it_but_refused(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    colleague = await make_person("Kees Jansen")
    await login_as(await make_person(roles=(Role.KCC,)))
    await client.post("/callback-notes", data=_note_form(colleague))
    note = await _only_note(db)
    await login_as(colleague)

    response = await client.post(f"/callback-notes/{note.id}/delete")

    assert response.status_code == 403


async def test_the_home_page_shows_my_status_today(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    person = await make_person()
    await set_entry(person, TODAY, "morning", "home")
    await login_as(person)
    response = await client.get("/")
    assert response.status_code == 200
    assert 'id="presence-home-status"' in response.text


async def test_at_the_weekend_the_home_page_shows_my_plan_for_monday(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    set_entry: SetEntry,
    clock: FixedClock,
) -> None:
    person = await make_person()
    await set_entry(person, date(2026, 11, 30), "morning", "home")
    clock.set(at(SATURDAY, 11))
    await login_as(person)

    response = await client.get("/")

    status = response.text[response.text.index('id="presence-home-status"') :]
    assert "Mijn status op maandag 30-11-2026" in status
    assert "Thuis" in status[: status.index("</section>")]


async def test_at_the_weekend_the_home_page_says_the_reachability_badge_is_about_now(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    clock: FixedClock,
) -> None:
    person = await make_person()
    clock.set(at(SATURDAY, 11))
    await login_as(person)

    response = await client.get("/")

    status = response.text[response.text.index('id="presence-home-status"') :]
    assert "Nu: " in status[: status.index("</section>")]


async def test_the_home_page_lists_open_callback_notes(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    person = await make_person()
    kcc = await make_person(roles=(Role.KCC,))
    db.add(
        CallbackNote(
            person_id=person.id,
            created_by_id=kcc.id,
            callback_number="0612345678",
            question="Wanneer wordt het afval opgehaald?",
            created_at=clock.now(),
        )
    )
    await db.commit()
    await login_as(person)
    response = await client.get("/")
    assert "Wanneer wordt het afval opgehaald?" in response.text


async def test_marking_a_note_done_with_htmx_returns_the_note(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    person = await make_person()
    note = CallbackNote(
        person_id=person.id,
        callback_number="0612345678",
        question="Graag terugbellen.",
        created_at=clock.now(),
    )
    db.add(note)
    await db.commit()
    await login_as(person)
    response = await client.post(f"/callback-notes/{note.id}/done", headers=HTMX)
    assert response.status_code == 200
    assert f'id="note-{note.id}"' in response.text
    assert "presence-note-done" in response.text


async def test_marking_a_note_done_with_htmx_says_so_in_a_status_message(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    person = await make_person()
    note = await _three_open_notes(db, clock, person)
    await login_as(person)

    response = await client.post(f"/callback-notes/{note.id}/done", headers=HTMX)

    assert '<p class="presence-note-news" role="status">Afgehandeld.</p>' in response.text


async def _three_open_notes(db: AsyncSession, clock: FixedClock, person: Person) -> CallbackNote:
    notes = [
        CallbackNote(
            person_id=person.id,
            callback_number="0612345678",
            question=f"Vraag {number}",
            created_at=clock.now(),
        )
        for number in range(3)
    ]
    db.add_all(notes)
    await db.commit()
    return notes[0]


async def test_marking_a_note_done_on_the_home_page_lowers_its_count_of_waiting_residents(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    person = await make_person()
    note = await _three_open_notes(db, clock, person)
    await login_as(person)
    home = await client.get("/")

    response = await client.post(
        f"/callback-notes/{note.id}/done", data={"next": "/"}, headers=HTMX
    )

    assert "Inwoners die op uw telefoontje wachten (3)" in home.text
    assert re.search(
        r'<h2 id="presence-home-notes" hx-swap-oob="true">[^<]*\(2\)</h2>', response.text
    )


async def test_opening_a_note_again_on_the_home_page_raises_its_count(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    person = await make_person()
    note = await _three_open_notes(db, clock, person)
    await login_as(person)
    await client.post(f"/callback-notes/{note.id}/done", data={"next": "/"}, headers=HTMX)

    response = await client.post(
        f"/callback-notes/{note.id}/reopen", data={"next": "/"}, headers=HTMX
    )

    assert "wachten (3)" in response.text


async def test_marking_a_note_done_on_the_notes_page_sends_no_home_page_heading(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    person = await make_person()
    note = await _three_open_notes(db, clock, person)
    await login_as(person)

    response = await client.post(
        f"/callback-notes/{note.id}/done", data={"next": "/callback-notes"}, headers=HTMX
    )

    assert "presence-home-notes" not in response.text


async def test_a_day_saved_with_empty_hours_keeps_following_the_usual_hours(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    person = await make_person()
    await login_as(person)
    await client.post(
        f"/my-week/{TODAY.isoformat()}",
        data={"morning": "home", "afternoon": "home", "reachable_from": "", "backup_id": ""},
        headers=HTMX,
    )
    await db.rollback()
    assert (await db.execute(select(DayReachability))).all() == []
