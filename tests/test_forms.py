"""Page forms: a value that does not convert gets a message that says what is wrong, and a
refused form is drawn again with its errors."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Annotated

import msgspec
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.errors import Conflict
from werkplek.i18n import DEFAULT_LANGUAGE, set_language
from werkplek.people.models import Team
from werkplek.people.schemas import Email
from werkplek.web import FormInvalid, convert_form, people_search, refusal


class RoomForm(msgspec.Struct):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=20)]
    capacity: Annotated[int, msgspec.Meta(ge=1, le=500)] = 1
    share: Annotated[float, msgspec.Meta(gt=0)] = 1.0
    code: Annotated[str, msgspec.Meta(min_length=3)] = "abc"
    opens_on: date | None = None
    starts_at: datetime | None = None


class ContactForm(msgspec.Struct):
    email: Email
    code: Annotated[str, msgspec.Meta(pattern="^[a-z]+$")] = "abc"


class StrictForm(msgspec.Struct, forbid_unknown_fields=True):
    name: str = ""


class RenamedForm(msgspec.Struct, rename={"first_day": "from"}):
    first_day: date
    until: date


def _errors(raw: dict[str, object], form: type[msgspec.Struct] = RoomForm) -> dict[str, str]:
    with pytest.raises(FormInvalid) as caught:
        convert_form(raw, form)
    return caught.value.errors


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language(DEFAULT_LANGUAGE)


def test_a_missing_field_asks_to_fill_it_in() -> None:
    assert _errors({}) == {"name": "Fill this in."}


def test_an_empty_required_text_asks_to_fill_it_in() -> None:
    assert _errors({"name": ""}) == {"name": "Fill this in."}


def test_text_for_a_whole_number_asks_for_a_whole_number() -> None:
    assert _errors({"name": "Kievit", "capacity": "veel"}) == {"capacity": "Enter a whole number."}


def test_a_number_below_the_minimum_names_the_minimum() -> None:
    assert _errors({"name": "Kievit", "capacity": "0"}) == {"capacity": "Enter 1 or more."}


def test_a_number_above_the_maximum_names_the_maximum() -> None:
    assert _errors({"name": "Kievit", "capacity": "501"}) == {"capacity": "Enter 500 or less."}


def test_an_e_mail_address_without_an_at_sign_asks_for_an_e_mail_address() -> None:
    assert _errors({"email": "anna.gemeente.nl"}, ContactForm) == {
        "email": "Enter an e-mail address, such as naam@gemeente.nl."
    }


def test_a_value_against_a_pattern_without_its_own_message_is_called_not_valid() -> None:
    assert _errors({"email": "a@b.nl", "code": "x1"}, ContactForm) == {
        "code": "This value is not valid."
    }


def test_a_number_that_must_be_more_than_a_limit_names_it() -> None:
    assert _errors({"name": "Kievit", "share": "0"}) == {"share": "Enter more than 0."}


def test_too_long_a_text_names_the_longest_length() -> None:
    assert _errors({"name": "x" * 21}) == {"name": "Enter at most 20 characters."}


def test_too_short_a_text_names_the_shortest_length() -> None:
    assert _errors({"name": "Kievit", "code": "ab"}) == {"code": "Enter at least 3 characters."}


def test_an_impossible_date_asks_for_a_valid_date() -> None:
    assert _errors({"name": "Kievit", "opens_on": "31-02-2026"}) == {
        "opens_on": "Enter a valid date."
    }


def test_an_impossible_time_of_day_asks_for_a_valid_date_and_time() -> None:
    assert _errors({"name": "Kievit", "starts_at": "2026-12-07T25:00"}) == {
        "starts_at": "Enter a valid date and time."
    }


def test_an_unknown_field_is_named_as_unknown() -> None:
    assert _errors({"bogus": "1"}, StrictForm) == {"bogus": "Unknown field."}


def test_every_wrong_value_of_a_form_is_named_at_once() -> None:
    assert _errors({"name": "", "capacity": "veel", "opens_on": "31-02-2026"}) == {
        "name": "Fill this in.",
        "capacity": "Enter a whole number.",
        "opens_on": "Enter a valid date.",
    }


def test_a_missing_field_is_named_beside_a_wrong_value() -> None:
    assert _errors({"code": "x1"}, ContactForm) == {
        "email": "Fill this in.",
        "code": "This value is not valid.",
    }


def test_a_field_renamed_for_the_form_is_named_as_the_form_names_it() -> None:
    assert _errors({"from": "gisteren", "until": "morgen"}, RenamedForm) == {
        "from": "Enter a valid date.",
        "until": "Enter a valid date.",
    }


def test_the_message_is_in_the_users_language() -> None:
    set_language("nl")

    assert _errors({"name": "Kievit", "capacity": "0"}) == {"capacity": "Vul 1 of meer in."}


async def test_a_form_refused_for_its_values_is_drawn_again_with_422(db: AsyncSession) -> None:
    refused = FormInvalid({"name": "Fill this in."})

    assert await refusal(db, refused) == ({"name": "Fill this in."}, 422)


async def test_a_form_refused_by_a_rule_keeps_the_rules_status(db: AsyncSession) -> None:
    refused = Conflict("A team with this name already exists.", field="name")

    assert await refusal(db, refused) == ({"name": "A team with this name already exists."}, 409)


async def test_a_form_refused_by_a_rule_stores_nothing_of_the_refused_change(
    db: AsyncSession,
) -> None:
    db.add(Team(name="Half opgeslagen", description=""))
    await db.flush()

    await refusal(db, Conflict("A team with this name already exists.", field="name"))

    assert (await db.execute(select(func.count(Team.id)))).scalar_one() == 0


def test_the_people_search_is_what_its_box_says_with_single_spaces() -> None:
    assert people_search({"find": "  Eline   Smeding "}).text == "Eline Smeding"


def test_the_people_search_reads_at_most_a_hundred_characters() -> None:
    assert people_search({"find": "a" * 150}).text == "a" * 100


def test_a_form_sent_by_its_search_button_asks_for_the_people_search() -> None:
    assert people_search({"find": "smed", "find_people": "1"}).asked


def test_a_form_sent_by_its_own_button_does_not_ask_for_the_people_search() -> None:
    assert not people_search({"find": "smed", "question": "Wanneer?"}).asked


def test_a_form_sent_with_the_search_it_was_drawn_with_does_not_ask_for_the_people_search() -> None:
    assert not people_search({"find": "smed", "found": "smed", "question": "Wanneer?"}).asked


def test_a_form_sent_with_a_search_changed_since_it_was_drawn_asks_for_the_people_search() -> None:
    assert people_search({"find": "smeding", "found": "smed", "question": "Wanneer?"}).asked


def test_a_form_sent_with_its_search_emptied_since_drawn_asks_for_the_people_search() -> None:
    assert people_search({"find": "", "found": "smed"}).asked


def test_a_search_changed_only_in_spaces_or_case_is_not_asked_for_again() -> None:
    assert not people_search({"find": " Eline  Smeding", "found": "eline smeding"}).asked


def test_the_people_search_is_no_field_of_the_form_it_is_sent_with() -> None:
    assert convert_form({"name": "Jan", "find": "smed"}, StrictForm) == StrictForm(name="Jan")


def test_the_search_a_form_was_drawn_with_is_no_field_of_it() -> None:
    assert convert_form({"name": "Jan", "found": "smed"}, StrictForm) == StrictForm(name="Jan")
