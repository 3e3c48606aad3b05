"""The menu, and the sections of the home page, per role."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple

from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.bookings import favourites
from werkplek.bookings import services as bookings
from werkplek.clock import Clock
from werkplek.config import Settings
from werkplek.i18n import N_
from werkplek.notifications import services as notifications
from werkplek.people.models import Role
from werkplek.people.services import CurrentUser
from werkplek.presence import services as presence
from werkplek.system import services as system
from werkplek.visits import services as visits


@dataclass(frozen=True)
class NavItem:
    href: str
    label: str
    description: str
    roles: frozenset[Role] = field(default_factory=frozenset)  # empty: everyone logged in
    #: Managing the app rather than working in it: grouped under one menu entry.
    manage: bool = False
    #: Of ``roles``, those for whom such a page is everyday work: in the menu itself for
    #: someone who holds one of them and may not manage the app otherwise (reception).
    everyday_for: frozenset[Role] = field(default_factory=frozenset)
    #: One's own settings: in the menu under one's name.
    personal: bool = False
    #: The address its pages lie under, when not under ``href`` (a page that redirects).
    section: str | None = None
    #: Addresses of its pages that lie elsewhere (a site's QR codes, floor plans; teams).
    also: tuple[str, ...] = ()
    #: About oneself ("My week"), while its pages also open for someone else with
    #: ``?person=``: such a page is then not this item's.
    own: bool = False


NAV_ITEMS: list[NavItem] = [
    NavItem(
        "/book/desk", N_("Book a desk"), N_("Find a free desk or quiet workspace and book it.")
    ),
    NavItem(
        "/book/room", N_("Book a room"), N_("Meeting rooms and resident rooms: free times per day.")
    ),
    NavItem(
        "/plan",
        N_("Floor plans"),
        N_("See the desks on a floor plan and book one by clicking it."),
    ),
    NavItem("/bookings", N_("My bookings"), N_("Your upcoming bookings: check in or cancel.")),
    NavItem(
        "/bookings/approvals",
        N_("Booking approvals"),
        N_("Approve or decline requests for rooms that need approval."),
        frozenset({Role.FACILITIES}),
        manage=True,
    ),
    NavItem(
        "/bookings/site-day",
        N_("Bookings by site"),
        N_("Who is expected where on a day: check out or cancel for them."),
        frozenset({Role.FACILITIES}),
        manage=True,
    ),
    NavItem(
        "/visitors/today",
        N_("Visitors today"),
        N_("Reception: residents and partners expected at a site, and for whom they come."),
        frozenset({Role.RECEPTION, Role.FACILITIES}),
        manage=True,
        everyday_for=frozenset({Role.RECEPTION}),
    ),
    NavItem(
        "/emergency",
        N_("Evacuation"),
        N_("Emergency response: who is in a building, ticked off at the assembly point."),
        frozenset({Role.EMERGENCY, Role.FACILITIES}),
        manage=True,
        everyday_for=frozenset({Role.EMERGENCY}),
    ),
    NavItem(
        "/admin/sites",
        N_("Sites and spaces"),
        N_("Manage sites, floors, spaces, opening hours and closures."),
        frozenset({Role.FACILITIES}),
        manage=True,
        also=("/bookings/qr-codes", "/admin/floors"),
    ),
    NavItem(
        "/admin/people",
        N_("People and teams"),
        N_("Manage people, teams, roles and topics."),
        frozenset({Role.ADMIN}),
        manage=True,
        also=("/admin/teams",),
    ),
    NavItem(
        "/my-week",
        N_("My week"),
        N_("Say where you work each half day, and your usual week."),
        own=True,
    ),
    NavItem("/kcc", N_("Find a colleague"), N_("Who is reachable now, how, and who stands in.")),
    NavItem(
        "/teams/board",
        N_("Team board"),
        N_("Where your team works this week, and who is reachable now."),
        section="/teams",
        also=("/bookings/team-day",),  # linked from the board of a team one leads
    ),
    NavItem(
        "/callback-notes",
        N_("Callback notes"),
        N_("Leave a resident's question for a colleague who cannot be reached."),
        frozenset({Role.KCC}),
    ),
    NavItem(
        "/admin/webhooks",
        N_("Webhooks"),
        N_("Let other systems hear about bookings and work locations; the delivery log."),
        frozenset({Role.ADMIN}),
        manage=True,
    ),
    NavItem(
        "/admin/mail",
        N_("Outgoing e-mail"),
        N_("What was sent, what could not be sent and what waits: try again or cancel."),
        frozenset({Role.ADMIN}),
        manage=True,
    ),
    NavItem(
        "/visits",
        N_("Field visits"),
        N_("Plan home visits, check in on arrival and check out when you have left safely."),
    ),
    NavItem(
        "/visits/safety",
        N_("Safety board"),
        N_("Field visits of your team: who is out, and alerts when someone has not checked out."),
        frozenset({Role.TEAMLEAD}),
    ),
    NavItem(
        "/analytics",
        N_("Occupancy and space planning"),
        N_("How desks and rooms are used, what the sites need, and where teams work."),
        frozenset({Role.FACILITIES}),
        manage=True,
    ),
    NavItem(
        "/admin/audit",
        N_("Audit log"),
        N_("Who changed what and when, and who was shown a field-visit address."),
        frozenset({Role.ADMIN}),
        manage=True,
    ),
    NavItem(
        "/admin/system",
        N_("System"),
        N_("Whether the background jobs run, the database and the settings in force."),
        frozenset({Role.ADMIN}),
        manage=True,
    ),
    NavItem(
        "/profile",
        N_("My profile"),
        N_("How colleagues reach you, your language, API tokens and your data."),
        personal=True,
    ),
    NavItem(
        "/feeds",
        N_("Subscribe to calendar"),
        N_("Your bookings, your team or a room in Outlook, Google Calendar or Thunderbird."),
        personal=True,
    ),
    NavItem(
        "/notifications",
        N_("Notifications"),
        N_("Choose which e-mails you receive about bookings and check-in."),
        personal=True,
    ),
]


def _shown_to(item: NavItem, user: CurrentUser) -> bool:
    """Everyday pages of a role are shown to those who hold it; an administrator may open
    them too, but sees in the menu only the roles they hold besides (the menu stays one
    line at 1366 px). Pages that manage the app are shown to administrators as well."""
    if not item.roles:
        return True
    if item.manage:
        return user.has_role(*item.roles)
    return not item.roles.isdisjoint(user.roles)


def nav_items_for(user: CurrentUser | None) -> list[NavItem]:
    if user is None:
        return []
    return [item for item in NAV_ITEMS if _shown_to(item, user)]


class Menu(NamedTuple):
    """The menu's items in its three places."""

    everyday: list[NavItem]  # in the menu itself
    manage: list[NavItem]  # under "Manage"
    personal: list[NavItem]  # under one's name


