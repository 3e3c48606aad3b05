"""Importing absences from an .ics file (e.g. leave exported from Outlook)."""

from __future__ import annotations

from datetime import date

from httpx import Response
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson, MakeSite
from tests.feeds.conftest import MakeLocation
from werkplek.audit.models import AuditEvent
from werkplek.clock import FixedClock
from werkplek.feeds.api import IMPORT_MAX_BYTES
from werkplek.presence.models import DayReachability, WorkLocation

# Today is Wednesday 2026-11-25 in the test clock.
OUTLOOK_ZONE = """BEGIN:VTIMEZONE
TZID:W. Europe Standard Time
BEGIN:STANDARD
DTSTART:16011028T030000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010325T020000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
END:DAYLIGHT
END:VTIMEZONE
"""


def ics(*events: str, zone: str = "") -> bytes:
    body = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Microsoft Corporation//Outlook 16.0//EN\n"
    body += zone
    for number, event in enumerate(events):
        body += f"BEGIN:VEVENT\nUID:leave-{number}\nDTSTAMP:20261101T090000Z\n{event}END:VEVENT\n"
    body += "END:VCALENDAR\n"
    return body.replace("\n", "\r\n").encode()


def all_day(first: str, end: str, summary: str = "Vakantie") -> str:
    return f"SUMMARY:{summary}\nDTSTART;VALUE=DATE:{first}\nDTEND;VALUE=DATE:{end}\n"


def timed(start: str, end: str, summary: str = "Verlof") -> str:
    zone = "W. Europe Standard Time"
    return f"SUMMARY:{summary}\nDTSTART;TZID={zone}:{start}\nDTEND;TZID={zone}:{end}\n"


async def _stored(db: AsyncSession) -> set[tuple[str, str, str]]:
    await db.rollback()
    rows = (await db.execute(select(WorkLocation))).scalars()
    return {(row.date.isoformat(), row.day_part, row.kind) for row in rows}


async def _upload(client: AsyncTestClient[Litestar], body: bytes, query: str = "") -> Response:
    return await client.post(
        f"/api/presence/import{query}",
        files={"file": ("verlof.ics", body, "text/calendar")},
    )


async def test_an_all_day_event_marks_both_half_days_of_each_day_absent(
    client: AsyncTestClient[Litestar], employee: dict[str, str], db: AsyncSession
) -> None:
    response = await _upload(client, ics(all_day("20261201", "20261203")))
    assert response.status_code == 200
    assert await _stored(db) == {
        ("2026-12-01", "morning", "absent"),
        ("2026-12-01", "afternoon", "absent"),
        ("2026-12-02", "morning", "absent"),
        ("2026-12-02", "afternoon", "absent"),
    }


async def test_a_timed_event_marks_the_half_days_it_overlaps(
    client: AsyncTestClient[Litestar], employee: dict[str, str], db: AsyncSession
) -> None:
    body = ics(
        timed("20261203T140000", "20261203T170000"),
        timed("20261204T123000", "20261204T133000"),
        zone=OUTLOOK_ZONE,
    )
    result = (await _upload(client, body)).json()
    assert result["marked"] == [
        {"date": "2026-12-03", "day_part": "afternoon"},
        {"date": "2026-12-04", "day_part": "morning"},
        {"date": "2026-12-04", "day_part": "afternoon"},
    ]
    assert await _stored(db) == {
        ("2026-12-03", "afternoon", "absent"),
        ("2026-12-04", "morning", "absent"),
        ("2026-12-04", "afternoon", "absent"),
    }


async def test_the_half_days_of_an_import_split_at_one_oclock_like_presence(
    client: AsyncTestClient[Litestar], employee: dict[str, str], db: AsyncSession
) -> None:
    body = ics(timed("20261204T090000", "20261204T130000"), zone=OUTLOOK_ZONE)
    await _upload(client, body)
    assert await _stored(db) == {("2026-12-04", "morning", "absent")}


