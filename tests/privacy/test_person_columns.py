"""Every column that points at a person has an erasure rule (new tables must add one)."""

from __future__ import annotations

from werkplek.models import import_all_models
from werkplek.privacy.services import (
    ERASURE,
    OWN_ROWS,
    REFERENCES,
    Erase,
    person_columns,
    unhandled_person_columns,
)

import_all_models()


def test_every_column_pointing_at_a_person_has_an_erasure_rule() -> None:
    # When this fails: add the column to werkplek.privacy.services.ERASURE, deciding
    # whether erasing a person deletes the row or only forgets who it was.
    assert unhandled_person_columns() == []


def test_columns_that_forget_who_can_hold_nothing() -> None:
    not_nullable = [
        f"{column.table.name}.{column.name}"
        for column in person_columns()
        if ERASURE[f"{column.table.name}.{column.name}"] is Erase.SET_NULL and not column.nullable
    ]
    assert not_nullable == []


def test_every_column_pointing_at_a_person_says_how_the_export_shows_its_rows() -> None:
    # When this fails: add the column to OWN_ROWS (the row is theirs: exported whole) or
    # to REFERENCES (someone else's row naming them: its key, when, and the role only).
    keys = [f"{column.table.name}.{column.name}" for column in person_columns()]
    assert [key for key in keys if (key in OWN_ROWS) == (key in REFERENCES)] == []


def test_the_columns_a_reference_shows_exist() -> None:
    tables = {column.table.name: column.table for column in person_columns()}
    missing = [
        f"{key}: {name}"
        for key, shown in REFERENCES.items()
        for name in shown
        if name not in tables[key.split(".")[0]].columns
    ]
    assert missing == []
