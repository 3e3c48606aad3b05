"""One place that imports every domain's models, so metadata is complete."""

from __future__ import annotations


def import_all_models() -> None:
    import werkplek.audit.models
    import werkplek.bookings.models
    import werkplek.displays.models
    import werkplek.emergency.models
    import werkplek.feeds.models
    import werkplek.floorplans.models
    import werkplek.notifications.models
    import werkplek.people.models
    import werkplek.presence.models
    import werkplek.rooms.models
    import werkplek.system.models
    import werkplek.visitors.models
    import werkplek.visits.models
    import werkplek.webhooks.models  # noqa: F401