async def test_times_in_utc_count_in_amsterdam_time(
    client: AsyncTestClient[Litestar], employee: dict[str, str], db: AsyncSession
) -> None:
    # 12:45–16:00 UTC is 13:45–17:00 in Amsterdam in winter: the afternoon only.
    body = ics("SUMMARY:Verlof\nDTSTART:20261203T124500Z\nDTEND:20261203T160000Z\n")
    await _upload(client, body)
    assert await _stored(db) == {("2026-12-03", "afternoon", "absent")}


async def test_a_text_calendar_body_is_accepted_as_well_as_an_upload(
    client: AsyncTestClient[Litestar], employee: dict[str, str], db: AsyncSession
) -> None:
    response = await client.post(
        "/api/presence/import",
        content=ics(all_day("20261201", "20261202")),
        headers={"Content-Type": "text/calendar"},
    )
    assert response.status_code == 200
    assert len(await _stored(db)) == 2


async def test_a_dry_run_tells_what_would_be_marked_and_stores_nothing(
    client: AsyncTestClient[Litestar], employee: dict[str, str], db: AsyncSession
) -> None:
    response = await _upload(client, ics(all_day("20261201", "20261202")), "?dry_run=true")
    result = response.json()
    assert result["dry_run"] is True
    assert result["marked"] == [
        {"date": "2026-12-01", "day_part": "morning"},
        {"date": "2026-12-01", "day_part": "afternoon"},
    ]
    assert await _stored(db) == set()
    await db.rollback()
    assert (
        await db.execute(select(AuditEvent).where(AuditEvent.action == "set_day"))
    ).first() is None


async def test_a_malformed_file_is_refused_with_the_reason_and_nothing_is_stored(
    client: AsyncTestClient[Litestar], employee: dict[str, str], db: AsyncSession
) -> None:
    body = ics(all_day("20261201", "20261202"), "SUMMARY:Kapot\nDTSTART:2026-12-03 maandag\n")
    response = await _upload(client, body)
    assert response.status_code == 400
    error = response.json()
    assert error["error"] == "invalid_calendar"
    assert "Kapot" in error["message"] and "DTSTART" in error["message"]
    assert await _stored(db) == set()


