"""What the audit log page calls its actions and objects (the API keeps the codes).

A code that is not listed here, from a newer version or an older row, shows as it is.
"""

from __future__ import annotations

from werkplek.i18n import N_, gettext

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
    "release": N_("Released (no-show)"),
    "extend": N_("Extended"),
    "revoke": N_("Revoked"),
    "upload": N_("Uploaded"),
    "place": N_("Placed on the floor plan"),
    "unplace": N_("Taken off the floor plan"),
    "set_day": N_("Day set"),
    "set_pattern": N_("Usual week set"),
    "copy_week": N_("Last week copied"),
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
}

OBJECTS: dict[str, str] = {
    "booking": N_("Booking"),
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
    "webhook_endpoint": N_("Webhook"),
    "privacy": N_("Privacy request"),
    "demo": N_("Demo"),
}


def action_label(code: str) -> str:
    return gettext(ACTIONS[code]) if code in ACTIONS else code


def object_label(code: str) -> str:
    return gettext(OBJECTS[code]) if code in OBJECTS else code
