"""`werkplek users create`: the first administrator, made on the command line, under the
same rules as a person made on the page or through the API."""

from __future__ import annotations

import pytest
from litestar import Litestar

from tests.test_cli import UNREACHABLE
from werkplek.cli import main

ADA = ("--email", "ada@gemeente.nl", "--name", "Ada", "--role", "admin")


@pytest.fixture
def users_create(
    app: Litestar,
    command_env: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> object:
    monkeypatch.setenv("WERKPLEK_LANGUAGE", "en")
    monkeypatch.setattr("getpass.getpass", _password_asked)

    def run(*options: str) -> tuple[int, str]:
        code = main(["users", "create", *options])
        out, err = capsys.readouterr()
        return code, out + err

    return run


class PasswordAsked(Exception):
    """The command asked for the password."""


def _password_asked(prompt: str = "") -> str:
    raise PasswordAsked(prompt)


def _no_terminal(prompt: str = "") -> str:
    raise EOFError


def test_a_password_shorter_than_12_characters_is_refused_as_wrong_usage(
    users_create: object,
) -> None:
    code, output = users_create(*ADA, "--password", "kort")  # type: ignore[operator]

    assert (code, output) == (
        2,
        "werkplek: --password: Enter at least 12 characters.\n",
    )


def test_an_address_that_is_no_e_mail_address_is_refused_as_wrong_usage(
    users_create: object,
) -> None:
    code, output = users_create("--email", "ada", "--name", "Ada")  # type: ignore[operator]

    assert (code, output.startswith("werkplek: --email: ")) == (2, True)


def test_the_password_is_not_asked_for_an_address_already_in_use(users_create: object) -> None:
    users_create(*ADA, "--password", "een-lang-wachtwoord")  # type: ignore[operator]

    code, output = users_create(*ADA)  # type: ignore[operator]

    assert (code, output) == (1, "werkplek: This e-mail address is already in use.\n")


def test_the_password_is_not_asked_when_the_database_cannot_be_reached(
    users_create: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WERKPLEK_DATABASE_URL", UNREACHABLE)

    code, output = users_create(*ADA)  # type: ignore[operator]

    assert (code, output.startswith("werkplek: Cannot reach the database ")) == (1, True)


def test_without_a_password_to_read_nobody_is_created_and_the_status_is_2(
    users_create: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("getpass.getpass", _no_terminal)

    code, output = users_create(*ADA)  # type: ignore[operator]

    assert (code, output) == (
        2,
        "\nwerkplek: No password was given; nobody was created. Give one with --password.\n",
    )


def test_the_password_is_asked_when_the_person_can_be_created(users_create: object) -> None:
    with pytest.raises(PasswordAsked):
        users_create(*ADA)  # type: ignore[operator]


def test_an_administrator_is_created_with_a_long_enough_password(users_create: object) -> None:
    code, output = users_create(*ADA, "--password", "een-lang-wachtwoord")  # type: ignore[operator]

    assert (code, output.startswith("Created person ")) == (0, True)


def test_a_receptionist_may_be_created_with_the_role_reception(users_create: object) -> None:
    roos = ("--email", "roos@gemeente.nl", "--name", "Roos", "--role", "reception")

    code, output = users_create(*roos, "--password", "een-lang-wachtwoord")  # type: ignore[operator]

    assert (code, output.startswith("Created person ")) == (0, True)
