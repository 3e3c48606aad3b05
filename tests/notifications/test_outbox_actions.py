"""Administrators act on the outbox: a mail the outbox gave up on is tried again (back in
the queue, due now, with a new round of attempts), a mail still waiting or given up on is
cancelled; both audited, both refused with 409 and a stable code for a mail in another
state. The home page tells them how many mails could not be sent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson
from tests.notifications.conftest import outbox, while_sending
from tests.notifications.outbox_admin import add_mail, admin
from werkplek.audit.models import AuditEvent
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.notifications.models import MailKind, MailStatus
from werkplek.notifications.outbox import cancel_mail, send_due_mail
from werkplek.people.models import Role

Client = AsyncTestClient[Litestar]


async def nothing(other: AsyncSession) -> None:
    return None


async def audit_events(db: AsyncSession) -> list[AuditEvent]:
    await db.rollback()
    return list((await db.execute(select(AuditEvent).order_by(AuditEvent.id))).scalars())


# --- trying again -------------------------------------------------------------------------


async def test_a_failed_mail_tried_again_waits_in_the_queue_due_now(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    mail = await add_mail(db, clock, "Bericht", status=MailStatus.FAILED, attempts=8)
    clock.advance(timedelta(hours=3))

    response = await client.post(f"/api/mail/{mail.id}/retry")

    assert response.status_code == 200, response.text
    (row,) = await outbox(db)
    assert (row.status, row.next_attempt_at) == (MailStatus.PENDING, clock.now())


async def test_a_failed_mail_tried_again_gets_a_new_round_of_attempts(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    mail = await add_mail(db, clock, "Bericht", status=MailStatus.FAILED, attempts=8)

    answer = (await client.post(f"/api/mail/{mail.id}/retry")).json()

    assert (answer["status"], answer["attempts"]) == ("pending", 0)


async def test_a_failed_mail_tried_again_keeps_its_last_error_until_the_next_attempt(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    mail = await add_mail(db, clock, "Bericht", status=MailStatus.FAILED, attempts=8)

    answer = (await client.post(f"/api/mail/{mail.id}/retry")).json()

    assert answer["last_error"] == "550 mailbox unavailable"


async def test_a_failed_mail_tried_again_goes_out_on_the_next_run(
    monkeypatch: pytest.MonkeyPatch,
    client: Client,
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    await admin(make_person, login_as)
    mail = await add_mail(db, clock, "Bericht", status=MailStatus.FAILED, attempts=8)
    await client.post(f"/api/mail/{mail.id}/retry")
    sent = while_sending(monkeypatch, db, nothing)

    await db.rollback()
    await send_due_mail(db, clock, settings)
    await db.commit()

    assert [m.subject for m in sent] == ["Bericht"]
    (row,) = await outbox(db)
    assert (row.status, row.attempts, row.last_error) == (MailStatus.SENT, 1, None)


async def test_trying_a_mail_again_is_audited_with_the_attempts_it_had(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    ada = await admin(make_person, login_as)
    mail = await add_mail(db, clock, "Bericht", status=MailStatus.FAILED, attempts=8)

    await client.post(f"/api/mail/{mail.id}/retry")

    (event,) = await audit_events(db)
    assert (event.actor_id, event.action, event.object_type, event.object_id) == (
        ada.id,
        "retry",
        "mail",
        str(mail.id),
    )
    assert event.details == {"attempts": 8}


@pytest.mark.parametrize("status", [MailStatus.PENDING, MailStatus.SENT, MailStatus.CANCELLED])
async def test_only_a_failed_mail_can_be_tried_again(
    client: Client,
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
    status: MailStatus,
) -> None:
    await admin(make_person, login_as)
    mail = await add_mail(db, clock, "Bericht", status=status)

    response = await client.post(f"/api/mail/{mail.id}/retry")

    assert (response.status_code, response.json()["error"]) == (409, "mail_not_failed")
    assert [row.status for row in await outbox(db)] == [status]


async def test_a_failed_alert_about_a_visit_resolved_since_cannot_be_tried_again(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    """It would alarm its readers about a colleague who is safe: withdrawing the alert's
    mails (as checking the visit out does) cancels the failed one too."""
    await admin(make_person, login_as)
    mail = await add_mail(
        db,
        clock,
        "Veldbezoek niet afgemeld",
        status=MailStatus.FAILED,
        kind=MailKind.VISIT_ALERT,
        ref="visit_alert:1",
    )
    await cancel_mail(db, ["visit_alert:1"])
    await db.commit()

    response = await client.post(f"/api/mail/{mail.id}/retry")

    assert (response.status_code, response.json()["error"]) == (409, "mail_not_failed")


async def test_trying_an_unknown_mail_again_is_404(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)

    assert (await client.post("/api/mail/999/retry")).status_code == 404


# --- cancelling ---------------------------------------------------------------------------


async def test_a_waiting_mail_cancelled_is_not_sent(
    monkeypatch: pytest.MonkeyPatch,
    client: Client,
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    await admin(make_person, login_as)
    mail = await add_mail(db, clock, "Bericht")
    sent = while_sending(monkeypatch, db, nothing)

    response = await client.post(f"/api/mail/{mail.id}/cancel")
    await db.rollback()
    await send_due_mail(db, clock, settings)
    await db.commit()

    assert (response.status_code, response.json()["status"]) == (200, "cancelled")
    assert sent == []


async def test_cancelling_a_mail_is_audited(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    ada = await admin(make_person, login_as)
    mail = await add_mail(db, clock, "Bericht")

    await client.post(f"/api/mail/{mail.id}/cancel")

    (event,) = await audit_events(db)
    assert (event.actor_id, event.action, event.object_type, event.object_id) == (
        ada.id,
        "cancel",
        "mail",
        str(mail.id),
    )


async def test_a_failed_mail_cancelled_is_no_longer_counted_on_the_home_page(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    mail = await add_mail(db, clock, "Bericht", status=MailStatus.FAILED)

    response = await client.post(f"/api/mail/{mail.id}/cancel")

    assert (response.status_code, response.json()["status"]) == (200, "cancelled")
    assert "niet worden verzonden" not in (await client.get("/")).text


@pytest.mark.parametrize("status", [MailStatus.SENDING, MailStatus.SENT, MailStatus.CANCELLED])
async def test_only_a_waiting_or_failed_mail_can_be_cancelled(
    client: Client,
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
    status: MailStatus,
) -> None:
    await admin(make_person, login_as)
    mail = await add_mail(db, clock, "Bericht", status=status)

    response = await client.post(f"/api/mail/{mail.id}/cancel")

    assert (response.status_code, response.json()["error"]) == (409, "mail_not_cancellable")
    assert [row.status for row in await outbox(db)] == [status]


async def test_an_employee_may_not_cancel_a_mail(
    client: Client, db: AsyncSession, clock: FixedClock, employee: dict[str, str]
) -> None:
    mail = await add_mail(db, clock, "Bericht")

    response = await client.post(f"/api/mail/{mail.id}/cancel")

    assert response.status_code == 403
    assert [row.status for row in await outbox(db)] == [MailStatus.PENDING]


# --- the page's buttons -------------------------------------------------------------------


async def test_the_page_offers_to_try_a_failed_mail_again_and_to_cancel_it_or_a_waiting_one(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    failed = await add_mail(db, clock, "Mislukt", status=MailStatus.FAILED)
    waiting = await add_mail(db, clock, "Wacht")
    sent = await add_mail(db, clock, "Weg", status=MailStatus.SENT)

    page = (await client.get("/admin/mail")).text

    assert f'action="/admin/mail/{failed.id}/retry"' in page
    assert f'action="/admin/mail/{failed.id}/cancel"' in page
    assert f'action="/admin/mail/{waiting.id}/cancel"' in page
    assert f"/admin/mail/{sent.id}/" not in page
    assert "Opnieuw proberen" in page and "Annuleren" in page


async def test_trying_again_on_the_page_says_so_in_dutch_keeping_the_filters(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    mail = await add_mail(db, clock, "Bericht", status=MailStatus.FAILED)

    response = await client.post(f"/admin/mail/{mail.id}/retry?status=failed&q=anna")

    assert response.status_code == 200
    assert str(response.url).endswith("/admin/mail?status=failed&q=anna&notice=retried")
    assert "De e-mail staat weer in de wachtrij" in response.text


async def test_cancelling_on_the_page_says_so_in_dutch(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    mail = await add_mail(db, clock, "Bericht")

    response = await client.post(f"/admin/mail/{mail.id}/cancel")

    assert "De e-mail is geannuleerd en wordt niet verzonden." in response.text


async def test_a_refused_action_on_the_page_says_why_in_dutch(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    mail = await add_mail(db, clock, "Bericht", status=MailStatus.SENT)

    response = await client.post(f"/admin/mail/{mail.id}/retry")

    assert response.status_code == 409
    assert "Alleen een e-mail die niet kon worden verzonden" in response.text
    assert "<h1>Uitgaande e-mail</h1>" in response.text


async def test_the_page_refuses_an_action_without_the_csrf_token(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    mail = await add_mail(db, clock, "Bericht")
    del client.headers["X-CSRF-Token"]

    response = await client.post(f"/admin/mail/{mail.id}/cancel")

    assert response.status_code == 403
    assert [row.status for row in await outbox(db)] == [MailStatus.PENDING]


# --- the home page ------------------------------------------------------------------------


async def test_the_home_page_tells_an_admin_how_many_mails_could_not_be_sent(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    await add_mail(db, clock, "Een", status=MailStatus.FAILED)
    await add_mail(db, clock, "Twee", status=MailStatus.FAILED)

    page = (await client.get("/")).text

    assert "2 e-mails konden niet worden verzonden" in page
    assert '<a href="/admin/mail?status=failed">' in page


async def test_the_home_page_says_nothing_of_mail_while_none_failed(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    await add_mail(db, clock, "Wacht")

    assert "niet worden verzonden" not in (await client.get("/")).text


async def test_the_home_page_tells_no_one_but_admins_of_failed_mail(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person(roles=(Role.FACILITIES,)))
    await add_mail(db, clock, "Een", status=MailStatus.FAILED)

    assert "niet worden verzonden" not in (await client.get("/")).text
