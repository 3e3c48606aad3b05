"""Which events of an imported calendar mark one absent: free time does not, and all-day
events count even when marked free, as Google Calendar and Outlook export them that way.

The samples follow what Google Calendar ("Export") and Outlook ("Save calendar") write.
Today is Wednesday 2026-11-25 in the test clock.
"""

from __future__ import annotations

from httpx import Response
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson
from werkplek.presence.models import WorkLocation

GOOGLE_HEAD = """BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
CALSCALE:GREGORIAN
METHOD:PUBLISH
X-WR-CALNAME:anna.devries@gemeente.nl
X-WR-TIMEZONE:Europe/Amsterdam
BEGIN:VTIMEZONE
TZID:Europe/Amsterdam
X-LIC-LOCATION:Europe/Amsterdam
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""

OUTLOOK_HEAD = """BEGIN:VCALENDAR
PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN
VERSION:2.0
METHOD:PUBLISH
X-CALSTART:20261201T000000Z
X-WR-CALNAME:Agenda
BEGIN:VTIMEZONE
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


def google_event(number: int, dates: str, summary: str, transp: str) -> str:
    return f"""BEGIN:VEVENT
{dates}
DTSTAMP:20261125T080000Z
UID:{number}abc123def456@google.com
CREATED:20261101T100000Z
DESCRIPTION:
LAST-MODIFIED:20261101T100000Z
LOCATION:
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:{summary}
TRANSP:{transp}
END:VEVENT
"""


def outlook_event(number: int, dates: str, summary: str, transp: str, busy: str) -> str:
    all_day = "TRUE" if "VALUE=DATE:" in dates else "FALSE"
    return f"""BEGIN:VEVENT
CLASS:PUBLIC
CREATED:20261101T100000Z
{dates}
DTSTAMP:20261125T080000Z
LAST-MODIFIED:20261101T100000Z
PRIORITY:5
SEQUENCE:0
SUMMARY;LANGUAGE=nl-NL:{summary}
TRANSP:{transp}
UID:040000008200E00074C5B7101A82E00800000000{number:04d}
X-MICROSOFT-CDO-BUSYSTATUS:{busy}
X-MICROSOFT-CDO-IMPORTANCE:1
X-MICROSOFT-CDO-INSTTYPE:0
X-MICROSOFT-CDO-ALLDAYEVENT:{all_day}
END:VEVENT
"""


def calendar(head: str, *events: str) -> bytes:
    return (head + "".join(events) + "END:VCALENDAR\n").replace("\n", "\r\n").encode()


def google_all_day(first: str, end: str) -> str:
    return f"DTSTART;VALUE=DATE:{first}\nDTEND;VALUE=DATE:{end}"


def google_timed(start: str, end: str) -> str:
    return f"DTSTART;TZID=Europe/Amsterdam:{start}\nDTEND;TZID=Europe/Amsterdam:{end}"


def outlook_all_day(first: str, end: str) -> str:
    return f"DTSTART;VALUE=DATE:{first}\nDTEND;VALUE=DATE:{end}"


def outlook_timed(start: str, end: str) -> str:
    zone = "W. Europe Standard Time"
    return f"DTSTART;TZID={zone}:{start}\nDTEND;TZID={zone}:{end}"


async def _stored(db: AsyncSession) -> set[tuple[str, str]]:
    await db.rollback()
    rows = (await db.execute(select(WorkLocation))).scalars()
    return {(row.date.isoformat(), row.day_part) for row in rows if row.kind == "absent"}


async def _upload(client: AsyncTestClient[Litestar], body: bytes) -> Response:
    response = await client.post(
        "/api/presence/import", files={"file": ("agenda.ics", body, "text/calendar")}
    )
    assert response.status_code == 200, response.text
    return response


async def test_a_google_all_day_holiday_marks_the_days_absent_although_it_is_transparent(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person())
    holiday = google_event(1, google_all_day("20261207", "20261209"), "Vakantie", "TRANSPARENT")
    await _upload(client, calendar(GOOGLE_HEAD, holiday))
    assert await _stored(db) == {
        ("2026-12-07", "morning"),
        ("2026-12-07", "afternoon"),
        ("2026-12-08", "morning"),
        ("2026-12-08", "afternoon"),
    }


