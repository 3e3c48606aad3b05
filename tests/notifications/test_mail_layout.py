"""The mails' plain text: a list of bookings, then each further paragraph after one blank line."""

from __future__ import annotations

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

    assert body.endswith("Stadhuis\n\nReden: Verbouwing\n")


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
        "\n  Flexplek: Flexplek 1.14, Stadhuis\n\nCheck in" in body
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
