"""Someone in a meeting now: the status, the KCC finder and the team board say until when,
so the KCC does not call into it, and put a chat message first.

The test clock stands at Wednesday 25 November 2026, 10:00 in Amsterdam.
"""

from __future__ import annotations

from datetime import time

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import LoginAs, MakePerson, MakeTeam
from tests.presence.conftest import TODAY, HoldMeeting, SetEntry, Sites
from werkplek.people.models import Person, Role

Client = AsyncTestClient[Litestar]


async def _status(client: Client, person: Person) -> dict[str, object]:
    body = (await client.get(f"/api/people/{person.id}/status")).json()
    assert isinstance(body, dict)
    return body


async def _meeting_until(client: Client, person: Person) -> object:
    location = (await _status(client, person))["location"]
    assert isinstance(location, dict)
    return location["meeting_until"]


async def test_someone_holding_a_room_now_is_in_a_meeting_until_it_ends(
    client: Client, employee: dict[str, str], make_person: MakePerson, hold_meeting: HoldMeeting
) -> None:
    holder = await make_person()
    await hold_meeting(holder, time(9, 30), time(11))
    assert await _meeting_until(client, holder) == "2026-11-25T11:00:00+01:00"


async def test_a_colleague_invited_to_it_is_in_the_meeting_too(
    client: Client, employee: dict[str, str], make_person: MakePerson, hold_meeting: HoldMeeting
) -> None:
    invited = await make_person()
    await hold_meeting(await make_person(), time(9, 30), time(11), invited=((invited, "pending"),))
    assert await _meeting_until(client, invited) == "2026-11-25T11:00:00+01:00"


async def test_a_colleague_who_declined_is_not_in_the_meeting(
    client: Client, employee: dict[str, str], make_person: MakePerson, hold_meeting: HoldMeeting
) -> None:
    declined = await make_person()
    holder = await make_person()
    await hold_meeting(holder, time(9, 30), time(11), invited=((declined, "declined"),))
    assert await _meeting_until(client, declined) is None


async def test_meetings_back_to_back_make_one_stretch(
    client: Client, employee: dict[str, str], make_person: MakePerson, hold_meeting: HoldMeeting
) -> None:
    holder = await make_person()
    await hold_meeting(holder, time(9, 30), time(11))
    await hold_meeting(holder, time(11), time(12))
    assert await _meeting_until(client, holder) == "2026-11-25T12:00:00+01:00"


async def test_a_meeting_after_a_break_does_not_lengthen_the_one_now(
    client: Client, employee: dict[str, str], make_person: MakePerson, hold_meeting: HoldMeeting
) -> None:
    holder = await make_person()
    await hold_meeting(holder, time(9, 30), time(11))
    await hold_meeting(holder, time(11, 30), time(12))
    assert await _meeting_until(client, holder) == "2026-11-25T11:00:00+01:00"


async def test_a_meeting_later_today_is_not_one_now(
    client: Client, employee: dict[str, str], make_person: MakePerson, hold_meeting: HoldMeeting
) -> None:
    holder = await make_person()
    await hold_meeting(holder, time(14), time(15))
    assert await _meeting_until(client, holder) is None


async def test_a_room_request_waiting_for_approval_is_no_meeting_yet(
    client: Client, employee: dict[str, str], make_person: MakePerson, hold_meeting: HoldMeeting
) -> None:
    holder = await make_person()
    await hold_meeting(holder, time(9, 30), time(11), status="pending")
    assert await _meeting_until(client, holder) is None


async def test_someone_absent_is_not_shown_in_a_meeting(
    client: Client,
    employee: dict[str, str],
    make_person: MakePerson,
    hold_meeting: HoldMeeting,
    set_entry: SetEntry,
) -> None:
    holder = await make_person()
    await set_entry(holder, TODAY, "morning", "absent")
    await hold_meeting(holder, time(9, 30), time(11))
    assert await _meeting_until(client, holder) is None


async def test_in_a_meeting_a_chat_message_is_the_channel_to_try_first(
    client: Client,
    employee: dict[str, str],
    make_person: MakePerson,
    hold_meeting: HoldMeeting,
    set_entry: SetEntry,
    sites: Sites,
) -> None:
    holder = await make_person(phone="0201234567", mobile="0612345678", chat_handle="@anna")
    await set_entry(holder, TODAY, "morning", "office", site=sites.town_hall)
    await hold_meeting(holder, time(9, 30), time(11))
    assert (await _status(client, holder))["reach_by"] == ["chat_handle", "phone", "mobile"]


async def test_the_status_never_names_the_meeting(
    client: Client, employee: dict[str, str], make_person: MakePerson, hold_meeting: HoldMeeting
) -> None:
    holder = await make_person()
    await hold_meeting(holder, time(9, 30), time(11))
    response = await client.get(f"/api/people/{holder.id}/status")
    assert "Begroting" not in response.text and "Grutto" not in response.text


async def test_the_kcc_finder_says_until_when_someone_is_in_a_meeting(
    client: Client, login_as: LoginAs, make_person: MakePerson, hold_meeting: HoldMeeting
) -> None:
    holder = await make_person("Anna de Vries")
    await hold_meeting(holder, time(9, 30), time(11))
    await login_as(await make_person(roles=(Role.KCC,)))
    page = await client.get("/kcc", params={"q": "Anna"})
    assert "In overleg tot 11:00" in page.text


async def test_the_team_board_says_until_when_a_member_is_in_a_meeting(
    client: Client,
    login_as: LoginAs,
    make_person: MakePerson,
    make_team: MakeTeam,
    hold_meeting: HoldMeeting,
) -> None:
    team = await make_team("Burgerzaken")
    member = await make_person(teams=(team,))
    await hold_meeting(member, time(9, 30), time(11))
    await login_as(await make_person(teams=(team,)))
    page = await client.get(f"/teams/{team.id}/board")
    assert "In overleg tot 11:00" in page.text
