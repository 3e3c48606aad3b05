"""Field visit API shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from werkplek.formats import DATE_TIME_PATTERN

Area = Annotated[str, msgspec.Meta(max_length=120)]
Address = Annotated[str, msgspec.Meta(max_length=300)]
Purpose = Annotated[str, msgspec.Meta(max_length=200)]

#: The extensions offered on the phone page.
EXTENSION_MINUTES = (15, 30, 60)


# --- input --------------------------------------------------------------------------------


#: A visit's start or end (``formats.DATE_TIME_PATTERN``): another shape is 400 at the field.
DateTimeText = Annotated[
    str,
    msgspec.Meta(
        pattern=DATE_TIME_PATTERN,
        description="ISO 8601, with or without seconds (`2026-12-08T09:00`); with an offset "
        "(`+01:00`, `Z`) that instant, without one Amsterdam time. Another shape: 400 at the "
        "field; a day or hour that does not exist: 422 `invalid_time`; a time the clocks "
        "skip for summer time: 422 `time_skipped`.",
    ),
]


class VisitIn(msgspec.Struct, forbid_unknown_fields=True):
    """A visit to plan. Times without a zone are read as Amsterdam time.

    ``address`` may stay empty when the visit takes place in a booked resident room
    (``booking_id``) instead of at the resident's home.
    """

    visitor_ids: list[int]
    start: DateTimeText
    end: DateTimeText
    area: Area = ""
    address: Address = ""
    purpose: Purpose = ""
    two_person_required: bool = False
    booking_id: int | None = None


class VisitChangeIn(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """What changes on a planned visit; a field left out stays as it is. Read as ``VisitIn``
    (times without a zone are Amsterdam time) and checked by the same rules as a new plan.

    ``visitor_ids`` names everyone who goes after the change: hand the visit over to a
    colleague by naming them instead, add or take off the second person by naming one or
    two. ``booking_id`` ``null`` unlinks the resident room."""

    visitor_ids: list[int] | msgspec.UnsetType = msgspec.UNSET
    start: DateTimeText | msgspec.UnsetType = msgspec.UNSET
    end: DateTimeText | msgspec.UnsetType = msgspec.UNSET
    area: Area | msgspec.UnsetType = msgspec.UNSET
    address: Address | msgspec.UnsetType = msgspec.UNSET
    purpose: Purpose | msgspec.UnsetType = msgspec.UNSET
    two_person_required: bool | msgspec.UnsetType = msgspec.UNSET
    booking_id: int | msgspec.UnsetType | None = msgspec.UNSET


class ExtendIn(msgspec.Struct, forbid_unknown_fields=True):
    minutes: int


class SafetyContactIn(msgspec.Struct, forbid_unknown_fields=True):
    team_id: int
    person_id: int


# --- output -------------------------------------------------------------------------------


class VisitorOut(msgspec.Struct):
    id: int
    name: str
    mobile: str | None


class PersonRef(msgspec.Struct):
    id: int
    name: str


class BookingRef(msgspec.Struct):
    """The resident room booked for the visit."""

    id: int
    space_name: str
    site_name: str
    start: datetime
    end: datetime


class AlertOut(msgspec.Struct):
    id: int
    visit_id: int
    level: str  # overdue | escalation
    raised_at: datetime
    due_end: datetime
    acknowledged_by: PersonRef | None
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    #: Whether the viewer may take it up now (``services.can_acknowledge``, not yet
    #: acknowledged nor resolved).
    can_acknowledge: bool


class VisitOut(msgspec.Struct):
    """A visit as the viewer may see it: ``address``, ``purpose`` and ``booking`` only for
    the visitors, their team leads and safety contacts (``address_visible``). The answers
    to actions (plan, check in or out, extend, cancel) carry them for the visitors only:
    the others read them on the visit itself, where every look is recorded."""

    id: int
    status: str
    area: str
    start: datetime
    end: datetime
    two_person_required: bool
    visitors: list[VisitorOut]
    address_visible: bool
    address: str | None
    purpose: str | None
    booking: BookingRef | None
    checked_in_at: datetime | None
    checked_out_at: datetime | None
    #: Who checked out: a visitor, or someone who reached them and did it for them.
    checked_out_by: PersonRef | None
    cancelled_at: datetime | None
    late: bool  # past its planned end and not checked out
    alerts: list[AlertOut]
    can_check_in: bool
    can_check_out: bool
    can_extend: bool
    can_cancel: bool
    #: Still planned and not yet begun, and the viewer planned it or may plan it for its
    #: visitors (``PATCH /api/visits/{id}``).
    can_change: bool


class SafetyBoardOut(msgspec.Struct):
    """Visits of the teams the viewer looks after.

    ``overdue``: an alert nobody acknowledged yet; ``acknowledged``: all alerts taken up
    but the visit is still not checked out; ``open``: planned or under way today.
    Addresses are not included: open a visit to see it (the view is recorded).
    """

    at: datetime
    overdue: list[VisitOut]
    acknowledged: list[VisitOut]
    open: list[VisitOut]


class AddressViewOut(msgspec.Struct):
    """Who was shown the address of a visit, and when (AVG: the visitors may ask)."""

    at: datetime
    viewer: PersonRef | None


class SafetyContactOut(msgspec.Struct):
    team_id: int
    team_name: str
    person: PersonRef
    is_lead: bool  # team leads are always safety contacts
