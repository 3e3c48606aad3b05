"""What the feeds say: bookings as timed events across DST, work locations per day part,
privacy in team, site and space feeds. Every feed is read by two independent parsers."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import MakePerson, MakeSite, MakeSpace, MakeTeam
from tests.feeds.conftest import MakeBooking, MakeLocation, Subscribe, local, parse_feed
from werkplek.clock import FixedClock
from werkplek.people.models import Role
from werkplek.presence.models import WeeklyPattern

THURSDAY = date(2026, 11, 26)


async def _feed(client: AsyncTestClient[Litestar], path: str) -> bytes:
    response = await client.get(path)
    assert response.status_code == 200, response.text
    return response.content


# --- the calendar itself ------------------------------------------------------------------


async def test_a_feed_is_a_published_calendar_with_name_refresh_hints_and_amsterdam_time(
    client: AsyncTestClient[Litestar], make_person: MakePerson, subscribe: Subscribe
) -> None:
    anna = await make_person("Anna de Vries")
    body = (await _feed(client, await subscribe(anna, "person", anna.id))).decode()
    lines = body.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR"
    for line in (
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Werkplek: Anna de Vries",
        "X-WR-TIMEZONE:Europe/Amsterdam",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
        "TZID:Europe/Amsterdam",
    ):
        assert line in lines
    assert any(line.startswith("PRODID:-//Werkplek//") for line in lines)


async def test_a_feed_is_served_as_text_calendar_in_utf8_and_privately_cached(
    client: AsyncTestClient[Litestar], make_person: MakePerson, subscribe: Subscribe
) -> None:
    anna = await make_person()
    response = await client.get(await subscribe(anna, "person", anna.id))
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["cache-control"].startswith("private")


# --- bookings in a person's feed ----------------------------------------------------------


async def test_a_room_booking_after_the_autumn_change_is_at_nine_amsterdam_eight_utc(
    client: AsyncTestClient[Litestar],
    clock: FixedClock,
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    clock.set(datetime(2026, 10, 20, 9, 0, tzinfo=UTC))
    anna = await make_person()
    room = await make_space(await make_site(), "Reitdiep", kind="meeting_room")
    after = await make_booking(
        room, anna, local(date(2026, 10, 26), 9), local(date(2026, 10, 26), 10)
    )
    before = await make_booking(
        room, anna, local(date(2026, 10, 23), 9), local(date(2026, 10, 23), 10)
    )
    events = parse_feed(await _feed(client, await subscribe(anna, "person", anna.id)))
    assert events[f"booking-{after.id}@werkplek"].start == datetime(2026, 10, 26, 8, tzinfo=UTC)
    assert events[f"booking-{after.id}@werkplek"].end == datetime(2026, 10, 26, 9, tzinfo=UTC)
    assert events[f"booking-{before.id}@werkplek"].start == datetime(2026, 10, 23, 7, tzinfo=UTC)
    assert events[f"booking-{before.id}@werkplek"].end == datetime(2026, 10, 23, 8, tzinfo=UTC)


async def test_a_room_booking_around_the_spring_change_keeps_its_amsterdam_time(
    client: AsyncTestClient[Litestar],
    clock: FixedClock,
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    clock.set(datetime(2027, 3, 1, 9, 0, tzinfo=UTC))
    anna = await make_person()
    room = await make_space(await make_site(), "Reitdiep", kind="meeting_room")
    before = await make_booking(
        room, anna, local(date(2027, 3, 26), 9), local(date(2027, 3, 26), 10)
    )
    after = await make_booking(
        room, anna, local(date(2027, 3, 29), 9), local(date(2027, 3, 29), 10)
    )
    body = await _feed(client, await subscribe(anna, "person", anna.id))
    events = parse_feed(body)
    assert events[f"booking-{before.id}@werkplek"].start == datetime(2027, 3, 26, 8, tzinfo=UTC)
    assert events[f"booking-{after.id}@werkplek"].start == datetime(2027, 3, 29, 7, tzinfo=UTC)
    assert b"DTSTART;TZID=Europe/Amsterdam:20270329T090000" in body


async def test_a_booking_has_a_stable_uid_and_its_sequence_and_modification_time(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    room = await make_space(
        await make_site(address="Hoofdstraat 1", city="Zuidhorn"),
        "Reitdiep",
        kind="meeting_room",
        capacity=6,
    )
    booking = await make_booking(
        room,
        anna,
        local(THURSDAY, 14),
        local(THURSDAY, 15),
        sequence=3,
        updated_at=datetime(2026, 11, 24, 15, 30, 12, tzinfo=UTC),
        title="Overleg omgevingsvisie",
    )
    body = await _feed(client, await subscribe(anna, "person", anna.id))
    event = parse_feed(body)[f"booking-{booking.id}@werkplek"]
    assert event.sequence == 3
    assert event.summary == "Overleg omgevingsvisie"
    assert event.status == "CONFIRMED"
    assert b"LAST-MODIFIED:20261124T153012Z" in body
    assert event.location == "Stadskantoor – Reitdiep, Hoofdstraat 1, Zuidhorn"


async def test_a_desk_booking_spans_its_day_part_and_leaves_the_agenda_free(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    desk = await make_space(await make_site(), "werkplek 2.14")
    booking = await make_booking(
        desk, anna, local(THURSDAY, 8), local(THURSDAY, 13), day_part="morning"
    )
    body = await _feed(client, await subscribe(anna, "person", anna.id))
    event = parse_feed(body)[f"booking-{booking.id}@werkplek"]
    assert (event.start, event.end) == (local(THURSDAY, 8), local(THURSDAY, 13))
    assert "TRANSP:TRANSPARENT" in body.decode().split(f"UID:booking-{booking.id}@werkplek")[1]


async def test_a_booking_awaiting_approval_is_tentative(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    room = await make_space(await make_site(), "Spreekkamer 1", kind="resident_room")
    booking = await make_booking(
        room, anna, local(THURSDAY, 10), local(THURSDAY, 11), status="pending"
    )
    events = parse_feed(await _feed(client, await subscribe(anna, "person", anna.id)))
    assert events[f"booking-{booking.id}@werkplek"].status == "TENTATIVE"


async def test_cancelled_released_declined_and_lapsed_bookings_stay_a_week_as_cancelled(
    client: AsyncTestClient[Litestar],
    clock: FixedClock,
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    room = await make_space(await make_site(), "Reitdiep", kind="meeting_room")
    six_days_ago = clock.now() - timedelta(days=6)
    ended = [
        await make_booking(
            room,
            anna,
            local(THURSDAY, 9 + n),
            local(THURSDAY, 10 + n),
            status=status,
            cancelled_at=six_days_ago if status == "cancelled" else None,
            updated_at=six_days_ago,
        )
        for n, status in enumerate(("cancelled", "released", "declined", "lapsed"))
    ]
    events = parse_feed(await _feed(client, await subscribe(anna, "person", anna.id)))
    for booking in ended:
        event = events[f"booking-{booking.id}@werkplek"]
        assert event.status == "CANCELLED"
        assert event.summary.startswith("Geannuleerd: ")


async def test_a_lapsed_request_is_told_apart_from_a_declined_one(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    room = await make_space(await make_site(), "Reitdiep")
    declined, lapsed = [
        await make_booking(
            room, anna, local(THURSDAY, 9 + n), local(THURSDAY, 10 + n), status=status
        )
        for n, status in enumerate(("declined", "lapsed"))
    ]
    events = parse_feed(await _feed(client, await subscribe(anna, "person", anna.id)))
    statuses = [
        line
        for booking in (declined, lapsed)
        for line in events[f"booking-{booking.id}@werkplek"].description.splitlines()
        if line.startswith("Status: ")
    ]
    assert statuses == ["Status: Afgewezen", "Status: Vervallen (niet op tijd beslist)"]


async def test_a_booking_cancelled_more_than_a_week_ago_is_gone(
    client: AsyncTestClient[Litestar],
    clock: FixedClock,
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    room = await make_space(await make_site(), "Reitdiep", kind="meeting_room")
    eight_days_ago = clock.now() - timedelta(days=8)
    booking = await make_booking(
        room,
        anna,
        local(THURSDAY, 9),
        local(THURSDAY, 10),
        status="cancelled",
        cancelled_at=eight_days_ago,
        updated_at=eight_days_ago,
    )
    events = parse_feed(await _feed(client, await subscribe(anna, "person", anna.id)))
    assert f"booking-{booking.id}@werkplek" not in events


async def test_the_feed_covers_thirty_days_back_to_ninety_days_ahead(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    room = await make_space(await make_site(), "Reitdiep", kind="meeting_room")
    today = date(2026, 11, 25)
    bookings = {
        offset: await make_booking(
            room,
            anna,
            local(today + timedelta(days=offset), 9),
            local(today + timedelta(days=offset), 10),
        )
        for offset in (-31, -30, 90, 91)
    }
    events = parse_feed(await _feed(client, await subscribe(anna, "person", anna.id)))
    shown = {offset for offset, b in bookings.items() if f"booking-{b.id}@werkplek" in events}
    assert shown == {-30, 90}


async def test_someone_elses_bookings_are_not_in_my_feed(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    anna, bert = await make_person(), await make_person()
    room = await make_space(await make_site(), "Reitdiep", kind="meeting_room")
    theirs = await make_booking(room, bert, local(THURSDAY, 9), local(THURSDAY, 10))
    events = parse_feed(await _feed(client, await subscribe(anna, "person", anna.id)))
    assert f"booking-{theirs.id}@werkplek" not in events


# --- work locations in a person's feed ----------------------------------------------------


async def test_a_whole_day_work_location_is_an_all_day_event(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_location: MakeLocation,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    for part in ("morning", "afternoon"):
        await make_location(anna, THURSDAY, part, "home")
    body = await _feed(client, await subscribe(anna, "person", anna.id))
    event = parse_feed(body)[f"presence-{anna.id}-2026-11-26-day@werkplek"]
    assert (event.start, event.end, event.summary) == (THURSDAY, date(2026, 11, 27), "Thuis")
    assert b"DTSTART;VALUE=DATE:20261126\r\nDTEND;VALUE=DATE:20261127" in body


async def test_a_half_day_without_a_site_uses_the_default_half_day_hours(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_location: MakeLocation,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    await make_location(anna, THURSDAY, "morning", "home")
    await make_location(anna, THURSDAY, "afternoon", "on_location", area="Marum")
    events = parse_feed(await _feed(client, await subscribe(anna, "person", anna.id)))
    morning = events[f"presence-{anna.id}-2026-11-26-morning@werkplek"]
    afternoon = events[f"presence-{anna.id}-2026-11-26-afternoon@werkplek"]
    assert (morning.start, morning.end, morning.summary) == (
        local(THURSDAY, 8),
        local(THURSDAY, 13),
        "Thuis",
    )
    assert (afternoon.start, afternoon.end, afternoon.summary) == (
        local(THURSDAY, 13),
        local(THURSDAY, 17),
        "Op locatie (Marum)",
    )


async def test_a_half_day_at_a_site_uses_the_sites_day_part_hours(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_site: MakeSite,
    make_location: MakeLocation,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    site = await make_site(
        hours=dict.fromkeys(range(5), (time(7, 30), time(18))), day_split=time(12)
    )
    await make_location(anna, THURSDAY, "morning", "office", site=site)
    await make_location(anna, THURSDAY, "afternoon", "home")
    events = parse_feed(await _feed(client, await subscribe(anna, "person", anna.id)))
    morning = events[f"presence-{anna.id}-2026-11-26-morning@werkplek"]
    assert (morning.start, morning.end, morning.summary) == (
        local(THURSDAY, 7, 30),
        local(THURSDAY, 12),
        "Stadskantoor",
    )


async def test_an_afternoon_the_sites_hours_leave_empty_uses_the_default_afternoon_hours(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_site: MakeSite,
    make_location: MakeLocation,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    hall = await make_site(
        "Dorpshuis", kind="community_venue", hours=dict.fromkeys(range(5), (time(9), time(12)))
    )
    await make_location(anna, THURSDAY, "morning", "home")
    await make_location(anna, THURSDAY, "afternoon", "office", site=hall)
    events = parse_feed(await _feed(client, await subscribe(anna, "person", anna.id)))
    afternoon = events[f"presence-{anna.id}-2026-11-26-afternoon@werkplek"]
    assert (afternoon.start, afternoon.end) == (local(THURSDAY, 13), local(THURSDAY, 17))


async def test_a_morning_the_sites_hours_leave_empty_uses_the_default_morning_hours(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_site: MakeSite,
    make_location: MakeLocation,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    hall = await make_site(
        "Dorpshuis", kind="community_venue", hours=dict.fromkeys(range(5), (time(14), time(22)))
    )
    await make_location(anna, THURSDAY, "morning", "office", site=hall)
    await make_location(anna, THURSDAY, "afternoon", "home")
    events = parse_feed(await _feed(client, await subscribe(anna, "person", anna.id)))
    morning = events[f"presence-{anna.id}-2026-11-26-morning@werkplek"]
    assert (morning.start, morning.end) == (local(THURSDAY, 8), local(THURSDAY, 13))


async def test_my_own_feed_shows_my_absence_reason_in_the_description(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_location: MakeLocation,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    for part in ("morning", "afternoon"):
        await make_location(anna, THURSDAY, part, "absent", reason="Tandarts")
    events = parse_feed(await _feed(client, await subscribe(anna, "person", anna.id)))
    event = events[f"presence-{anna.id}-2026-11-26-day@werkplek"]
    assert (event.summary, event.description) == ("Afwezig", "Tandarts")


async def test_the_weekly_pattern_fills_days_without_an_entry(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    db.add(WeeklyPattern(person_id=anna.id, weekday=0, morning_kind="home", afternoon_kind="home"))
    await db.commit()
    events = parse_feed(await _feed(client, await subscribe(anna, "person", anna.id)))
    assert events[f"presence-{anna.id}-2026-11-30-day@werkplek"].summary == "Thuis"
    assert f"presence-{anna.id}-2026-12-01-day@werkplek" not in events


async def test_a_desk_booking_is_not_repeated_as_a_work_location_in_my_feed(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    desk = await make_space(await make_site(), "werkplek 2.14")
    await make_booking(desk, anna, local(THURSDAY, 8), local(THURSDAY, 18), day_part="day")
    events = parse_feed(await _feed(client, await subscribe(anna, "person", anna.id)))
    assert [uid for uid in events if uid.startswith("presence-")] == []


async def test_a_desk_booking_is_not_repeated_when_i_also_said_i_work_at_that_site(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    make_location: MakeLocation,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    site = await make_site()
    desk = await make_space(site, "werkplek 2.14")
    await make_location(anna, THURSDAY, "morning", "office", site=site)
    await make_booking(desk, anna, local(THURSDAY, 8), local(THURSDAY, 13), day_part="morning")
    events = parse_feed(await _feed(client, await subscribe(anna, "person", anna.id)))
    assert [uid for uid in events if uid.startswith("presence-")] == []


# --- team feeds ---------------------------------------------------------------------------


async def test_a_team_feed_says_where_everyone_works_per_day_part(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    make_location: MakeLocation,
    subscribe: Subscribe,
) -> None:
    team = await make_team("Vergunningen")
    lead = await make_person("Lotte Lead", roles=(Role.TEAMLEAD,), lead_of=(team,))
    anna = await make_person("Anna de Vries", teams=(team,))
    bert = await make_person("Bert Bakker", teams=(team,))
    site = await make_site()
    desk = await make_space(site, "werkplek 2.14")
    await make_booking(desk, anna, local(THURSDAY, 8), local(THURSDAY, 18), day_part="day")
    await make_location(bert, THURSDAY, "morning", "on_location", area="Marum")
    await make_location(bert, THURSDAY, "afternoon", "absent", reason="Tandarts")
    await make_location(lead, THURSDAY, "morning", "home")
    await make_location(lead, THURSDAY, "afternoon", "home")
    events = parse_feed(await _feed(client, await subscribe(lead, "team", team.id)))
    assert events[f"presence-{anna.id}-2026-11-26-day@werkplek"].summary == (
        "Anna de Vries: Stadskantoor – werkplek 2.14"
    )
    assert events[f"presence-{bert.id}-2026-11-26-morning@werkplek"].summary == (
        "Bert Bakker: Op locatie (Marum)"
    )
    assert events[f"presence-{bert.id}-2026-11-26-afternoon@werkplek"].summary == (
        "Bert Bakker: Afwezig"
    )
    assert events[f"presence-{lead.id}-2026-11-26-day@werkplek"].summary == "Lotte Lead: Thuis"


async def test_a_team_feed_never_tells_the_reason_of_an_absence_even_to_an_admin(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    make_location: MakeLocation,
    subscribe: Subscribe,
) -> None:
    team = await make_team("Vergunningen")
    admin = await make_person(roles=(Role.ADMIN,))
    bert = await make_person("Bert Bakker", teams=(team,))
    await make_location(bert, THURSDAY, "morning", "absent", reason="Tandarts")
    body = await _feed(client, await subscribe(admin, "team", team.id))
    assert b"Tandarts" not in body
    assert parse_feed(body)[f"presence-{bert.id}-2026-11-26-morning@werkplek"].description == ""


async def test_a_team_feed_shows_no_address_for_work_on_location_or_at_a_site(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    make_site: MakeSite,
    make_location: MakeLocation,
    subscribe: Subscribe,
) -> None:
    team = await make_team("Buitendienst")
    agent = await make_person(roles=(Role.KCC,))
    bert = await make_person("Bert Bakker", teams=(team,))
    site = await make_site("Uitvalsbasis Novatec", kind="field_base", address="Industrieweg 7")
    await make_location(bert, THURSDAY, "morning", "on_location", area="Marum")
    await make_location(bert, THURSDAY, "afternoon", "field_base", site=site)
    body = await _feed(client, await subscribe(agent, "team", team.id))
    events = parse_feed(body)
    assert b"Industrieweg" not in body
    assert events[f"presence-{bert.id}-2026-11-26-morning@werkplek"].location == ""
    assert events[f"presence-{bert.id}-2026-11-26-afternoon@werkplek"].summary == (
        "Bert Bakker: Uitvalsbasis Novatec"
    )


async def test_a_team_feed_hides_the_desk_of_someone_who_hides_it(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    team = await make_team("Vergunningen")
    admin = await make_person(roles=(Role.ADMIN,))
    anna = await make_person("Anna de Vries", teams=(team,), hide_desk=True)
    desk = await make_space(await make_site(), "werkplek 2.14")
    await make_booking(desk, anna, local(THURSDAY, 8), local(THURSDAY, 18), day_part="day")
    body = await _feed(client, await subscribe(admin, "team", team.id))
    assert parse_feed(body)[f"presence-{anna.id}-2026-11-26-day@werkplek"].summary == (
        "Anna de Vries: Stadskantoor"
    )
    assert b"2.14" not in body


async def test_a_team_feed_speaks_the_language_of_whoever_subscribed(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    make_location: MakeLocation,
    subscribe: Subscribe,
) -> None:
    team = await make_team("Vergunningen")
    agent = await make_person(roles=(Role.KCC,), language="en")
    bert = await make_person("Bert Bakker", teams=(team,))
    await make_location(bert, THURSDAY, "morning", "home")
    events = parse_feed(await _feed(client, await subscribe(agent, "team", team.id)))
    assert (
        events[f"presence-{bert.id}-2026-11-26-morning@werkplek"].summary == "Bert Bakker: At home"
    )


async def test_a_team_feed_leaves_out_people_who_left_the_organisation(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    make_location: MakeLocation,
    subscribe: Subscribe,
) -> None:
    team = await make_team("Vergunningen")
    agent = await make_person(roles=(Role.KCC,))
    gone = await make_person("Gerrit Gone", teams=(team,), active=False)
    await make_location(gone, THURSDAY, "morning", "home")
    body = await _feed(client, await subscribe(agent, "team", team.id))
    assert b"Gerrit" not in body


# --- site and space feeds -----------------------------------------------------------------


async def test_a_site_feed_shows_its_rooms_occupied_by_whom_but_never_a_title(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    anna, bert = await make_person("Anna de Vries"), await make_person()
    site = await make_site()
    room = await make_space(site, "Spreekkamer 1", kind="resident_room")
    booking = await make_booking(
        room, anna, local(THURSDAY, 10), local(THURSDAY, 11), title="Gesprek familie Jansen"
    )
    body = await _feed(client, await subscribe(bert, "site", site.id))
    event = parse_feed(body)[f"booking-{booking.id}@werkplek"]
    assert event.summary == "Spreekkamer 1: Bezet (Anna de Vries)"
    assert b"Jansen" not in body
    assert event.description == ""


async def test_a_site_feed_leaves_out_desks(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    site = await make_site()
    desk = await make_space(site, "werkplek 2.14")
    booking = await make_booking(desk, anna, local(THURSDAY, 8), local(THURSDAY, 13))
    events = parse_feed(await _feed(client, await subscribe(anna, "site", site.id)))
    assert f"booking-{booking.id}@werkplek" not in events


async def test_a_space_feed_shows_occupied_and_the_name(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    anna, bert = await make_person("Anna de Vries"), await make_person()
    room = await make_space(await make_site(), "Reitdiep", kind="meeting_room")
    booking = await make_booking(
        room, anna, local(THURSDAY, 10), local(THURSDAY, 11), title="Sollicitatiegesprek"
    )
    body = await _feed(client, await subscribe(bert, "space", room.id))
    event = parse_feed(body)[f"booking-{booking.id}@werkplek"]
    assert (event.summary, event.location) == (
        "Bezet (Anna de Vries)",
        "Stadskantoor – Reitdiep",
    )
    assert b"Sollicitatie" not in body


async def test_a_desk_feed_does_not_name_someone_who_hides_their_desk(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    anna, bert = await make_person("Anna de Vries", hide_desk=True), await make_person()
    desk = await make_space(await make_site(), "werkplek 2.14")
    booking = await make_booking(desk, anna, local(THURSDAY, 8), local(THURSDAY, 13))
    body = await _feed(client, await subscribe(bert, "space", desk.id))
    assert parse_feed(body)[f"booking-{booking.id}@werkplek"].summary == "Bezet"
    assert b"Anna" not in body