async def test_a_file_that_is_not_a_calendar_is_refused(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    for body in (b"", b"naam;datum\nAnna;1-12-2026\n", b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"):
        response = await _upload(client, body)
        assert response.status_code == 400, body
        assert response.json()["field"] == "file"


async def test_the_parsers_own_words_about_a_refused_file_come_as_a_detail(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await _upload(client, b"hello world")
    assert "hello world" in response.json()["details"]["parser"]


async def test_an_event_that_ends_before_it_starts_is_refused(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await _upload(client, ics(all_day("20261203", "20261201")))
    assert response.status_code == 400


async def test_an_upload_without_a_file_field_is_refused(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.post("/api/presence/import", files={"other": ("x.ics", b"x")})
    assert response.status_code == 400
    assert response.json()["error"] == "file_missing"


async def test_days_beyond_the_planning_horizon_are_skipped_and_reported(
    client: AsyncTestClient[Litestar], employee: dict[str, str], db: AsyncSession
) -> None:
    # 90 days ahead is 2027-02-23 (a Tuesday); the 24th is one day too far.
    result = (await _upload(client, ics(all_day("20270223", "20270225")))).json()
    assert [item["date"] for item in result["marked"]] == ["2027-02-23", "2027-02-23"]
    assert [(item["date"], item["reason"]) for item in result["skipped"]] == [
        ("2027-02-24", "outside_planning_horizon")
    ]
    assert await _stored(db) == {
        ("2027-02-23", "morning", "absent"),
        ("2027-02-23", "afternoon", "absent"),
    }


async def test_weekend_days_inside_a_longer_leave_are_left_alone(
    client: AsyncTestClient[Litestar], employee: dict[str, str], db: AsyncSession
) -> None:
    # Friday 4 December to Monday 7 December.
    result = (await _upload(client, ics(all_day("20261204", "20261208")))).json()
    assert {item["date"] for item in result["marked"]} == {"2026-12-04", "2026-12-07"}
    assert [(item["date"], item["reason"]) for item in result["skipped"]] == [
        ("2026-12-05", "weekend"),
        ("2026-12-06", "weekend"),
    ]


async def test_a_weekly_repeating_leave_marks_each_occurrence(
    client: AsyncTestClient[Litestar], employee: dict[str, str], db: AsyncSession
) -> None:
    event = timed("20261202T130000", "20261202T170000", "Ouderschapsverlof")
    event += "RRULE:FREQ=WEEKLY;COUNT=3;BYDAY=WE\n"
    event += "EXDATE;TZID=W. Europe Standard Time:20261209T130000\n"
    await _upload(client, ics(event, zone=OUTLOOK_ZONE))
    assert await _stored(db) == {
        ("2026-12-02", "afternoon", "absent"),
        ("2026-12-16", "afternoon", "absent"),
    }


async def test_a_cancelled_event_is_not_imported(
    client: AsyncTestClient[Litestar], employee: dict[str, str], db: AsyncSession
) -> None:
    await _upload(client, ics(all_day("20261201", "20261202") + "STATUS:CANCELLED\n"))
    assert await _stored(db) == set()


async def test_the_rest_of_the_day_is_kept_when_half_a_day_is_imported(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    make_site: MakeSite,
    make_location: MakeLocation,
    login_as: LoginAs,
) -> None:
    anna = await make_person()
    site = await make_site()
    await make_location(anna, date(2026, 12, 3), "morning", "office", site=site)
    db.add(
        DayReachability(
            person_id=anna.id, date=date(2026, 12, 3), note="Bel na 10 uur", updated_at=clock.now()
        )
    )
    await db.commit()
    await login_as(anna)
    await _upload(client, ics(timed("20261203T140000", "20261203T170000"), zone=OUTLOOK_ZONE))
    assert await _stored(db) == {
        ("2026-12-03", "morning", "office"),
        ("2026-12-03", "afternoon", "absent"),
    }
    note = (await db.execute(select(DayReachability.note))).scalar_one()
    assert note == "Bel na 10 uur"


async def test_a_day_already_marked_absent_is_reported_and_keeps_its_reason(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    make_location: MakeLocation,
    login_as: LoginAs,
) -> None:
    anna = await make_person()
    for part in ("morning", "afternoon"):
        await make_location(anna, date(2026, 12, 1), part, "absent", reason="Cursus")
    await login_as(anna)
    result = (await _upload(client, ics(all_day("20261201", "20261202")))).json()
    assert result["marked"] == []
    assert result["skipped"][0]["reason"] == "already_absent"
    await db.rollback()
    reasons = set((await db.execute(select(WorkLocation.absence_reason))).scalars())
    assert reasons == {"Cursus"}


async def test_an_import_is_recorded_in_the_audit_trail(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person()
    await login_as(anna)
    await _upload(client, ics(all_day("20261201", "20261202")))
    await db.rollback()
    event = (
        await db.execute(select(AuditEvent).where(AuditEvent.action == "import_absence"))
    ).scalar_one()
    assert event.actor_id == anna.id
    assert event.details["parts"] == ["2026-12-01 morning", "2026-12-01 afternoon"]


async def test_importing_needs_a_login(client: AsyncTestClient[Litestar]) -> None:
    response = await client.post(
        "/api/presence/import",
        content=ics(all_day("20261201", "20261202")),
        headers={"Content-Type": "text/calendar"},
    )
    assert response.status_code == 401


async def test_a_body_over_the_upload_limit_is_413_at_the_file_with_a_message(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    too_big = b"X" * (IMPORT_MAX_BYTES + 128 * 1024)

    response = await client.post("/api/presence/import", files={"file": ("x.ics", too_big)})

    assert (response.status_code, response.json()["field"], response.json()["message"]) == (
        413,
        "file",
        "Het bestand is te groot voor een geëxporteerde agenda.",
    )
