"""GET /api/people/{id}/status: where someone is now, how to reach them, and who may see what."""

from __future__ import annotations

from datetime import time, timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import LoginAs, MakePerson, MakeTeam
from tests.presence.conftest import (
    TODAY,
    TOMORROW,
    BookDesk,
    SetEntry,
    SetHours,
    SetPattern,
    Sites,
    at,
)
from werkplek.clock import FixedClock
from werkplek.people.models import Person, Role
from werkplek.rooms.models import Space


def status_url(person_id: int) -> str:
    return f"/api/people/{person_id}/status"


# --- status now ----------------------------------------------------------------------------


async def test_someone_in_the_office_now_is_reachable_by_desk_phone_first(
    client: AsyncTestClient[Litestar],
    employee: dict[str, str],
    make_person: MakePerson,
    sites: Sites,
    set_entry: SetEntry,
) -> None:
    person = await make_person(phone="0201234567", mobile="0612345678", chat_handle="@anna")
    await set_entry(person, TODAY, "morning", "office", site=sites.town_hall)
    body = (await client.get(status_url(person.id))).json()
    assert (body["reachable_now"], body["reach_by"]) == (True, ["phone", "mobile", "chat_handle"])


async def test_someone_working_at_home_is_reachable_by_mobile_and_chat_first(
    client: AsyncTestClient[Litestar],
    employee: dict[str, str],
    make_person: MakePerson,
    set_entry: SetEntry,
) -> None:
    person = await make_person(phone="0201234567", mobile="0612345678", chat_handle="@anna")
    await set_entry(person, TODAY, "morning", "home")
    body = (await client.get(status_url(person.id))).json()
    assert body["reach_by"] == ["mobile", "chat_handle", "phone"]


async def test_status_says_until_when_the_current_stretch_lasts(
    client: AsyncTestClient[Litestar],
    employee: dict[str, str],
    make_person: MakePerson,
    set_entry: SetEntry,
) -> None:
    person = await make_person()
    await set_entry(person, TODAY, "morning", "home")
    await set_entry(person, TODAY, "afternoon", "absent")
    body = (await client.get(status_url(person.id))).json()
    assert body["until"] == "2026-11-25T13:00:00+01:00"


async def test_someone_absent_today_is_next_reachable_when_their_pattern_has_them_working(
    client: AsyncTestClient[Litestar],
    employee: dict[str, str],
    make_person: MakePerson,
    set_entry: SetEntry,
    set_pattern: SetPattern,
) -> None:
    person = await make_person()
    await set_entry(person, TODAY, "morning", "absent")
    await set_entry(person, TODAY, "afternoon", "absent")
    await set_pattern(person, TOMORROW.weekday(), "home", hours=(time(9), time(16)))
    body = (await client.get(status_url(person.id))).json()
    assert (body["reachable_now"], body["next_reachable"]) == (False, "2026-11-26T09:00:00+01:00")


async def _away_until_the_monday_after_next(
    person: Person, set_entry: SetEntry, set_pattern: SetPattern
) -> None:
    """Working at home on weekdays (9 to 16) but away from today to Friday next week."""
    for weekday in range(5):
        await set_pattern(person, weekday, "home", hours=(time(9), time(16)))
    for offset in range(10):
        for part in ("morning", "afternoon"):
            await set_entry(person, TODAY + timedelta(days=offset), part, "absent")


async def test_someone_away_for_over_a_week_is_next_reachable_when_they_are_back(
    client: AsyncTestClient[Litestar],
    employee: dict[str, str],
    make_person: MakePerson,
    set_entry: SetEntry,
    set_pattern: SetPattern,
) -> None:
    person = await make_person()
    await _away_until_the_monday_after_next(person, set_entry, set_pattern)
    body = (await client.get(status_url(person.id))).json()
    assert body["next_reachable"] == "2026-12-07T09:00:00+01:00"


async def test_a_backup_away_for_over_a_week_is_next_reachable_when_they_are_back(
    client: AsyncTestClient[Litestar],
    employee: dict[str, str],
    make_person: MakePerson,
    set_entry: SetEntry,
    set_pattern: SetPattern,
) -> None:
    backup = await make_person("Joris Bakker")
    await _away_until_the_monday_after_next(backup, set_entry, set_pattern)
    person = await make_person(backup_id=backup.id)
    body = (await client.get(status_url(person.id))).json()
    assert body["backup"]["next_reachable"] == "2026-12-07T09:00:00+01:00"