async def test_a_google_timed_event_shown_as_available_marks_nothing(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person())
    reminder = google_event(
        1, google_timed("20261203T090000", "20261203T100000"), "Lunch bestellen", "TRANSPARENT"
    )
    await _upload(client, calendar(GOOGLE_HEAD, reminder))
    assert await _stored(db) == set()


async def test_a_google_timed_event_shown_as_busy_marks_the_half_day_it_overlaps(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person())
    dentist = google_event(
        1, google_timed("20261203T140000", "20261203T160000"), "Tandarts", "OPAQUE"
    )
    await _upload(client, calendar(GOOGLE_HEAD, dentist))
    assert await _stored(db) == {("2026-12-03", "afternoon")}


async def test_an_outlook_all_day_out_of_office_event_marks_the_day_absent(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person())
    leave = outlook_event(1, outlook_all_day("20261204", "20261205"), "Vrij", "OPAQUE", "OOF")
    await _upload(client, calendar(OUTLOOK_HEAD, leave))
    assert await _stored(db) == {("2026-12-04", "morning"), ("2026-12-04", "afternoon")}


async def test_an_outlook_timed_out_of_office_event_counts_even_when_marked_transparent(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person())
    doctor = outlook_event(
        1, outlook_timed("20261203T140000", "20261203T160000"), "Huisarts", "TRANSPARENT", "OOF"
    )
    await _upload(client, calendar(OUTLOOK_HEAD, doctor))
    assert await _stored(db) == {("2026-12-03", "afternoon")}


async def test_an_outlook_all_day_event_shown_as_free_marks_the_day_absent(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    """Outlook makes new all-day events "Free": a day off entered quickly stays one."""
    await login_as(await make_person())
    leave = outlook_event(
        1, outlook_all_day("20261204", "20261205"), "Snipperdag", "TRANSPARENT", "FREE"
    )
    await _upload(client, calendar(OUTLOOK_HEAD, leave))
    assert await _stored(db) == {("2026-12-04", "morning"), ("2026-12-04", "afternoon")}


async def test_an_older_outlooks_midnight_to_midnight_all_day_event_shown_as_free_counts(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    """Outlook 2010 exports an all-day event with times, marked as all day."""
    await login_as(await make_person())
    leave = outlook_event(
        1, outlook_timed("20261204T000000", "20261205T000000"), "Snipperdag", "TRANSPARENT", "FREE"
    ).replace("X-MICROSOFT-CDO-ALLDAYEVENT:FALSE", "X-MICROSOFT-CDO-ALLDAYEVENT:TRUE")
    await _upload(client, calendar(OUTLOOK_HEAD, leave))
    assert await _stored(db) == {("2026-12-04", "morning"), ("2026-12-04", "afternoon")}


async def test_an_outlook_timed_event_shown_as_free_marks_nothing(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person())
    webinar = outlook_event(
        1,
        outlook_timed("20261203T100000", "20261203T110000"),
        "Webinar (optioneel)",
        "TRANSPARENT",
        "FREE",
    )
    await _upload(client, calendar(OUTLOOK_HEAD, webinar))
    assert await _stored(db) == set()


async def test_an_outlook_all_day_event_shown_as_working_elsewhere_marks_nothing(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person())
    elsewhere = outlook_event(
        1, outlook_all_day("20261204", "20261205"), "Thuiswerken", "OPAQUE", "WORKINGELSEWHERE"
    )
    await _upload(client, calendar(OUTLOOK_HEAD, elsewhere))
    assert await _stored(db) == set()


async def test_the_answer_counts_the_events_left_out_as_free_time(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person())
    body = calendar(
        OUTLOOK_HEAD,
        outlook_event(1, outlook_all_day("20261204", "20261205"), "Vrij", "OPAQUE", "OOF"),
        outlook_event(
            2, outlook_timed("20261203T100000", "20261203T110000"), "Webinar", "TRANSPARENT", "FREE"
        ),
    )
    result = (await _upload(client, body)).json()
    assert (result["events"], result["free_events"]) == (2, 1)


async def test_the_page_says_how_many_events_were_free_time(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    csrf = await login_as(await make_person())
    body = calendar(
        GOOGLE_HEAD,
        google_event(1, google_timed("20261203T090000", "20261203T100000"), "Focus", "TRANSPARENT"),
    )
    response = await client.post(
        "/feeds/import",
        data={"_csrf": csrf["X-CSRF-Token"]},
        files={"file": ("agenda.ics", body, "text/calendar")},
    )
    assert "1 afspraak is vrije tijd en markeert niets." in response.text
