"""The mails' plain text: a list of bookings, then each further paragraph after one blank line."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from werkplek.config import Settings
from werkplek.notifications.render import render_mail

DESK_MORNING = {
    "start": "2026-12-07T07:30:00+00:00",
    "end": "2026-12-07T12:00:00+00:00",
    "day_part": "morning",
    "kind": "desk",
    "space": "Flexplek 1.12",
    "site": "Stadhuis",
    "address": "",
    "title": "",
}


def _cancelled(settings: Settings, reason: str, explanation: str = "") -> str:
    context = {
        "name": "Anna",
        "bookings": [DESK_MORNING],
        "reason": reason,
        "explanation": explanation,
        "cancelled_by": "",
    }
    return render_mail(settings, "booking_cancelled", context, "nl")[1]


def test_a_dutch_mail_greets_its_reader_as_beste_fitting_the_formal_u(
    settings: Settings,
) -> None:
    assert _cancelled(settings, "").startswith("Beste Anna,\n")


def test_a_closures_reason_stands_one_blank_line_below_the_bookings(settings: Settings) -> None:
    body = _cancelled(settings, "closure", "Lekkage.")

    assert "Stadhuis\n\nDe locatie is dan gesloten. Lekkage.\n\nOpen de bijgevoegde" in body


def test_a_no_shows_reason_is_followed_by_one_blank_line(settings: Settings) -> None:
    body = _cancelled(settings, "no_show")

    assert "vrijgegeven voor anderen.\n\nOpen de bijgevoegde" in body


def test_a_cancellation_without_a_reason_has_one_blank_line_before_the_invitation(
    settings: Settings,
) -> None:
    assert "Stadhuis\n\nOpen de bijgevoegde" in _cancelled(settings, "")


def test_a_day_part_is_written_in_lower_case_within_the_line(settings: Settings) -> None:
    assert "- maandag 7 december 2026, ochtend (08:30–13:00)" in _cancelled(settings, "")


def test_a_declines_reason_stands_one_blank_line_below_the_bookings(settings: Settings) -> None:
    context = {"name": "Anna", "bookings": [DESK_MORNING], "approved": False, "lapsed": False}
    body = render_mail(settings, "approval_decision", {**context, "reason": "Verbouwing"}, "nl")[1]

    assert "Stadhuis\n\nReden: Verbouwing\n\nMet vriendelijke groet," in body


def test_a_moves_bookings_stand_one_blank_line_below_who_moved_it_and_above_the_advice(
    settings: Settings,
) -> None:
    context = {
        "name": "Anna",
        "bookings": [{**DESK_MORNING, "space": "Flexplek 1.14", "status": "confirmed"}],
        "moved_from": "Flexplek 1.12",
        "moved_by": "Fenna",
        "by_facilities": True,
    }
    body = render_mail(settings, "booking_moved", context, "nl")[1]

    assert (
        "van Flexplek 1.12 naar Flexplek 1.14:\n\n- maandag 7 december 2026, ochtend (08:30–13:00)"
        "\n  Flexplek 1.14, Stadhuis\n\nCheck in" in body
    )


def test_a_moves_reason_stands_one_blank_line_below_its_bookings_and_above_the_advice(
    settings: Settings,
) -> None:
    context = {
        "name": "Anna",
        "bookings": [{**DESK_MORNING, "space": "Flexplek 1.14", "status": "confirmed"}],
        "moved_from": "Flexplek 1.12",
        "moved_by": "Fenna",
        "by_facilities": True,
        "reason": "Lekkage",
    }
    body = render_mail(settings, "booking_moved", context, "nl")[1]

    assert "Flexplek 1.14, Stadhuis\n\nReden: Lekkage\n\nCheck in" in body


ROOM_AFTERNOON = {
    **DESK_MORNING,
    "start": "2026-12-07T13:00:00+00:00",
    "end": "2026-12-07T14:30:00+00:00",
    "day_part": None,
    "kind": "meeting_room",
    "space": "Kievit",
}
SIGN_OFF_WITH_LINK = (
    "Met vriendelijke groet,\nWerkplek\n\nDeze e-mail is verstuurd door Werkplek.\n"
    "Welke e-mails u krijgt, kiest u onder Meldingen: https://werkplek.example.nl/notifications\n"
)
#: Each mail template with what it needs to render.
MAILS = {
    "booking_confirmed": {"bookings": [DESK_MORNING]},
    "booking_cancelled": {
        "bookings": [DESK_MORNING],
        "reason": "",
        "explanation": "",
        "cancelled_by": "",
    },
    "booking_moved": {
        "bookings": [{**DESK_MORNING, "status": "confirmed"}],
        "moved_from": "Flexplek 1.11",
        "moved_by": "",
        "by_facilities": False,
    },
    "booking_rescheduled": {
        "bookings": [{**ROOM_AFTERNOON, "status": "confirmed"}],
        "was": {
            "space": "Kievit",
            "start": "2026-12-07T12:00:00+00:00",
            "end": "2026-12-07T13:00:00+00:00",
        },
        "moved_by": "",
        "by_facilities": False,
        "invites": 2,
    },
    "series_rescheduled": {
        "bookings": [{**ROOM_AFTERNOON, "status": "confirmed"}],
        "was": {
            "space": "Kievit",
            "start": "2026-12-07T12:00:00+00:00",
            "end": "2026-12-07T13:00:00+00:00",
        },
        "moved_by": "",
        "by_facilities": False,
        "invites": 2,
        "skipped": [],
    },
    "approval_request": {"bookings": [DESK_MORNING], "requester": "Bram", "booked_by": ""},
    "approval_decision": {
        "bookings": [DESK_MORNING],
        "approved": True,
        "lapsed": False,
        "reason": "",
    },
    "no_show_warning": {
        "bookings": [DESK_MORNING],
        "release_at": "2026-12-07T08:00:00+00:00",
        "space_id": 1,
    },
    "callback_note": {"left_by": "Karin", "left_at": "2026-12-07T09:15:00+00:00"},
    "backup_named": {
        "reported_by": "Lea",
        "absent": "Sanne",
        "by_themselves": False,
        "first": "2026-12-14",
        "last": "2026-12-18",
        "days": 5,
        "withdrawn": False,
        "note": "Spoed via Jeroen",
    },
    "backup_dropped": {
        "changed_by": "Lea",
        "absent": "Sanne",
        "by_themselves": False,
        "dates": [{"date": "2026-12-14"}, {"date": "2026-12-15"}],
    },
    "backup_usual": {
        "colleague": "Sanne",
        "changed_by": "Lea",
        "by_themselves": True,
        "chosen": True,
    },
    "backup_left": {
        "backup": "Jeroen",
        "usual": True,
        "dates": [{"date": "2026-12-14"}, {"date": "2026-12-15"}],
    },
    "absence_reported": {
        "reported_by": "Lea",
        "first": "2026-12-14",
        "last": "2026-12-18",
        "days": 5,
        "withdrawn": False,
        "desks_cancelled": 1,
        "invitations_declined": 0,
        "bookings": [ROOM_AFTERNOON],
    },
    "meeting_invitation": {"bookings": [ROOM_AFTERNOON], "organizer": "Bram"},
    "meeting_changed": {
        "bookings": [ROOM_AFTERNOON],
        "organizer": "Bram",
        "was": {
            "space": "Kievit",
            "start": "2026-12-07T12:00:00+00:00",
            "end": "2026-12-07T13:00:00+00:00",
        },
    },
    "meeting_cancelled": {"bookings": [ROOM_AFTERNOON], "organizer": "Bram", "cancelled": True},
    "meeting_confirmed": {"bookings": [ROOM_AFTERNOON], "organizer": "Bram"},
    "meeting_response": {"bookings": [ROOM_AFTERNOON], "participant": "Bram", "accepted": True},
    "visitor_arrived": {"bookings": [ROOM_AFTERNOON], "visitor": "Jan", "organisation": "GGD"},
    "waitlist_expired": {
        "place": "Stadhuis",
        "start": "2026-12-06T23:00:00+00:00",
        "end": "2026-12-06T23:00:00+00:00",
        "day_part": "morning",
    },
    "visit_planned": {
        "planned_by": "Lotte",
        "visit_id": 1,
        "area": "Marum",
        "start": "2026-12-07T09:30:00+00:00",
        "end": "2026-12-07T10:30:00+00:00",
    },
    "visit_changed": {
        "changed_by": "Lotte",
        "visit_id": 1,
        "area": "Marum",
        "start": "2026-12-07T13:00:00+00:00",
        "end": "2026-12-07T14:00:00+00:00",
        "was": {
            "area": "Leek",
            "start": "2026-12-07T09:30:00+00:00",
            "end": "2026-12-07T10:30:00+00:00",
        },
        "place_changed": True,
    },
    "visit_dropped": {
        "dropped_by": "Lotte",
        "visit_id": 1,
        "area": "Marum",
        "start": "2026-12-07T09:30:00+00:00",
        "end": "2026-12-07T10:30:00+00:00",
    },
}


def test_the_sign_off_test_covers_every_mail_template(settings: Settings) -> None:
    templates = Path(settings.templates_dir, "mail").glob("[!_]*.txt")

    assert sorted(path.stem for path in templates) == sorted(MAILS)


def _mail(settings: Settings, template: str, **context: object) -> tuple[str, str]:
    return render_mail(settings, template, {"name": "Anna", **context}, "nl")


def _confirmed(settings: Settings, *bookings: dict[str, object]) -> tuple[str, str]:
    return _mail(settings, "booking_confirmed", bookings=list(bookings))


def test_a_confirmations_subject_names_the_space_its_site_the_day_and_the_day_part(
    settings: Settings,
) -> None:
    subject = _confirmed(settings, DESK_MORNING)[0]

    assert subject == "Gereserveerd: Flexplek 1.12 (Stadhuis), ma 7 december, ochtend"


def test_an_invitations_subject_names_who_invites_and_the_meeting(settings: Settings) -> None:
    subject = _mail(settings, "meeting_invitation", **MAILS["meeting_invitation"])[0]

    assert subject == "Uitnodiging van Bram: Kievit (Stadhuis), ma 7 december, 14:00–15:30"


def test_an_answers_subject_names_who_accepted_and_the_meeting(settings: Settings) -> None:
    subject = _mail(settings, "meeting_response", **MAILS["meeting_response"])[0]

    assert subject == "Geaccepteerd door Bram: Kievit (Stadhuis), ma 7 december, 14:00–15:30"


def test_an_arrivals_subject_names_the_visitor_their_organisation_and_the_meeting(
    settings: Settings,
) -> None:
    subject = _mail(settings, "visitor_arrived", **MAILS["visitor_arrived"])[0]

    assert subject == "Uw bezoeker Jan (GGD) is er: Kievit (Stadhuis), ma 7 december, 14:00–15:30"


def test_a_rooms_subject_names_its_hours_instead_of_a_day_part(settings: Settings) -> None:
    assert (
        _confirmed(settings, ROOM_AFTERNOON)[0]
        == "Gereserveerd: Kievit (Stadhuis), ma 7 december, 14:00–15:30"
    )


def test_a_series_subject_names_the_site_and_how_many_days_from_which_day(
    settings: Settings,
) -> None:
    second = {**DESK_MORNING, "start": "2026-12-08T07:30:00+00:00"}

    assert _confirmed(settings, DESK_MORNING, second)[0] == (
        "Gereserveerd: Flexplek 1.12 (Stadhuis), 2 dagen vanaf ma 7 december"
    )


def test_a_subject_leaves_out_a_site_the_spaces_name_already_says(settings: Settings) -> None:
    desk = {**DESK_MORNING, "space": "Stadhuis 1.12"}

    assert _confirmed(settings, desk)[0] == "Gereserveerd: Stadhuis 1.12, ma 7 december, ochtend"


def test_a_booking_mail_queued_before_subjects_named_the_site_names_it(
    settings: Settings,
) -> None:
    # The snapshot as the outbox has held it since it came in (for the body's site line).
    queued = {
        "id": 7,
        "space": "Flexplek 1.12",
        "kind": "desk",
        "site": "Buitenpost Zuid",
        "address": "Dorpsstraat 1, Marum",
        "start": "2026-12-07T07:30:00+00:00",
        "end": "2026-12-07T12:00:00+00:00",
        "day_part": "morning",
        "title": "",
        "status": "confirmed",
    }

    assert _confirmed(settings, queued)[0] == (
        "Gereserveerd: Flexplek 1.12 (Buitenpost Zuid), ma 7 december, ochtend"
    )


def test_a_check_in_reminders_subject_carries_the_day_of_the_booking(settings: Settings) -> None:
    subject = _mail(settings, "no_show_warning", **MAILS["no_show_warning"])[0]

    assert subject == "Check in vóór 09:00: Flexplek 1.12 (Stadhuis), ma 7 december, ochtend"


def test_a_rooms_hours_in_the_body_are_written_with_an_en_dash(settings: Settings) -> None:
    assert "- maandag 7 december 2026, 14:00–15:30\n" in _confirmed(settings, ROOM_AFTERNOON)[1]


def test_a_confirmation_names_the_minutes_after_which_an_unchecked_booking_is_released(
    settings: Settings,
) -> None:
    body = _confirmed(replace(settings, no_show_grace_minutes=20), DESK_MORNING)[1]

    assert "vervalt 20 minuten na het begin" in body


def test_a_moves_advice_names_the_minutes_after_which_an_unchecked_booking_is_released(
    settings: Settings,
) -> None:
    body = _mail(settings, "booking_moved", **MAILS["booking_moved"])[1]

    assert f"vervalt {settings.no_show_grace_minutes} minuten na het begin" in body


@pytest.mark.parametrize("template", sorted(MAILS))
def test_every_mail_ends_with_the_sign_off_naming_where_to_choose_ones_mails(
    settings: Settings, template: str
) -> None:
    with_link = replace(settings, public_url="https://werkplek.example.nl/")

    assert _mail(with_link, template, **MAILS[template])[1].endswith(SIGN_OFF_WITH_LINK)


def test_without_a_public_address_the_sign_off_names_the_page_in_werkplek(
    settings: Settings,
) -> None:
    body = _confirmed(replace(settings, public_url=""), DESK_MORNING)[1]

    assert body.endswith("kiest u onder Meldingen in Werkplek.\n")


def test_a_space_whose_name_starts_with_its_kind_is_named_once(settings: Settings) -> None:
    body = _confirmed(settings, DESK_MORNING)[1]

    assert "\n  Flexplek 1.12, Stadhuis\n" in body


def test_a_space_whose_name_does_not_say_its_kind_is_named_with_it(settings: Settings) -> None:
    body = _confirmed(settings, ROOM_AFTERNOON)[1]

    assert "\n  Overlegruimte: Kievit, Stadhuis\n" in body


def test_a_callback_mail_queued_before_its_subject_named_the_moment_still_renders(
    settings: Settings,
) -> None:
    subject = _mail(settings, "callback_note", left_by="Karin")[0]

    assert subject == "Een inwoner vraagt u terug te bellen"
