"""The "Subscribe to calendar" page: choose, see the link once, revoke; import leave."""

from __future__ import annotations

import re
from typing import NamedTuple

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson, MakeSite, MakeTeam
from tests.stacked_tables import stacked_table
from werkplek.feeds.api import IMPORT_MAX_BYTES
from werkplek.people.models import Person, Role
from werkplek.presence.models import WorkLocation


def _form(csrf: dict[str, str], **values: str) -> dict[str, str]:
    return {"_csrf": csrf["X-CSRF-Token"], **values}


async def test_the_menu_offers_subscribing_to_a_calendar(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    page = (await client.get("/")).text
    assert '<a href="/feeds"' in page
    assert "Agenda abonneren" in page


async def test_the_page_offers_my_own_calendar_and_the_sites(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_site: MakeSite,
    login_as: LoginAs,
) -> None:
    anna = await make_person()
    site = await make_site()
    await login_as(anna)
    page = (await client.get("/feeds")).text
    assert f'value="person:{anna.id}"' in page
    assert f'value="site:{site.id}"' in page
    assert "Ruimtes in Stadskantoor" in page


async def test_only_those_who_may_subscribe_to_a_team_see_it_offered(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
) -> None:
    team = await make_team("Vergunningen")
    await login_as(await make_person(teams=(team,)))
    assert f'value="team:{team.id}"' not in (await client.get("/feeds")).text
    await login_as(await make_person(roles=(Role.KCC,)))
    assert f'value="team:{team.id}"' in (await client.get("/feeds")).text


async def test_a_scope_in_the_address_is_chosen_on_the_form(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
) -> None:
    team = await make_team("Vergunningen")
    await login_as(await make_person(roles=(Role.KCC,)))

    page = (await client.get("/feeds", params={"scope": f"team:{team.id}"})).text

    assert f'value="team:{team.id}" selected' in page


async def test_a_garbled_scope_in_the_address_leaves_ones_own_calendar_chosen(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person()
    await login_as(anna)

    page = (await client.get("/feeds", params={"scope": "team:abc"})).text

    assert f'value="person:{anna.id}" selected' in page


async def test_creating_a_subscription_shows_its_link_once(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person("Anna de Vries")
    csrf = await login_as(anna)
    response = await client.post("/feeds", data=_form(csrf, scope=f"person:{anna.id}"))
    assert response.status_code == 200
    match = re.search(r'value="(http://testserver\.local/feeds/([\w-]+)\.ics)"', response.text)
    assert match is not None
    url, token = match.groups()
    assert f'href="webcal://testserver.local/feeds/{token}.ics"' in response.text
    assert '<label for="feed-url">' in response.text
    later = (await client.get("/feeds")).text
    assert token not in later
    assert "Persoon: Anna de Vries" in later
    client.cookies.clear()
    assert (await client.get(url.removeprefix("http://testserver.local"))).status_code == 200


async def test_a_new_subscriptions_link_has_the_focus_to_be_copied(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person("Anna de Vries")
    csrf = await login_as(anna)

    response = await client.post("/feeds", data=_form(csrf, scope=f"person:{anna.id}"))

    assert re.search(r'<input id="feed-url"[^>]* autofocus>', response.text)


async def test_a_choice_that_is_not_allowed_is_refused_on_the_form(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    anna, bert = await make_person(), await make_person()
    csrf = await login_as(anna)
    response = await client.post("/feeds", data=_form(csrf, scope=f"person:{bert.id}"))
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.text
    assert "U mag zich niet op deze agenda abonneren." in response.text


async def test_a_garbled_choice_is_refused_on_the_form(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    csrf = await login_as(await make_person())
    response = await client.post("/feeds", data=_form(csrf, scope="everything"))
    assert response.status_code == 422
    assert "Kies waarop u zich wilt abonneren." in response.text


class Subscribed(NamedTuple):
    person: Person
    csrf: dict[str, str]
    feed_path: str
    token_id: int


async def _subscribe_to_own_calendar(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> Subscribed:
    anna = await make_person()
    csrf = await login_as(anna)
    created = await client.post("/feeds", data=_form(csrf, scope=f"person:{anna.id}"))
    match = re.search(r'value="http://testserver\.local(/feeds/[\w-]+\.ics)"', created.text)
    assert match is not None
    token_id = (await client.get("/api/feeds")).json()[0]["id"]
    return Subscribed(anna, csrf, match.group(1), token_id)


async def test_revoking_on_the_page_stops_the_feed(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    _anna, csrf, feed_path, token_id = await _subscribe_to_own_calendar(
        client, make_person, login_as
    )
    response = await client.post(
        f"/feeds/{token_id}/revoke", data=_form(csrf, confirmed="1"), follow_redirects=False
    )
    assert response.status_code in (302, 303)
    assert response.headers["location"] == "/feeds?revoked=true"
    page = (await client.get("/feeds?revoked=true")).text
    assert "Het abonnement is ingetrokken." in page
    assert "Ingetrokken" in page
    client.cookies.clear()
    assert (await client.get(feed_path)).status_code == 404


async def test_revoking_on_the_page_asks_first_and_keeps_the_feed_until_confirmed(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    anna, csrf, feed_path, token_id = await _subscribe_to_own_calendar(
        client, make_person, login_as
    )

    asked = await client.post(f"/feeds/{token_id}/revoke", data=_form(csrf))

    assert f"Het abonnement op {anna.name} (Persoon) intrekken?" in asked.text
    client.cookies.clear()
    assert (await client.get(feed_path)).status_code == 200


async def test_a_subscription_says_when_it_was_made_in_dutch_time_to_the_second(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await _subscribe_to_own_calendar(client, make_person, login_as)  # 09:00 UTC

    page = (await client.get("/feeds")).text

    assert 'data-label="Aangemaakt">25-11-2026 10:00:00</td>' in page


async def test_revoking_asks_with_the_moment_a_calendar_app_last_read_the_feed(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    _anna, csrf, feed_path, token_id = await _subscribe_to_own_calendar(
        client, make_person, login_as
    )
    await client.get(feed_path)  # 09:00 UTC

    asked = await client.post(f"/feeds/{token_id}/revoke", data=_form(csrf))

    assert "Een agenda-app las het laatst op 25-11-2026 10:00:00." in asked.text


async def test_my_subscriptions_stack_on_a_phone_with_each_figure_named(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person()
    csrf = await login_as(anna)
    await client.post("/feeds", data=_form(csrf, scope=f"person:{anna.id}"))
    table = stacked_table((await client.get("/feeds")).text)
    assert "stack-on-phone" in table.classes
    assert [cell.attrs.get("data-label") for cell in table.rows[0][1:4]] == table.headers[1:4]


async def test_the_page_needs_a_login(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/feeds", follow_redirects=False)
    assert response.status_code in (302, 303)
    assert response.headers["location"].startswith("/login")


LEAVE = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VEVENT\r\nUID:1\r\n"
    b"DTSTAMP:20261101T090000Z\r\nSUMMARY:Vakantie\r\nDTSTART;VALUE=DATE:20261201\r\n"
    b"DTEND;VALUE=DATE:20261202\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


async def test_leave_imported_on_the_page_is_listed_and_stored(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    csrf = await login_as(await make_person())
    response = await client.post(
        "/feeds/import", data=_form(csrf), files={"file": ("verlof.ics", LEAVE, "text/calendar")}
    )
    assert response.status_code == 200
    assert "Als afwezig gemarkeerd" in response.text
    assert "<td>01-12-2026</td><td>Hele dag</td>" in response.text
    await db.rollback()
    assert len((await db.execute(select(WorkLocation))).scalars().all()) == 2


async def test_a_trial_import_on_the_page_changes_nothing(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    csrf = await login_as(await make_person())
    response = await client.post(
        "/feeds/import",
        data=_form(csrf, dry_run="on"),
        files={"file": ("verlof.ics", LEAVE, "text/calendar")},
    )
    assert "Zou als afwezig worden gemarkeerd" in response.text
    await db.rollback()
    assert (await db.execute(select(WorkLocation))).first() is None


async def test_an_import_of_one_event_says_one_event_in_the_singular(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    csrf = await login_as(await make_person())
    response = await client.post(
        "/feeds/import", data=_form(csrf), files={"file": ("verlof.ics", LEAVE, "text/calendar")}
    )
    assert "Geïmporteerd: 1 afspraak gelezen." in response.text


async def test_a_text_file_on_the_page_is_refused_without_the_parsers_english(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    csrf = await login_as(await make_person())
    response = await client.post(
        "/feeds/import",
        data=_form(csrf),
        files={"file": ("verlof.ics", b"hello world", "text/calendar")},
    )
    assert "het is geen iCalendar-bestand.</" in response.text


async def test_a_bad_file_on_the_page_is_refused_next_to_the_file_field(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    csrf = await login_as(await make_person())
    response = await client.post(
        "/feeds/import",
        data=_form(csrf),
        files={"file": ("foto.jpg", b"\xff\xd8\xff", "image/jpeg")},
    )
    assert response.status_code == 400
    assert 'id="import-file-error"' in response.text
    assert "kan niet worden ingelezen" in response.text


async def test_the_import_form_works_as_a_plain_form_with_its_csrf_field(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    csrf = await login_as(await make_person())
    client.headers.pop("X-CSRF-Token")
    upload = {"file": ("verlof.ics", LEAVE, "text/calendar")}
    response = await client.post("/feeds/import", data=_form(csrf), files=upload)
    assert response.status_code == 200
    forged = await client.post("/feeds/import", data={"_csrf": "forged"}, files=upload)
    assert forged.status_code == 403


async def test_a_file_over_the_upload_limit_on_the_page_is_refused_at_the_file(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    csrf = await login_as(await make_person())
    too_big = b"X" * (IMPORT_MAX_BYTES + 128 * 1024)

    response = await client.post(
        "/feeds/import", data=_form(csrf), files={"file": ("verlof.ics", too_big, "text/calendar")}
    )

    assert response.status_code == 413
    assert "Het bestand is te groot voor een geëxporteerde agenda." in response.text