async def test_a_backup_of_the_day_away_for_over_a_week_is_next_reachable_when_back(
    client: AsyncTestClient[Litestar],
    employee: dict[str, str],
    make_person: MakePerson,
    set_entry: SetEntry,
    set_pattern: SetPattern,
    set_hours: SetHours,
) -> None:
    today_backup = await make_person("Vandaag Backup")
    await _away_until_the_monday_after_next(today_backup, set_entry, set_pattern)
    person = await make_person()
    await set_hours(person, TODAY, backup=today_backup)
    body = (await client.get(status_url(person.id))).json()
    assert body["backup"]["next_reachable"] == "2026-12-07T09:00:00+01:00"


async def test_status_at_a_given_instant_reads_that_moment(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    person = await make_person()
    await set_entry(person, TOMORROW, "afternoon", "home")
    await login_as(await make_person(roles=(Role.KCC,)))
    body = (
        await client.get(status_url(person.id), params={"at": at(TOMORROW, 14).isoformat()})
    ).json()
    assert (body["day_part"], body["location"]["kind"], body["reachable_now"]) == (
        "afternoon",
        "home",
        True,
    )


async def test_status_at_a_local_time_without_seconds_reads_that_moment(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    person = await make_person()
    await set_entry(person, TOMORROW, "afternoon", "home")
    await login_as(await make_person(roles=(Role.KCC,)))
    response = await client.get(status_url(person.id), params={"at": f"{TOMORROW}T14:00"})
    assert response.json()["day_part"] == "afternoon"


async def test_status_at_a_day_that_does_not_exist_is_refused_naming_at(
    client: AsyncTestClient[Litestar], employee: dict[str, str], make_person: MakePerson
) -> None:
    person = await make_person()
    response = await client.get(status_url(person.id), params={"at": "2026-02-30T10:00"})
    assert (response.status_code, response.json()["error"], response.json()["field"]) == (
        422,
        "invalid_time",
        "at",
    )


async def test_status_at_the_calendars_first_local_midnight_is_refused_naming_at(
    client: AsyncTestClient[Litestar], employee: dict[str, str], make_person: MakePerson
) -> None:
    person = await make_person()
    response = await client.get(status_url(person.id), params={"at": "0001-01-01T00:00"})
    assert (response.status_code, response.json()["field"]) == (422, "at")


async def test_status_at_something_not_a_date_time_is_refused_naming_at(
    client: AsyncTestClient[Litestar], employee: dict[str, str], make_person: MakePerson
) -> None:
    person = await make_person()
    response = await client.get(status_url(person.id), params={"at": "tomorrow"})
    (problem,) = response.json()["fields"]
    assert (response.status_code, problem["field"], problem["message"]) == (
        400,
        "at",
        "Vul een datum en tijd in, zoals 2026-12-08T09:00.",
    )


async def test_status_follows_the_clock(
    client: AsyncTestClient[Litestar],
    employee: dict[str, str],
    clock: FixedClock,
    make_person: MakePerson,
    set_entry: SetEntry,
) -> None:
    person = await make_person()
    await set_entry(person, TODAY, "morning", "home")
    clock.set(at(TODAY, 17, 30))
    body = (await client.get(status_url(person.id))).json()
    assert body["reachable_now"] is False


async def test_status_of_a_moment_beyond_the_horizon_is_refused_naming_at(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    person = await make_person()
    await login_as(person)
    far = at(TODAY + timedelta(days=120), 10)
    response = await client.get(status_url(person.id), params={"at": far.isoformat()})
    assert (response.status_code, response.json()["field"]) == (422, "at")


async def test_status_shows_the_backup_and_whether_they_can_be_reached(
    client: AsyncTestClient[Litestar],
    employee: dict[str, str],
    make_person: MakePerson,
    set_entry: SetEntry,
) -> None:
    backup = await make_person("Joris Bakker", mobile="0687654321")
    await set_entry(backup, TODAY, "morning", "home")
    person = await make_person(backup_id=backup.id)
    await set_entry(person, TODAY, "morning", "absent")
    body = (await client.get(status_url(person.id))).json()
    assert (body["backup"]["name"], body["backup"]["reachable_now"]) == ("Joris Bakker", True)


async def test_a_backup_set_for_the_day_replaces_the_usual_one(
    client: AsyncTestClient[Litestar],
    employee: dict[str, str],
    make_person: MakePerson,
    set_hours: SetHours,
) -> None:
    usual = await make_person("Usual Backup")
    today_backup = await make_person("Vandaag Backup")
    person = await make_person(backup_id=usual.id)
    await set_hours(person, TODAY, backup=today_backup)
    body = (await client.get(status_url(person.id))).json()
    assert body["backup"]["id"] == today_backup.id


# --- privacy by role -----------------------------------------------------------------------


async def test_the_kcc_sees_the_area_of_work_on_location(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    person = await make_person()
    await set_entry(person, TODAY, "morning", "on_location", area="Oosterwijk")
    await login_as(await make_person(roles=(Role.KCC,)))
    location = (await client.get(status_url(person.id))).json()["location"]
    assert (location["kind"], location["area"]) == ("on_location", "Oosterwijk")


async def test_a_colleague_sees_only_that_someone_on_location_is_not_in(
    client: AsyncTestClient[Litestar],
    employee: dict[str, str],
    make_person: MakePerson,
    set_entry: SetEntry,
) -> None:
    person = await make_person()
    await set_entry(person, TODAY, "morning", "on_location", area="Oosterwijk")
    location = (await client.get(status_url(person.id))).json()["location"]
    assert (location["kind"], location["area"]) == ("not_in", None)


async def test_a_colleague_still_sees_whether_someone_not_in_is_reachable(
    client: AsyncTestClient[Litestar],
    employee: dict[str, str],
    make_person: MakePerson,
    set_entry: SetEntry,
) -> None:
    person = await make_person()
    await set_entry(person, TODAY, "morning", "home")
    assert (await client.get(status_url(person.id))).json()["reachable_now"] is True


async def test_a_colleague_sees_the_office_someone_is_in(
    client: AsyncTestClient[Litestar],
    employee: dict[str, str],
    make_person: MakePerson,
    sites: Sites,
    set_entry: SetEntry,
) -> None:
    person = await make_person()
    await set_entry(person, TODAY, "morning", "office", site=sites.satellite)
    location = (await client.get(status_url(person.id))).json()["location"]
    assert (location["kind"], location["site_name"]) == ("office", "Satelliet Noord")


async def test_a_team_lead_sees_the_area_of_a_team_member(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    team = await make_team("Toezicht")
    person = await make_person(teams=(team,))
    await set_entry(person, TODAY, "morning", "on_location", area="Dorp Zuid")
    await login_as(await make_person(lead_of=(team,)))
    assert (await client.get(status_url(person.id))).json()["location"]["area"] == "Dorp Zuid"


async def test_the_kcc_sees_an_absence_but_not_its_reason(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    person = await make_person()
    await set_entry(person, TODAY, "morning", "absent", reason="ziekenhuisbezoek")
    await login_as(await make_person(roles=(Role.KCC,)))
    response = await client.get(status_url(person.id))
    assert response.json()["location"]["kind"] == "absent"
    assert "ziekenhuisbezoek" not in response.text


async def test_the_person_sees_their_own_absence_reason(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    person = await make_person()
    await set_entry(person, TODAY, "morning", "absent", reason="ziekenhuisbezoek")
    await login_as(person)
    location = (await client.get(status_url(person.id))).json()["location"]
    assert location["absence_reason"] == "ziekenhuisbezoek"


async def test_an_admin_sees_an_absence_reason_for_support(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    person = await make_person()
    await set_entry(person, TODAY, "morning", "absent", reason="ziekenhuisbezoek")
    await login_as(await make_person(roles=(Role.ADMIN,)))
    location = (await client.get(status_url(person.id))).json()["location"]
    assert location["absence_reason"] == "ziekenhuisbezoek"


async def test_others_see_the_site_but_not_a_hidden_desk(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    desk: Space,
    book_desk: BookDesk,
) -> None:
    person = await make_person(hide_desk=True)
    await book_desk(person, desk, TODAY)
    await login_as(await make_person(roles=(Role.KCC,)))
    location = (await client.get(status_url(person.id))).json()["location"]
    assert (location["site_name"], location["desk"]) == ("Stadhuis", None)


async def test_others_see_the_desk_of_someone_who_does_not_hide_it(
    client: AsyncTestClient[Litestar],
    employee: dict[str, str],
    make_person: MakePerson,
    desk: Space,
    book_desk: BookDesk,
) -> None:
    person = await make_person()
    await book_desk(person, desk, TODAY)
    location = (await client.get(status_url(person.id))).json()["location"]
    assert location["desk"] == "Flexplek 2.14"


async def test_the_person_sees_their_own_hidden_desk(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    desk: Space,
    book_desk: BookDesk,
) -> None:
    person = await make_person(hide_desk=True)
    await book_desk(person, desk, TODAY)
    await login_as(person)
    location = (await client.get(status_url(person.id))).json()["location"]
    assert location["desk"] == "Flexplek 2.14"


async def test_the_status_of_an_unknown_person_is_not_found(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    assert (await client.get(status_url(999_999))).status_code == 404
