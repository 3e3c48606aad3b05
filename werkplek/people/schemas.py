from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from werkplek.formats import EMAIL_PATTERN, LANGUAGE_PATTERN, PHONE_PATTERN
from werkplek.people.models import Role

#: The shortest password kept, whoever sets it (form, API, command line).
MIN_PASSWORD_LENGTH = 12
Password = Annotated[str, msgspec.Meta(min_length=MIN_PASSWORD_LENGTH, max_length=200)]

Email = Annotated[str, msgspec.Meta(pattern=EMAIL_PATTERN, max_length=254)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Phone = Annotated[str, msgspec.Meta(max_length=40, pattern=PHONE_PATTERN)]
Language = Annotated[str, msgspec.Meta(pattern=LANGUAGE_PATTERN)]
Topic = Annotated[str, msgspec.Meta(min_length=1, max_length=80)]


class TeamRef(msgspec.Struct):
    id: int
    name: str
    is_lead: bool


class PersonOut(msgspec.Struct):
    id: int
    email: str
    name: str
    roles: list[Role]
    teams: list[TeamRef]
    topics: list[str]
    phone: str | None
    mobile: str | None
    chat_handle: str | None
    language: str
    active: bool
    backup_id: int | None


class PersonChanged(PersonOut):
    """A person after a change, with the bookings it cancelled: deactivating someone
    cancels those held for them that have not started."""

    cancelled_booking_ids: list[int]


class ImportErrorOut(msgspec.Struct):
    """A problem in an imported file: its line (the header is line 1; 0 never occurs),
    the field (empty when it is about the whole row) and what is wrong."""

    line: int
    field: str
    message: str


class PeopleImportOut(msgspec.Struct):
    """What an import did, or on a dry run would do: people by e-mail address; ``errors``
    the rows skipped (``skip_invalid``)."""

    dry_run: bool
    applied: bool
    created: list[str]
    updated: list[str]
    unchanged: list[str]
    deactivated: list[str]
    teams_created: list[str]
    ignored_columns: list[str]
    errors: list[ImportErrorOut]
    cancelled_booking_ids: list[int]


class PersonCreate(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    name: Name
    roles: list[Role] = msgspec.field(default_factory=lambda: [Role.EMPLOYEE])
    team_ids: list[int] = msgspec.field(default_factory=list)
    lead_team_ids: list[int] = msgspec.field(default_factory=list)
    topics: list[Topic] = msgspec.field(default_factory=list)
    phone: Phone | None = None
    mobile: Phone | None = None
    chat_handle: Annotated[str, msgspec.Meta(max_length=120)] | None = None
    language: Language = "nl"
    backup_id: int | None = None
    password: (
        Annotated[str, msgspec.Meta(min_length=MIN_PASSWORD_LENGTH, max_length=200)] | None
    ) = None


class PersonUpdate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Fields left out stay as they are."""

    email: Email | msgspec.UnsetType = msgspec.UNSET
    name: Name | msgspec.UnsetType = msgspec.UNSET
    roles: list[Role] | msgspec.UnsetType = msgspec.UNSET
    team_ids: list[int] | msgspec.UnsetType = msgspec.UNSET
    lead_team_ids: list[int] | msgspec.UnsetType = msgspec.UNSET
    topics: list[Topic] | msgspec.UnsetType = msgspec.UNSET
    phone: Phone | msgspec.UnsetType | None = msgspec.UNSET
    mobile: Phone | msgspec.UnsetType | None = msgspec.UNSET
    chat_handle: Annotated[str, msgspec.Meta(max_length=120)] | msgspec.UnsetType | None = (
        msgspec.UNSET
    )
    language: Language | msgspec.UnsetType = msgspec.UNSET
    backup_id: int | msgspec.UnsetType | None = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET
    hide_desk: bool | msgspec.UnsetType = msgspec.UNSET


class TeamOut(msgspec.Struct):
    id: int
    name: str
    description: str
    member_count: int  # active members: people who left keep their teams but are not counted


TeamName = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
TeamDescription = Annotated[str, msgspec.Meta(max_length=500)]


class TeamIn(msgspec.Struct, forbid_unknown_fields=True):
    name: TeamName
    description: TeamDescription = ""


class TeamUpdate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Fields left out stay as they are."""

    name: TeamName | msgspec.UnsetType = msgspec.UNSET
    description: TeamDescription | msgspec.UnsetType = msgspec.UNSET


class MeOut(msgspec.Struct):
    person: PersonOut
    csrf_token: str | None


class ApiTokenIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
    read_only: bool = False


class ApiTokenOut(msgspec.Struct):
    id: int
    name: str
    read_only: bool
    created_at: str
    last_used_at: str | None
    revoked: bool


class ApiTokenCreated(msgspec.Struct):
    """The token itself is shown only in this response."""

    id: int
    name: str
    token: str


# Part of a name (or e-mail address) searched for in an administrator's list.
SearchText = Annotated[str, msgspec.Meta(max_length=100)]


class PeopleFilter(msgspec.Struct, kw_only=True):
    """The filters of the administrator's people list: part of a name or e-mail address,
    a team, a role, active or deactivated people only (``status``), and the page."""

    q: SearchText | None = None
    team_id: int | None = None
    role: Role | None = None
    status: Literal["active", "inactive"] | None = None
    offset: Annotated[int, msgspec.Meta(ge=0)] = 0


class TeamFilter(msgspec.Struct, kw_only=True):
    """The search of the administrator's team list: part of a team's name."""

    q: SearchText = ""