def _managed_by(item: NavItem, user: CurrentUser | None) -> bool:
    """Whether ``item`` belongs under "Manage" for ``user``: a page that manages the app,
    unless it is everyday work for a role of theirs and no other role of theirs (nor being
    an administrator) opens it."""
    if not item.manage:
        return False
    if user is None or item.everyday_for.isdisjoint(user.roles):
        return True
    return user.has_role(*(item.roles - item.everyday_for))


def menu_of(items: list[NavItem], user: CurrentUser | None) -> Menu:
    return Menu(
        everyday=[item for item in items if not _managed_by(item, user) and not item.personal],
        manage=[item for item in items if _managed_by(item, user)],
        personal=[item for item in items if item.personal],
    )


def for_someone_else(user: CurrentUser | None, query: Mapping[str, str]) -> bool:
    """Whether a page is opened for another person than the user (``?person=<id>``, as a
    team lead planning a member's week)."""
    person = query.get("person")
    return user is not None and person is not None and person != str(user.id)


def current_href(items: list[NavItem], path: str, *, someone_else: bool = False) -> str | None:
    """The menu item a page belongs to: the longest of their addresses that the path is or
    lies under (``/bookings/approvals`` belongs to approvals, not to my bookings). A page
    opened for someone else belongs to no item about oneself: a lead planning a member's
    week is not on "My week"."""
    under = {
        item.href: len(section)
        for item in items
        for section in (item.section or item.href, *item.also)
        if (path == section or path.startswith(section + "/")) and not (someone_else and item.own)
    }
    return max(under, key=under.__getitem__, default=None)


HomeLoader = Callable[[AsyncSession, Clock, Settings, CurrentUser], Awaitable[dict[str, Any]]]


async def _home_favourites(
    session: AsyncSession, clock: Clock, settings: Settings, user: CurrentUser
) -> dict[str, Any]:
    """The home page block that books a favourite desk in one click, for a day one is not
    absent (a holiday, or the day off of one's usual week)."""
    days_away = partial(presence.days_absent, session, user.id)
    return {
        "favourites_to_book": await favourites.favourites_to_book(session, clock, user, days_away)
    }


@dataclass(frozen=True)
class HomeSection:
    """A block on the home page: a template and what it needs."""

    template: str
    load: HomeLoader


#: What needs doing today comes first, above the tiles: overdue field visits and one's own
#: visits (safety), residents waiting for a call back, requests waiting for facilities'
#: decision, background jobs that need an administrator and e-mail that could not be
#: sent (administrators), then bookings and status.
HOME_SECTIONS: list[HomeSection] = [
    HomeSection("visits/home_section.html", visits.home_visits),
    HomeSection("presence/home_notes.html", presence.home_notes),
    HomeSection("bookings/home_approvals.html", bookings.home_approvals),
    HomeSection("system/home_jobs.html", system.home_jobs),
    HomeSection("notifications/home_failed_mail.html", notifications.home_failed_mail),
    HomeSection("bookings/home_today.html", bookings.home_today),
    HomeSection("bookings/home_favourites.html", _home_favourites),
    HomeSection("presence/home_status.html", presence.home_status),
]
