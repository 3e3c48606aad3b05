"""Days at the capacity cap count people, as the cap itself does: someone who moved desks
holds two desks in a half day but is one person, and a booking whose holder was erased
is one person of its own. A site without a cap is full when all its desks were booked.

Monday 16 November 2026; the clock stands at Wednesday 25 November.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from tests.analytics.conftest import Book, Client
from tests.conftest import MakePerson, MakeSite, MakeSpace
from werkplek.people.models import Person
from werkplek.rooms.models import Site

MON = date(2026, 11, 16)


async def _cap(client: Client, site: Site) -> dict[str, Any]:
    response = await client.get(
        "/api/analytics/occupancy",
        params={"site": site.id, "from": MON.isoformat(), "to": MON.isoformat()},
    )
    assert response.status_code == 200, response.text
    cap: dict[str, Any] = response.json()["capacity_cap"]
    return cap


async def test_someone_who_moved_desks_counts_once_towards_the_days_at_the_cap(
    client: Client,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_person: MakePerson,
    book: Book,
    facilities: Person,
) -> None:
    site = await make_site(capacity_cap_percent=50)  # 2 of 4 desks
    desks = [await make_space(site) for _ in range(4)]
    anna = await make_person("Anna de Vries")
    await book(desks[0], MON, start=time(8), end=time(10), status="checked_in", person=anna)
    await book(desks[1], MON, start=time(10), end=time(13), status="checked_in", person=anna)

    assert (await _cap(client, site))["days_at_cap"] == 0


async def test_bookings_of_erased_people_count_one_person_each_towards_the_cap(
    client: Client, make_site: MakeSite, make_space: MakeSpace, book: Book, facilities: Person
) -> None:
    site = await make_site(capacity_cap_percent=50)
    desks = [await make_space(site) for _ in range(4)]
    await book(desks[0], MON, "morning", person=None)
    await book(desks[1], MON, "morning", person=None)

    assert (await _cap(client, site))["dates"] == [MON.isoformat()]


async def test_a_site_without_a_cap_is_full_on_a_half_day_all_its_desks_were_booked(
    client: Client,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_person: MakePerson,
    book: Book,
    facilities: Person,
) -> None:
    site = await make_site()
    desks = [await make_space(site) for _ in range(2)]
    anna = await make_person("Anna de Vries")
    await book(desks[0], MON, start=time(8), end=time(10), status="checked_in", person=anna)
    await book(desks[1], MON, start=time(10), end=time(13), status="checked_in", person=anna)

    assert (await _cap(client, site))["dates"] == [MON.isoformat()]


async def test_the_report_of_one_open_day_counts_it_in_the_singular(
    client: Client, make_site: MakeSite, make_space: MakeSpace, facilities: Person
) -> None:
    site = await make_site(capacity_cap_percent=50)
    await make_space(site)

    response = await client.get(
        "/analytics", params={"site": site.id, "from": MON.isoformat(), "to": MON.isoformat()}
    )

    assert "0 van de 1 openingsdag<" in response.text
