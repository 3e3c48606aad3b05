"""The API's error answers in its OpenAPI schema.

Every error the API answers with has one shape, ``ErrorOut`` (made by the exception
handlers in ``werkplek.web`` and the security middleware). Which errors an operation may
answer follows from how it is declared, so ``document_errors`` adds them to every
operation in one place:

- 401 when it needs a logged-in caller (any guard);
- 403 when it needs a role, writes (a read-only API token may only read) or names
  someone's data in its path or query (services refuse those who may not see or change it);
- 404 when its path names something;
- 400 when it takes any input (a body, path or query parameters): malformed input, each
  field named (``fields``), a body that is not JSON, or a value no column can hold;
- 422 when it writes or takes query parameters: a business rule says no (``error`` names
  the rule, e.g. ``too_far_ahead``) or a value is out of range;
- 503 always: the database is unreachable or busy; retry after ``Retry-After`` seconds.

409 cannot be told from the declaration: handlers that may answer it say so with
``conflict(description)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import msgspec
from litestar import Litestar
from litestar.openapi.datastructures import ResponseSpec
from litestar.routes import HTTPRoute

from werkplek.web import login_required

if TYPE_CHECKING:
    from litestar._kwargs import KwargsModel

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class FieldErrorOut(msgspec.Struct):
    """One input of a malformed request and what is wrong with it."""

    field: Annotated[
        str,
        msgspec.Meta(
            description="The input: a body field (`space_id`, `recurrence.until`), a query or"
            " path parameter, or `body` for the body as a whole."
        ),
    ]
    message: Annotated[str, msgspec.Meta(description="What is wrong, in the caller's language.")]
    detail: Annotated[str, msgspec.Meta(description="The parser's own words, in English.")]


class ErrorOut(msgspec.Struct):
    """An error answer of the API."""

    error: Annotated[
        str, msgspec.Meta(description="A stable code for programs, e.g. `booking_conflict`.")
    ]
    message: Annotated[str, msgspec.Meta(description="For people, in the caller's language.")]
    field: Annotated[str | None, msgspec.Meta(description="The input it concerns.")] = None
    details: Annotated[
        dict[str, Any] | None,
        msgspec.Meta(description="Values a program may use, e.g. a conflict's times."),
    ] = None
    fields: Annotated[
        list[FieldErrorOut] | None,
        msgspec.Meta(description="`validation_error`: every input at fault."),
    ] = None


def _error(description: str) -> ResponseSpec:
    return ResponseSpec(data_container=ErrorOut, description=description, generate_examples=False)


def conflict(description: str) -> dict[int, ResponseSpec]:
    """A 409 an operation may answer, for its ``responses``."""
    return {409: _error(description)}


def rule_broken(description: str) -> dict[int, ResponseSpec]:
    """The 422 an operation answers, for its ``responses`` when the general one says too
    little (e.g. where ``details`` holds what went wrong)."""
    return {422: _error(description)}


def too_large(description: str) -> dict[int, ResponseSpec]:
    """A 413 an operation that takes a file may answer, for its ``responses``."""
    return {413: _error(description)}


_NOT_LOGGED_IN = _error("No valid API token or session (`not_authenticated`).")
_FORBIDDEN = _error(
    "Not allowed: the caller lacks the role, may not act on this person's or team's data, "
    "or uses a read-only API token for a change (`read_only_token`)."
)
_NOT_FOUND = _error("What the path names does not exist, or is not visible to the caller.")
_MALFORMED = _error(
    "Malformed input: `validation_error` lists every input at fault in `fields`;"
    " `invalid_json` says the body is not JSON (the parser's words in `details.reason`);"
    " `invalid_value` a value the database cannot hold (a number beyond its range, a NUL"
    " character)."
)
_RULE_BROKEN = _error(
    "A business rule or a value's range says no; `error` names the rule and `field` the "
    "input (e.g. `too_far_ahead`, `outside_opening_hours`, `invalid_input`)."
)
_UNAVAILABLE = _error(
    "The database is unreachable or busy (`database_unavailable`): retry after the "
    "`Retry-After` seconds."
)


def _errors_of(
    guards: list[Any], method: str, path_params: bool, query_params: bool, takes_input: bool
) -> dict[int, ResponseSpec]:
    errors: dict[int, ResponseSpec] = {}
    if takes_input:
        errors[400] = _MALFORMED
    if guards:
        errors[401] = _NOT_LOGGED_IN
        needs_role = any(hasattr(guard, "roles") for guard in guards if guard is not login_required)
        if needs_role or method in UNSAFE_METHODS or path_params or query_params:
            errors[403] = _FORBIDDEN
    if path_params:
        errors[404] = _NOT_FOUND
    if method in UNSAFE_METHODS or query_params:
        errors[422] = _RULE_BROKEN
    errors[503] = _UNAVAILABLE
    return errors


def _takes_input(kwargs: KwargsModel) -> bool:
    """Whether Litestar parses input for the operation, which may then be malformed (as
    Litestar itself decides whether to document its 400)."""
    return bool(
        kwargs.expected_path_params
        or kwargs.expected_query_params
        or kwargs.expected_header_params
        or kwargs.expected_cookie_params
        or kwargs.expected_form_data
        or kwargs.expected_msgpack_data
        or "data" in kwargs.expected_reserved_kwargs
    )


def document_errors(app: Litestar) -> None:
    """Add the error answers to every operation in the schema (before it is first built);
    what a handler declares itself wins."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for method, (handler, kwargs) in route.route_handler_map.items():
            if not handler.resolve_include_in_schema():
                continue
            errors = _errors_of(
                handler.resolve_guards(),
                str(method),
                path_params=bool(kwargs.expected_path_params),
                query_params=bool(kwargs.expected_query_params),
                takes_input=_takes_input(kwargs),
            )
            handler.responses = {**errors, **(handler.responses or {})}
