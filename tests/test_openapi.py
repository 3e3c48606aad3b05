"""The OpenAPI schema documents the error answers each operation may give."""

from __future__ import annotations

import re
from typing import Any

import pytest

from werkplek.app import create_app
from werkplek.config import Settings

ERROR_OUT = {"$ref": "#/components/schemas/ErrorOut"}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    settings = Settings(
        database_url="sqlite+aiosqlite:///:memory:",
        environment="test",
        secret_key="test-secret-key-that-is-long-enough-123",
        scheduler_enabled=False,
    )
    return create_app(settings).openapi_schema.to_schema()


def _responses(schema: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    return schema["paths"][path][method]["responses"]


def test_an_operation_for_logged_in_callers_documents_401(schema: dict[str, Any]) -> None:
    assert "401" in _responses(schema, "/api/sites", "get")


def test_a_public_operation_documents_no_401(schema: dict[str, Any]) -> None:
    assert "401" not in _responses(schema, "/feeds/{filename}", "get")


def test_an_operation_that_needs_a_role_documents_403(schema: dict[str, Any]) -> None:
    assert "403" in _responses(schema, "/api/sites", "post")


def test_a_read_without_parameters_or_role_documents_no_403(schema: dict[str, Any]) -> None:
    assert "403" not in _responses(schema, "/api/me", "get")


def test_an_operation_whose_path_names_something_documents_404(schema: dict[str, Any]) -> None:
    assert "404" in _responses(schema, "/api/bookings/{booking_id}", "get")


def test_an_operation_without_path_parameters_documents_no_404(schema: dict[str, Any]) -> None:
    assert "404" not in _responses(schema, "/api/bookings", "post")


def test_a_write_documents_422(schema: dict[str, Any]) -> None:
    assert "422" in _responses(schema, "/api/bookings", "post")


def test_a_read_with_query_parameters_documents_422(schema: dict[str, Any]) -> None:
    assert "422" in _responses(schema, "/api/availability", "get")


def test_a_booking_documents_409_with_the_conflicting_times(schema: dict[str, Any]) -> None:
    conflict = _responses(schema, "/api/bookings", "post")["409"]

    assert "booking_conflict" in conflict["description"]
    assert conflict["content"]["application/json"]["schema"] == ERROR_OUT


def test_an_operation_that_cannot_conflict_documents_no_409(schema: dict[str, Any]) -> None:
    assert "409" not in _responses(schema, "/api/availability", "get")


def test_every_operation_documents_503(schema: dict[str, Any]) -> None:
    missing = [
        (path, method)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "503" not in operation["responses"]
    ]

    assert missing == []


def test_every_error_is_an_error_out(schema: dict[str, Any]) -> None:
    shapes = {
        str(response["content"]["application/json"]["schema"])
        for path, operations in schema["paths"].items()
        if path != "/health"
        for operation in operations.values()
        for status, response in operation["responses"].items()
        if status >= "400"
    }

    assert shapes == {str(ERROR_OUT)}


def test_an_operation_with_a_body_documents_400_for_malformed_input(
    schema: dict[str, Any],
) -> None:
    assert "validation_error" in _responses(schema, "/api/bookings", "post")["400"]["description"]


def test_an_operation_with_query_parameters_documents_400(schema: dict[str, Any]) -> None:
    assert "400" in _responses(schema, "/api/availability", "get")


def test_an_operation_without_input_documents_no_400(schema: dict[str, Any]) -> None:
    assert "400" not in _responses(schema, "/api/me", "get")


def test_error_out_documents_the_fields_of_a_malformed_request(schema: dict[str, Any]) -> None:
    fields = schema["components"]["schemas"]["ErrorOut"]["properties"]["fields"]

    assert fields["oneOf"][0] == {
        "items": {"$ref": "#/components/schemas/FieldErrorOut"},
        "type": "array",
    }


def test_error_out_names_its_required_fields(schema: dict[str, Any]) -> None:
    assert schema["components"]["schemas"]["ErrorOut"]["required"] == ["error", "message"]


def test_the_reason_for_a_move_shows_its_limit_of_200_characters(schema: dict[str, Any]) -> None:
    reason = schema["components"]["schemas"]["MoveIn"]["properties"]["reason"]

    assert reason["maxLength"] == 200


def test_the_reason_for_declining_shows_its_limit_of_300_characters(
    schema: dict[str, Any],
) -> None:
    reason = schema["components"]["schemas"]["DeclineIn"]["properties"]["reason"]

    assert reason["maxLength"] == 300


def _parameter(schema: dict[str, Any], path: str, method: str, name: str) -> dict[str, Any]:
    parameters = schema["paths"][path][method]["parameters"]
    return next(parameter for parameter in parameters if parameter["name"] == name)


def test_every_query_parameter_has_a_description(schema: dict[str, Any]) -> None:
    undescribed = [
        (path, method, parameter["name"])
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query" and not parameter.get("description")
    ]

    assert undescribed == []


def test_the_availability_date_is_a_local_date_at_the_site(schema: dict[str, Any]) -> None:
    date = _parameter(schema, "/api/availability", "get", "date")

    assert "local date at the site" in date["description"]


def test_a_status_instant_without_offset_is_amsterdam_time(schema: dict[str, Any]) -> None:
    at = _parameter(schema, "/api/people/{person_id}/status", "get", "at")

    assert "without one a local time in Europe/Amsterdam" in at["description"]


def test_a_reschedule_documents_its_times_as_hh_mm_or_hh_mm_ss(schema: dict[str, Any]) -> None:
    start = schema["components"]["schemas"]["RescheduleIn"]["properties"]["start"]
    assert [bool(re.match(start["pattern"], t)) for t in ("14:30", "14:30:00", "2:30")] == [
        True,
        True,
        False,
    ]


def test_the_kcc_search_documents_its_suggestions(schema: dict[str, Any]) -> None:
    found = schema["components"]["schemas"]["KccSearchOut"]["properties"]["suggestions"]
    assert found["items"] == {"type": "string"}


def test_the_people_import_documents_its_refusal_as_422_import_refused(
    schema: dict[str, Any],
) -> None:
    refused = _responses(schema, "/api/people/import", "post")["422"]
    assert "`import_refused`" in refused["description"]
