"""The delivery log says in words why an attempt failed, and keeps an unknown error as it is."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from werkplek.i18n import DEFAULT_LANGUAGE, set_language
from werkplek.webhooks.services import failure_summary


@pytest.fixture(autouse=True)
def dutch() -> Iterator[None]:
    set_language("nl")
    yield
    set_language(DEFAULT_LANGUAGE)


def test_a_host_name_that_does_not_resolve_is_said_to_be_not_found() -> None:
    error = "ConnectError: [Errno -2] Name or service not known"

    assert failure_summary(error) == "Het adres van de ontvanger is niet gevonden (DNS)."


def test_a_timeout_is_said_to_be_no_answer_in_time() -> None:
    assert failure_summary("ReadTimeout: ") == "De ontvanger antwoordde niet op tijd."


def test_a_refused_connection_is_said_to_be_no_connection() -> None:
    error = "ConnectError: [Errno 111] Connection refused"

    assert failure_summary(error) == "Geen verbinding met de ontvanger."


def test_an_error_not_recognised_is_shown_as_it_is() -> None:
    assert failure_summary("RemoteProtocolError: Server disconnected") == (
        "RemoteProtocolError: Server disconnected"
    )


def test_no_error_gives_no_summary() -> None:
    assert failure_summary(None) is None
