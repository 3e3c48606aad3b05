"""What the audit log page calls its actions and objects (the API keeps the codes).

A code that is not listed here, from a newer version or an older row, shows as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from werkplek.clock import AMSTERDAM
from werkplek.i18n import N_, format_number, gettext
from werkplek.labels import WEEKDAY_NAMES, label, short_date

ACTIONS: dict[str, str] = {
    "create": N_("Created"),
    "update": N_("Changed"),
    "delete": N_("Deleted"),
    "purge": N_("Purged after the retention period"),
    "erase": N_("Erased on request"),
    "export": N_("Exported"),
    "cancel": N_("Cancelled"),
    "approve": N_("Approved"),
    "decline": N_("Declined"),
    "check_in": N_("Checked in"),
    "check_out": N_("Checked out"),
    "move": N_("Moved"),
    "reschedule": N_("Time or room changed"),
    "participants": N_("Participants changed"),
    "respond": N_("Invitation answered"),
    "add_visitor": N_("Visitor expected"),
    "remove_visitor": N_("Visitor no longer expected"),
    "visitor_arrived": N_("Visitor arrived"),
    "visitor_left": N_("Visitor left"),
    "release": N_("Released (no-show)"),
    "extend": N_("Extended"),
    "revoke": N_("Revoked"),
    "upload": N_("Uploaded"),
    "place": N_("Placed on the floor plan"),
    "unplace": N_("Taken off the floor plan"),
    "set_day": N_("Day set"),
    "set_pattern": N_("Usual week set"),
    "copy_week": N_("Last week copied"),
    "report_absence": N_("Absence reported"),
    "withdraw_absence": N_("Absence withdrawn"),
    "import_absence": N_("Absence imported"),
    "done": N_("Marked as done"),
    "reopen": N_("Reopened"),
    "view_address": N_("Address viewed"),
    "raise_alert": N_("Alert raised"),
    "alert_mailed": N_("Alert e-mailed"),
    "acknowledge_alert": N_("Alert acknowledged"),
    "add_safety_contact": N_("Safety contact added"),
    "remove_safety_contact": N_("Safety contact removed"),
    "login": N_("Logged in"),
    "login_refused": N_("Log-in refused"),
    "link": N_("Linked to single sign-on"),
    "set_password": N_("Password set"),
    "load_demo": N_("Demo loaded"),
    "retry": N_("Tried again"),
    "start_roll_call": N_("Evacuation roll call started"),
    "close_roll_call": N_("Evacuation roll call closed"),
}

OBJECTS: dict[str, str] = {
    "booking": N_("Booking"),
    "roll_call": N_("Evacuation roll call"),
    "booking_series": N_("Recurring booking"),
    "presence": N_("Work location"),
    "callback_note": N_("Callback note"),
    "field_visit": N_("Field visit"),
    "site": N_("Site"),
    "floor": N_("Floor"),
    "floor_plan": N_("Floor plan"),
    "space": N_("Space"),
    "closure": N_("Closure"),
    "person": N_("Person"),
    "team": N_("Team"),
    "api_token": N_("API token"),
    "feed_token": N_("Calendar subscription"),
    "display_link": N_("Room display"),
    "webhook_endpoint": N_("Webhook"),
    "mail": N_("E-mail"),
    "privacy": N_("Privacy request"),
    "demo": N_("Demo"),
}


#: The sentence over the history of one object, naming what its history also holds
#: (``services.BELONGING``).
HISTORY: dict[str, str] = {
    "space": N_(
        "Only the events about %(object)s and its bookings, closures and door display links."
    ),
    "site": N_(
        "Only the events about %(object)s and its floors, floor plans, spaces, closures and "
        "display links."
    ),
    "floor": N_("Only the events about %(object)s and its floor plan."),
    "person": N_(
        "Only the events about %(object)s, their work locations, the bookings held for them, "
        "the field visits they went on, callback notes for them or left by them (also those "
        "removed) and the API tokens and calendar subscriptions they made."
    ),
}


def history_heading(object_type: str, object_text: str) -> str:
    """What the log shows when filtered on one object (``object_text``, of ``object_type``)."""
    sentence = HISTORY.get(object_type, N_("Only the events about %(object)s."))
    return gettext(sentence, object=object_text)


def action_label(code: str) -> str:
    return gettext(ACTIONS[code]) if code in ACTIONS else code


def object_label(code: str) -> str:
    return gettext(OBJECTS[code]) if code in OBJECTS else code


#: What each key of an event's details is called on the page.
DETAILS: dict[str, str] = {
    "active": N_("Active"),
    "alert_id": N_("Alert number"),
    "area": N_("Area"),
    "attempts": N_("Attempts"),
    "audit_events": N_("Audit events"),
    "before": N_("Older than"),
    "booked_for_id": N_("Booked for"),
    "booking_id": N_("Booking number"),
    "closure_reason": N_("Reason"),
    "bookings": N_("Bookings"),
    "content_type": N_("File type"),
    "date": N_("Date"),
    "days": N_("Days"),
    "first": N_("First day"),
    "last": N_("Last day"),
    "display_link_id": N_("Room display"),
    "due_end": N_("Due back"),
    "email": N_("E-mail address"),
    "end": N_("End"),
    "ends_on": N_("Until and including"),
    "events": N_("Events"),
    "fields": N_("Fields changed"),
    "from_end": N_("Previous end"),
    "from_space_id": N_("From space"),
    "from_start": N_("Previous start"),
    "issuer": N_("Identity provider"),
    "kept_half_days": N_("Half days kept"),
    "unavailable_half_days": N_("Half days not copied (site no longer available)"),
    "backups_left_out": N_("Days whose backup was left out"),
    "level": N_("Alert level"),
    "method": N_("Method"),
    "minutes": N_("Minutes"),
    "label": N_("Where the tablet hangs"),
    "name": N_("Name"),
    "new_booking_id": N_("New booking number"),
    "new_end": N_("New end"),
    "old_end": N_("Previous end"),
    "on_behalf": N_("On someone else's behalf"),
    "parts": N_("Day parts"),
    "people": N_("People"),
    "person_id": N_("Person"),
    "reason": N_("Reason"),
    "recipients": N_("Recipients"),
    "removed": N_("Removed"),
    "resolved_alerts": N_("Alerts resolved"),
    "roles": N_("Roles"),
    "rows": N_("Rows"),
    "scope": N_("Scope"),
    "scope_id": N_("Scope number"),
    "series_id": N_("Series number"),
    "sha256": N_("SHA-256 checksum"),
    "site_id": N_("Site"),
    "size": N_("Size (bytes)"),
    "skipped": N_("Dates skipped"),
    "source": N_("Source"),
    "space_id": N_("Space"),
    "start": N_("Start"),
    "starts_on": N_("From"),
    "status": N_("Status"),
    "subject": N_("Subject at the identity provider"),
    "to_end": N_("New end"),
    "to_space_id": N_("To space"),
    "to_start": N_("New start"),
    "today": N_("Loaded on"),
    "two_person_required": N_("Two people required"),
    "url": N_("URL"),
    "visit_addresses": N_("Visit addresses"),
    "visitor_ids": N_("Visitors"),
    "visitor_id": N_("Visitor number"),
    "visitors": N_("Expected visitors"),
    "expected": N_("On the list"),
    "accounted_for": N_("Safe"),
    "roll_calls": N_("Evacuation roll calls"),
    "invited_ids": N_("Invited"),
    "uninvited_ids": N_("No longer invited"),
    "response": N_("Answer"),
    "previous_response": N_("Previous answer"),
    "week": N_("Week"),
    "weekdays": N_("Weekdays"),
    "x": N_("Horizontal position"),
    "y": N_("Vertical position"),
}

#: Codes stored as detail values that the shared labels do not name.
DETAIL_CODES: dict[str, str] = {
    # why a booking was released
    "no_show": N_("Not checked in"),
    "person_deactivated": N_("Person deactivated"),
    "closure": N_("Closed by facilities"),
    "space_withdrawn": N_("Space taken out of use"),
    "space_restricted": N_("Space reserved for other teams"),
    "space_capacity": N_("Room made smaller"),
    "site_withdrawn": N_("Site taken out of use"),
    # what an invited colleague answered, and why for them
    "accepted": N_("Accepted"),
    "absence_withdrawn": N_("Absence withdrawn"),
    # why a request was declined without a decision
    "lapsed": N_("Not decided in time"),
    # which alert of a field visit
    "overdue": N_("Overdue"),
    "escalation": N_("Escalated"),
    # what a calendar subscription shows
    "person": N_("Person"),
    "team": N_("Team"),
    "site": N_("Site"),
    "space": N_("Space"),
    # where a change came from
    "oidc": N_("Single sign-on"),
    "import": N_("Import file"),
    # a person's fields
    "name": N_("Name"),
    "email": N_("E-mail address"),
    "mobile": N_("Mobile"),
    "language": N_("Language"),
    "backup_id": N_("Backup colleague"),
    "active": N_("Active"),
    "hide_desk": N_("Hide my desk"),
    "roles": N_("Roles"),
    "topics": N_("Topics"),
    "teams": N_("Teams"),
    "team_ids": N_("Teams"),
    "lead_team_ids": N_("Leads teams"),
    # a field visit's fields
    "visitor_ids": N_("Visitors"),
    "start": N_("Start"),
    "end": N_("End"),
    "area": N_("Area"),
    "purpose": N_("Purpose"),
    "two_person_required": N_("Two people required"),
    "booking_id": N_("Resident room"),
    # a site's, a floor's and a space's fields
    "kind": N_("Kind"),
    "address": N_("Address"),
    "city": N_("Town or village"),
    "day_split": N_("Morning ends / afternoon starts at"),
    "max_days_ahead": N_("Bookable days ahead"),
    "capacity_cap_percent": N_("Capacity cap"),
    "observe_public_holidays": N_("Closed on Dutch public holidays"),
    "opening_hours": N_("Opening hours"),
    "floor_id": N_("Floor"),
    "zone_id": N_("Zone"),
    "level": N_("Level"),
    "zones": N_("Zones"),
    "capacity": N_("Capacity"),
    "amenities": N_("Amenities"),
    "safety_features": N_("Safety features"),
    "requires_approval": N_("Needs approval"),
}

#: Keys whose values are codes to be named, and keys whose values are ids of people.
_CODE_KEYS = frozenset(
    {
        "status",
        "reason",
        "level",
        "scope",
        "method",
        "source",
        "fields",
        "roles",
        "response",
        "previous_response",
    }
)
#: Keys whose values are an invited colleague's answer, where pending is no answer yet
#: (not a booking awaiting approval).
_ANSWER_KEYS = frozenset({"response", "previous_response"})
PEOPLE_KEYS = frozenset(
    {"booked_for_id", "person_id", "visitor_ids", "invited_ids", "uninvited_ids"}
)
SPACE_KEYS = frozenset({"space_id", "from_space_id", "to_space_id"})
_LOCAL_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})(?: (\w+))?$")


@dataclass(frozen=True)
class ReferencedNames:
    """The names of the people, spaces, sites, floors and teams an audit page's events are
    about or their details refer to by id (a floor plan is its floor's)."""

    people: Mapping[int, str]
    spaces: Mapping[int, str]
    sites: Mapping[int, str]
    floors: Mapping[int, str]
    teams: Mapping[int, str]


#: The objects an event may be about that are named by ``ReferencedNames``.
_NAMED_OBJECTS: dict[str, Callable[[ReferencedNames], Mapping[int, str]]] = {
    "person": lambda names: names.people,
    "space": lambda names: names.spaces,
    "site": lambda names: names.sites,
    "floor": lambda names: names.floors,
    "floor_plan": lambda names: names.floors,
    "team": lambda names: names.teams,
}


def object_text(object_type: str, object_id: str, names: ReferencedNames) -> str:
    """What an event is about, as "Persoon 12 (Ada de Vries)": its kind and number, and the
    name of a person, space, site, floor (or its plan) or team that still has one."""
    found = _NAMED_OBJECTS[object_type](names) if object_type in _NAMED_OBJECTS else {}
    name = found.get(int(object_id)) if object_id.isdigit() else None
    text = f"{object_label(object_type)} {object_id}"
    return f"{text} ({name})" if name else text


def detail_lines(details: Mapping[str, Any], names: ReferencedNames) -> list[tuple[str, str]]:
    """An event's details as (label, text) pairs: dates local, codes named, ids as names,
    a feed's scope number with the name of the person, team, site or space it is for."""
    return [
        (
            gettext(DETAILS[key]) if key in DETAILS else key,
            _scope_text(value, details.get("scope"), names)
            if key == "scope_id"
            else _detail_text(key, value, names),
        )
        for key, value in details.items()
    ]


def _scope_text(scope_id: Any, scope: Any, names: ReferencedNames) -> str:
    """A calendar feed's scope number as "12 (Ada de Vries)", the name of the ``scope``
    (person, team, site or space) it is for while it has one, like ``object_text``."""
    if not isinstance(scope_id, int):  # None: erasing the person took their number out
        return _detail_text("scope_id", scope_id, names)
    found = _NAMED_OBJECTS[scope](names) if scope in _NAMED_OBJECTS else {}
    name = found.get(scope_id)
    return f"{scope_id} ({name})" if name else str(scope_id)


def _detail_text(key: str, value: Any, names: ReferencedNames) -> str:
    if value is None or value == []:
        return "–"
    if isinstance(value, list):
        return ", ".join(_detail_text(key, item, names) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{_code(part)}: {_code(kind)}" for part, kind in value.items())
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, int) and key in PEOPLE_KEYS:
        return names.people.get(value, f"#{value}")
    if isinstance(value, int) and key in SPACE_KEYS:
        return names.spaces.get(value, f"#{value}")
    if isinstance(value, int) and key == "site_id":
        return names.sites.get(value, f"#{value}")
    if isinstance(value, int) and key == "weekdays" and 0 <= value < len(WEEKDAY_NAMES):
        return gettext(WEEKDAY_NAMES[value])
    if key in _ANSWER_KEYS and value == "pending":
        return gettext("Not answered yet")
    if isinstance(value, str) and key in _CODE_KEYS:
        return _code(value)
    if isinstance(value, str):
        return _moment(value)
    if isinstance(value, int) and not key.endswith("_id"):
        return format_number(value)  # a count, as pages write it: 1.542
    return str(value)


def _code(value: str) -> str:
    return gettext(DETAIL_CODES[value]) if value in DETAIL_CODES else label(value)


def _moment(text: str) -> str:
    """An ISO date as 03-12-2026 (with a day part named), an ISO time in Amsterdam's clock."""
    day = _LOCAL_DAY.match(text)
    if day:
        shown = short_date(date.fromisoformat(day.group(1)))
        return f"{shown} {label(day.group(2))}" if day.group(2) else shown
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is None:
        return text
    return f"{short_date(moment.astimezone(AMSTERDAM).date())} {moment.astimezone(AMSTERDAM):%H:%M}"
