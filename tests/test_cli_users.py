"""`werkplek users create`: the first administrator, made on the command line, under the
same rules as a person made on the page or through the API."""

from __future__ import annotations

import pytest
from litestar import Litestar

from werkplek.cli import main


@pytest.fixture
def users_create(
    app: Litestar,
    command_env: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> object:
    monkeypatch.setenv("WERKPLEK_LANGUAGE", "en")

    def run(*options: str) -> tuple[int, str]:
        code = main(["users", "create", *options])
        out, err = capsys.readouterr()
        return code, out + err

    return run


def test_a_password_shorter_than_12_characters_is_refused(users_create: object) -> None:
    code, output = users_create(  # type: ignore[operator]
        "--email", "ada@gemeente.nl", "--name", "Ada", "--role", "admin", "--password", "kort"
    )

    assert (code, output) == (1, "werkplek: A password needs at least 12 characters.\n")


def test_an_administrator_is_created_with_a_long_enough_password(users_create: object) -> None:
    code, output = users_create(  # type: ignore[operator]
        "--email",
        "ada@gemeente.nl",
        "--name",
        "Ada",
        "--role",
        "admin",
        "--password",
        "een-lang-wachtwoord",
    )

    assert (code, "created person" in output) == (0, True)
