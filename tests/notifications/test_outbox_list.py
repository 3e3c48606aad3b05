"""The outbox for administrators: "Uitgaande e-mail" (/admin/mail) and GET /api/mail list
the messages newest first, paged and filtered, with how many there are of each status;
subjects and recipients, never bodies. Nobody else may read it."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson
from tests.notifications.outbox_admin import add_mail, admin
from tests.stacked_tables import assert_stacks_on_phone
from werkplek.clock import FixedClock
from werkplek.notifications.models import MailKind, MailStatus
from werkplek.people.models import Role

Client = AsyncTestClient[Litestar]


async def listed(client: Client, **query: Any) -> Any:
    response = await client.get("/api/mail", params=query)
    assert response.status_code == 200, response.text
    return response.json()


def subjects(page: Any) -> list[str]:
    return [mail["subject"] for mail in page["mails"]]


async def test_the_api_lists_the_mail_newest_first(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    await add_mail(db, clock, "Oudste", minutes_ago=20)
    await add_mail(db, clock, "Nieuwste", minutes_ago=0)
    await add_mail(db, clock, "Middelste", minutes_ago=10)

    assert subjects(await listed(client)) == ["Nieuwste", "Middelste", "Oudste"]


async def test_a_listed_mail_has_its_recipients_status_and_attempts_but_no_body(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    await add_mail(
        db,
        clock,
        "Reservering bevestigd",
        status=MailStatus.FAILED,
        recipients=("anna@example.nl", "bert@example.nl"),
        attempts=8,
    )

    (mail,) = (await listed(client))["mails"]

    assert (mail["recipients"], mail["status"], mail["attempts"], mail["last_error"]) == (
        ["anna@example.nl", "bert@example.nl"],
        "failed",
        8,
        "550 mailbox unavailable",
    )
    assert "body" not in mail and "attachments" not in mail


async def test_only_a_waiting_mail_has_a_next_attempt(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    await add_mail(db, clock, "Wacht", status=MailStatus.PENDING)
    await add_mail(db, clock, "Weg", status=MailStatus.SENT)

    mails = {mail["subject"]: mail for mail in (await listed(client))["mails"]}

    assert mails["Wacht"]["next_attempt_at"] is not None
    assert mails["Weg"]["next_attempt_at"] is None


async def test_the_status_filter_lists_only_mail_of_that_status(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    await add_mail(db, clock, "Mislukt", status=MailStatus.FAILED)
    await add_mail(db, clock, "Verzonden", status=MailStatus.SENT)

    assert subjects(await listed(client, status="failed")) == ["Mislukt"]


async def test_the_kind_filter_lists_only_mail_of_that_kind(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    await add_mail(db, clock, "Bevestiging", kind=MailKind.BOOKING_CONFIRMED)
    await add_mail(db, clock, "Terugbellen", kind=MailKind.CALLBACK_NOTE)

    assert subjects(await listed(client, kind="callback_note")) == ["Terugbellen"]


async def test_the_text_filter_finds_part_of_a_recipients_address_whatever_the_case(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    await add_mail(db, clock, "Voor Anna", recipients=("anna@example.nl",))
    await add_mail(db, clock, "Voor Bert", recipients=("ops@example.nl", "Bert.Jansen@example.nl"))

    assert subjects(await listed(client, q="bert.JANSEN")) == ["Voor Bert"]


async def test_the_text_filter_finds_part_of_the_subject(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    await add_mail(db, clock, "Reservering geannuleerd")
    await add_mail(db, clock, "Veldbezoek gepland")

    assert subjects(await listed(client, q="veldbezoek")) == ["Veldbezoek gepland"]


async def test_the_text_filter_takes_a_percent_sign_literally(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    await add_mail(db, clock, "Bezetting 50% bereikt")
    await add_mail(db, clock, "Bezetting 50 procent")

    assert subjects(await listed(client, q="50%")) == ["Bezetting 50% bereikt"]


async def test_the_counts_give_the_mail_of_each_status(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    for status in (MailStatus.FAILED, MailStatus.PENDING, MailStatus.PENDING, MailStatus.SENT):
        await add_mail(db, clock, "Bericht", status=status)

    counts = (await listed(client))["counts"]

    assert counts == {"pending": 2, "sending": 0, "sent": 1, "failed": 1, "cancelled": 0}


async def test_the_counts_follow_the_other_filters_but_not_the_status(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    await add_mail(db, clock, "Voor Anna", status=MailStatus.FAILED)
    await add_mail(db, clock, "Voor Anna", status=MailStatus.SENT)
    await add_mail(
        db, clock, "Voor Bert", status=MailStatus.FAILED, recipients=("bert@example.nl",)
    )

    page = await listed(client, q="anna", status="sent")

    assert (page["total"], page["counts"]["failed"], page["counts"]["sent"]) == (1, 1, 1)


async def test_the_api_pages_with_limit_and_offset(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    for minutes in range(5):
        await add_mail(db, clock, f"Bericht {minutes}", minutes_ago=minutes)

    page = await listed(client, limit=2, offset=2)

    assert (page["total"], subjects(page)) == (5, ["Bericht 2", "Bericht 3"])


async def test_an_unknown_status_is_refused_naming_the_field(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)

    response = await client.get("/api/mail", params={"status": "lost"})

    assert response.status_code == 400
    assert [field["field"] for field in response.json()["fields"]] == ["status"]


async def test_a_search_text_over_200_characters_is_refused_naming_the_field(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)

    response = await client.get("/api/mail", params={"q": "x" * 201})

    assert response.status_code == 400
    assert [field["field"] for field in response.json()["fields"]] == ["q"]


async def test_an_employee_may_not_read_the_outbox(
    client: Client, employee: dict[str, str]
) -> None:
    assert (await client.get("/api/mail")).status_code == 403


async def test_facilities_may_not_open_the_outbox_page(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person(roles=(Role.FACILITIES,)))

    assert (await client.get("/admin/mail")).status_code == 403


# --- the page -----------------------------------------------------------------------------


async def test_the_page_shows_subject_recipients_kind_and_status_in_dutch(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    await add_mail(
        db,
        clock,
        "Een inwoner vraagt u terug te bellen",
        status=MailStatus.FAILED,
        kind=MailKind.CALLBACK_NOTE,
        recipients=("bert@example.nl",),
    )

    page = (await client.get("/admin/mail")).text

    assert "<h1>Uitgaande e-mail</h1>" in page
    assert "Een inwoner vraagt u terug te bellen" in page
    assert "bert@example.nl" in page
    assert "Terugbelverzoeken" in page
    assert "Mislukt" in page
    assert "550 mailbox unavailable" in page


async def test_the_page_never_shows_a_mails_text(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    await add_mail(db, clock, "Afwezigheid", body="Bel de inwoner op 0612345678")

    assert "0612345678" not in (await client.get("/admin/mail")).text


async def test_the_page_gives_the_queue_time_in_amsterdam(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    await add_mail(db, clock, "Bericht")  # 09:00 UTC

    assert "25-11-2026 10:00:00" in (await client.get("/admin/mail")).text


async def test_the_page_counts_the_mail_of_each_status_in_dutch(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    for status in (MailStatus.FAILED, MailStatus.FAILED, MailStatus.FAILED, MailStatus.PENDING):
        await add_mail(db, clock, "Bericht", status=status)

    page = (await client.get("/admin/mail")).text

    assert '<a href="/admin/mail?status=failed">3 mislukt</a>' in page
    assert '<a href="/admin/mail?status=pending">1 in de wachtrij</a>' in page


async def test_a_count_link_keeps_the_text_filter(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    await add_mail(db, clock, "Bericht", status=MailStatus.FAILED)

    page = (await client.get("/admin/mail", params={"q": "Bericht", "offset": "50"})).text

    assert '<a href="/admin/mail?q=Bericht&amp;status=failed">1 mislukt</a>' in page


async def test_the_page_offers_older_mail_keeping_the_filters(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    for minutes in range(51):
        await add_mail(db, clock, f"Bericht {minutes}", minutes_ago=minutes)

    page = (await client.get("/admin/mail", params={"status": "pending"})).text

    assert 'href="/admin/mail?status=pending&amp;offset=50" rel="next">Ouder</a>' in page
    assert "Bericht 49" in page and "Bericht 50" not in page


async def test_an_unknown_status_on_the_page_is_marked_at_its_field_in_dutch(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)

    response = await client.get("/admin/mail", params={"status": "lost", "q": "anna"})

    assert response.status_code == 422
    assert 'id="status-error"' in response.text
    assert "Kies een van de mogelijkheden." in response.text
    assert 'value="anna"' in response.text


async def test_the_mail_table_stacks_on_a_phone(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    await add_mail(db, clock, "Bericht", status=MailStatus.FAILED)

    assert_stacks_on_phone((await client.get("/admin/mail")).text, "mail-log")
