"""The demo municipality: Gemeente Westerkwartier-Noord (fictional, as are its people).

``load_demo`` fills an empty database with sites, floors, spaces, teams, people,
bookings and work locations from four weeks before "today" (taken from the clock)
to a week after it,
and weekly patterns. Everything is generated from a fixed seed, so the same day
gives the same data. Demo people with a log-in share one password hash; the
others cannot log in.
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.analytics.services import DEFAULT_PERIOD_DAYS
from werkplek.audit.services import record
from werkplek.bookings.models import (
    Booking,
    BookingParticipant,
    BookingStatus,
    FavouriteDesk,
    ParticipantResponse,
)
from werkplek.clock import AMSTERDAM, Clock, local_midnight, local_today
from werkplek.db import lock_for_write
from werkplek.errors import Conflict
from werkplek.floorplans.demo import add_demo_plans
from werkplek.i18n import N_, _, format_number, readable_counts
from werkplek.labels import day_and_date, label
from werkplek.people.models import Person, PersonRole, PersonTopic, Role, Team, TeamMembership
from werkplek.people.security import hash_password
from werkplek.presence.models import CallbackNote, WeeklyPattern, WorkKind, WorkLocation
from werkplek.rooms.models import (
    Amenity,
    Closure,
    Floor,
    OpeningHours,
    SafetyFeature,
    Site,
    SiteKind,
    Space,
    SpaceKind,
    SpaceTeam,
    Zone,
)
from werkplek.rooms.services import (
    DayPart,
    SiteDay,
    day_part_window,
    is_working_day,
    local_to_utc,
    site_day,
)
from werkplek.visitors.models import BookingVisitor
from werkplek.visits.demo import add_demo_visits, demo_visits

MUNICIPALITY = "Gemeente Westerkwartier-Noord"
DEMO_DOMAIN = "demo.werkplek.nl"
DEMO_PASSWORD = "werkplek-demo"
SEED = 2026
# Bookings and work locations: the occupancy pages' default period (the four weeks up to
# today) has figures, and the week ahead has bookings to see and change.
DAYS_BEFORE_TODAY = DEFAULT_PERIOD_DAYS - 1
DAYS_AFTER_TODAY = 7

PARTS = (DayPart.MORNING, DayPart.AFTERNOON)
WEEKDAYS = range(5)


class DatabaseNotEmpty(Conflict):
    code = "database_not_empty"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: Role
    name: str
    team: str
    what: str  # what to try with this log-in (marked; the CLI shows it translated)


BURGERZAKEN = "Burgerzaken"
VERGUNNINGEN = "Vergunningen"
SOCIAAL_DOMEIN = "WMO/Sociaal domein"
KCC = "KCC"
BUITENDIENST = "Buitendienst"
FACILITAIR = "Facilitair"
#: Where the demo receptionist keeps the desk: not the central office, so that the list
#: of the day opening on her own site shows.
RECEPTION_SITE = "marrewoude"

DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        f"medewerker@{DEMO_DOMAIN}",
        Role.EMPLOYEE,
        "Sanne Hoekstra",
        BURGERZAKEN,
        N_("employee: book a desk or room, say where you work, a callback note, a field visit"),
    ),
    DemoLogin(
        f"kcc@{DEMO_DOMAIN}",
        Role.KCC,
        "Yasmina El Khatib",
        KCC,
        N_("KCC agent: find a colleague by name, team or topic"),
    ),
    DemoLogin(
        f"teamleider@{DEMO_DOMAIN}",
        Role.TEAMLEAD,
        "Marco Veenstra",
        BURGERZAKEN,
        N_(
            "team lead of Burgerzaken: the team's week (plan a member's), an overdue visit on"
            " the safety board"
        ),
    ),
    DemoLogin(
        f"facilitair@{DEMO_DOMAIN}",
        Role.FACILITIES,
        "Ingrid Wiersma",
        FACILITAIR,
        N_("facilities: sites, spaces, closures, approvals, occupancy"),
    ),
    DemoLogin(
        f"beheer@{DEMO_DOMAIN}",
        Role.ADMIN,
        "Pieter Nijholt",
        FACILITAIR,
        N_("administrator: people, teams and roles"),
    ),
    DemoLogin(
        f"receptie@{DEMO_DOMAIN}",
        Role.RECEPTION,
        "Wilma Hofman",
        FACILITAIR,
        N_("reception: today's visitors, mark one arrived (the host gets an e-mail)"),
    ),
    DemoLogin(
        f"bhv@{DEMO_DOMAIN}",
        Role.EMERGENCY,
        "Harm Tjalsma",
        VERGUNNINGEN,
        N_("emergency response (BHV): an evacuation's roll call, tick off who is safe"),
    ),
)


# --- sites and spaces ---------------------------------------------------------------------

OFFICE_HOURS = {weekday: (time(7, 30), time(18, 0)) for weekday in WEEKDAYS}


@dataclass(frozen=True)
class SpaceSpec:
    name: str
    kind: SpaceKind
    floor: int | None = None  # level
    zone: str | None = None
    capacity: int = 1
    amenities: tuple[Amenity, ...] = ()
    safety: tuple[SafetyFeature, ...] = ()
    approval: bool = False
    team: str | None = None  # restricted to this team


@dataclass(frozen=True)
class SiteSpec:
    key: str
    name: str
    kind: SiteKind
    address: str
    city: str
    hours: dict[int, tuple[time, time]]
    floors: tuple[tuple[int, str, tuple[str, ...]], ...] = ()
    spaces: tuple[SpaceSpec, ...] = ()
    capacity_cap_percent: int | None = None


def _desks(
    prefix: str,
    first: int,
    count: int,
    *,
    floor: int | None,
    zone: str | None,
    quiet: bool = False,
    team: str | None = None,
) -> tuple[SpaceSpec, ...]:
    """Desks numbered like "1.04": every desk a screen and docking, every third sit-stand."""
    specs = []
    for number in range(first, first + count):
        amenities = [Amenity.SCREEN, Amenity.DOCKING]
        if quiet or number % 3 == 0:
            amenities.append(Amenity.SIT_STAND)
        if number == first and not quiet:
            amenities.append(Amenity.WHEELCHAIR)
        label = "Stilteplek" if quiet else "Flexplek"
        level = "" if floor is None else f"{floor}."
        specs.append(
            SpaceSpec(
                f"{label} {prefix}{level}{number:02d}",
                SpaceKind.QUIET_DESK if quiet else SpaceKind.DESK,
                floor,
                zone,
                amenities=tuple(amenities),
                team=team,
            )
        )
    return tuple(specs)


def _room(
    name: str,
    capacity: int,
    *amenities: Amenity,
    floor: int | None = None,
    zone: str | None = None,
    approval: bool = False,
) -> SpaceSpec:
    return SpaceSpec(
        name,
        SpaceKind.MEETING_ROOM,
        floor,
        zone,
        capacity=capacity,
        amenities=amenities,
        approval=approval,
    )


def _resident_room(
    name: str, *safety: SafetyFeature, floor: int | None = None, zone: str | None = None
) -> SpaceSpec:
    return SpaceSpec(
        name,
        SpaceKind.RESIDENT_ROOM,
        floor,
        zone,
        capacity=3,
        amenities=(Amenity.WHEELCHAIR,),
        safety=safety,
    )


ALL_SAFETY = (SafetyFeature.ALARM_BUTTON, SafetyFeature.SECOND_EXIT, SafetyFeature.LINE_OF_SIGHT)

SITES: tuple[SiteSpec, ...] = (
    SiteSpec(
        "central",
        "Gemeentehuis Grijpenhuizen",
        SiteKind.CENTRAL_OFFICE,
        "Raadhuisplein 1",
        "Grijpenhuizen",
        OFFICE_HOURS,
        floors=(
            (0, "Begane grond", ("Publiekshal", "Buitendienstplein", "Facilitair")),
            (1, "Eerste verdieping", ("Burgerzaken en KCC", "Vergunningen")),
            (2, "Tweede verdieping", ("Sociaal domein", "Stiltezone")),
        ),
        spaces=(
            *_desks("", 1, 4, floor=0, zone="Buitendienstplein", team=BUITENDIENST),
            *_desks("", 5, 2, floor=0, zone="Facilitair"),
            *_desks("", 1, 12, floor=1, zone="Burgerzaken en KCC"),
            *_desks("", 13, 8, floor=1, zone="Vergunningen"),
            *_desks("", 1, 8, floor=2, zone="Sociaal domein"),
            *_desks("", 11, 8, floor=2, zone="Stiltezone", quiet=True),
            _resident_room("Spreekkamer 1", *ALL_SAFETY, floor=0, zone="Publiekshal"),
            _resident_room("Spreekkamer 2", *ALL_SAFETY, floor=0, zone="Publiekshal"),
            _room("Kievit", 4, Amenity.SCREEN, floor=1),
            _room("Grutto", 6, Amenity.SCREEN, Amenity.VIDEO, floor=1),
            _room("Tureluur", 8, Amenity.SCREEN, Amenity.VIDEO, Amenity.WHEELCHAIR, floor=2),
            _room(
                "Commissiekamer",
                14,
                Amenity.SCREEN,
                Amenity.VIDEO,
                Amenity.WHEELCHAIR,
                floor=2,
                approval=True,
            ),
        ),
    ),
    SiteSpec(
        "marrewoude",
        "Servicepunt Marrewoude",
        SiteKind.SATELLITE,
        "Dorpsstraat 14",
        "Marrewoude",
        OFFICE_HOURS,
        floors=((0, "Begane grond", ()),),
        spaces=(
            *_desks("M", 1, 7, floor=None, zone=None),
            *_desks("M", 8, 1, floor=None, zone=None, quiet=True),
            _room("Zwaluw", 6, Amenity.SCREEN, Amenity.VIDEO),
            _resident_room(
                "Spreekkamer Marrewoude", SafetyFeature.ALARM_BUTTON, SafetyFeature.LINE_OF_SIGHT
            ),
        ),
        capacity_cap_percent=60,
    ),
    SiteSpec(
        "lutjeburen",
        "Kantoor Lutjeburen",
        SiteKind.SATELLITE,
        "Stationsweg 3",
        "Lutjeburen",
        OFFICE_HOURS,
        floors=((1, "Eerste verdieping", ()),),
        spaces=(
            *_desks("L", 1, 5, floor=None, zone=None),
            *_desks("L", 6, 1, floor=None, zone=None, quiet=True),
            _room("Wulp", 4, Amenity.SCREEN),
        ),
    ),
    SiteSpec(
        "ruigeveen",
        "Uitvalsbasis Ruigeveen",
        SiteKind.FIELD_BASE,
        "Industrieweg 22",
        "Ruigeveen",
        OFFICE_HOURS,
        spaces=(
            *_desks("R", 1, 4, floor=None, zone=None),
            _room("Ploegenruimte", 10, Amenity.SCREEN),
        ),
    ),
    SiteSpec(
        "eekster",
        "Gemeentewerf Eekster",
        SiteKind.FIELD_BASE,
        "Werfweg 5",
        "Eekster",
        OFFICE_HOURS,
        spaces=_desks("E", 1, 3, floor=None, zone=None),
    ),
    SiteSpec(
        "kolk",
        "Dorpshuis De Kolk",
        SiteKind.COMMUNITY_VENUE,
        "Kerkpad 2",
        "Noordwolderij",
        {1: (time(9, 0), time(17, 0)), 3: (time(9, 0), time(17, 0))},
        spaces=(
            _resident_room(
                "Spreekkamer De Kolk", SafetyFeature.ALARM_BUTTON, SafetyFeature.SECOND_EXIT
            ),
        ),
    ),
    SiteSpec(
        "trefpunt",
        "Dorpshuis Het Trefpunt",
        SiteKind.COMMUNITY_VENUE,
        "Brink 7",
        "Lutjewarf",
        {0: (time(9, 0), time(16, 0)), 2: (time(9, 0), time(16, 0))},
        spaces=(_room("Grote zaal", 12, Amenity.SCREEN, Amenity.WHEELCHAIR),),
    ),
)

VILLAGES = (
    "Grijpenhuizen",
    "Marrewoude",
    "Lutjeburen",
    "Ruigeveen",
    "Eekster",
    "Noordwolderij",
    "Lutjewarf",
    "Zandewierde",
    "Oostermeer",
)


# --- teams and people ---------------------------------------------------------------------


@dataclass(frozen=True)
class TeamSpec:
    name: str
    description: str
    size: int
    topics: tuple[str, ...]
    sites: tuple[str, ...]  # where members are based, the first the most


TEAMS: tuple[TeamSpec, ...] = (
    TeamSpec(
        BURGERZAKEN,
        "Paspoorten, rijbewijzen, verhuizingen en de BRP.",
        14,
        ("paspoort", "rijbewijs", "verhuizing", "uittreksel BRP"),
        ("central", "central", "central", "marrewoude"),
    ),
    TeamSpec(
        VERGUNNINGEN,
        "Omgevings-, bouw- en evenementenvergunningen.",
        12,
        ("omgevingsvergunning", "bouwvergunning", "evenementenvergunning"),
        ("central", "central", "central", "central", "lutjeburen"),
    ),
    TeamSpec(
        SOCIAAL_DOMEIN,
        "Wmo, jeugd en schuldhulp; spreekuren in de dorpshuizen.",
        16,
        ("WMO", "huishoudelijke hulp", "jeugdzorg", "schuldhulp"),
        ("central", "central", "marrewoude", "lutjeburen"),
    ),
    TeamSpec(
        KCC,
        "Klantcontactcentrum: telefoon, chat en balie.",
        14,
        ("algemene vragen",),
        ("central",),
    ),
    TeamSpec(
        BUITENDIENST,
        "Groen, afval en wegen; werkt vanuit de uitvalsbases.",
        16,
        ("groenonderhoud", "afval", "wegen"),
        ("ruigeveen", "eekster"),
    ),
    TeamSpec(
        FACILITAIR,
        "Gebouwen, werkplekken, vergaderruimtes en toegangspassen.",
        8,
        ("gebouwbeheer", "vergaderruimtes", "toegangspassen"),
        ("central",),
    ),
)

FIRST_NAMES = (
    "Anouk", "Bas", "Carlijn", "Daan", "Eline", "Floor", "Gerrit", "Hanneke", "Iris",
    "Jeroen", "Karin", "Lars", "Marieke", "Niels", "Oscar", "Petra", "Rik", "Sophie",
    "Thijs", "Ursula", "Vincent", "Wendy", "Anja", "Bram", "Chantal", "Dirk", "Esther",
    "Frank", "Geke", "Henk", "Ilse", "Jelle", "Kim", "Lotte", "Maarten", "Nienke", "Remco",
    "Sietske", "Tjeerd", "Vera", "Willem", "Yvonne", "Zeynep", "Mohamed", "Fatima", "Emre",
    "Priya", "Kevin", "Mirjam", "Jorien", "Harm", "Greetje", "Albert", "Bianca", "Roelof",
    "Tamara", "Erik", "Linda", "Wouter", "Annemiek", "Sander", "Laura", "Ruben", "Joyce",
    "Koen", "Nadia", "Stefan", "Hilde", "Arjen", "Evelien", "Bouke", "Femke",
)  # fmt: skip
LAST_NAMES = (
    "de Vries", "van der Meer", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
    "Mulder", "de Groot", "Bos", "Vos", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Kok",
    "de Haan", "van der Veen", "de Jong", "Postma", "Kuipers", "Huisman", "Wierenga",
    "Boersma", "Zijlstra", "Bosma", "Kramer", "Schouten", "Prins", "Hofstra", "Oosting",
    "Wolters", "Kooistra", "Jonker", "Sikkema", "Groen", "Blom", "Staal", "Nijboer",
    "Bakker-Tuinstra", "van Dam", "Scholten", "Haze", "Tuinman", "Smeding", "Kaya",
    "El Amrani", "Yıldız", "Pinas", "Ramdin", "Reitsma", "Hoving", "Pool", "Ubbens",
    "Venema", "Meindertsma", "Stoter", "Bolt", "Holtrop", "Mensinga", "Feenstra",
    "van Wijk", "Stuut", "Zuidema", "Kamminga", "Lubbers", "Rozema", "Tammeling",
)  # fmt: skip

ROOM_TITLES: dict[str, tuple[str, ...]] = {
    BURGERZAKEN: ("Werkoverleg Burgerzaken", "Inwerken nieuwe collega", "Afstemming verkiezingen"),
    VERGUNNINGEN: ("Omgevingstafel", "Vooroverleg bouwplan", "Evenementenoverleg"),
    SOCIAAL_DOMEIN: ("Casusoverleg", "Werkoverleg Sociaal domein", "Overleg jeugd en gezin"),
    KCC: ("KCC-teamoverleg", "Kennissessie nieuwe regeling", "Kwaliteitsoverleg"),
    BUITENDIENST: ("Ploegoverleg", "Planning winterdienst", "Toolboxmeeting veiligheid"),
    FACILITAIR: ("Gebouwoverleg", "Overleg schoonmaak", "Leveranciersoverleg"),
}
MANAGEMENT_TITLES = ("MT-overleg", "Presentatie raadsvoorstel", "Bijeenkomst afdelingshoofden")
RESIDENT_TITLES: dict[str, tuple[str, ...]] = {
    BURGERZAKEN: ("Afspraak naturalisatie", "Gesprek adresonderzoek"),
    VERGUNNINGEN: ("Gesprek vergunningaanvraag",),
    SOCIAAL_DOMEIN: ("Keukentafelgesprek", "Gesprek schuldhulp", "Spreekuur Wmo"),
}


# Village halls: who holds what there on the days they are open (blocks of local time).
VENUE_PROGRAMME: dict[str, tuple[tuple[str, str, tuple[tuple[time, int], ...]], ...]] = {
    "kolk": (
        (SOCIAAL_DOMEIN, "Spreekuur Sociaal domein", ((time(9, 30), 150), (time(13, 30), 150))),
    ),
    "trefpunt": (
        (SOCIAAL_DOMEIN, "Inloopochtend Wmo", ((time(10, 0), 120),)),
        (BUITENDIENST, "Inloopochtend buitenruimte", ((time(10, 0), 120),)),
    ),
}

Slot = tuple[WorkKind, str | None, str | None]  # kind, site key, area (or absence reason)


@dataclass
class _Member:
    person: Person
    team: str
    home_site: str
    is_lead: bool
    fills_in: bool  # records where they work; the others rely on their weekly pattern
    pattern: dict[int, dict[DayPart, Slot]] = field(default_factory=dict)
    #: At their home site every working day, as they always are (the demo receptionist).
    fixed: bool = False


@dataclass(frozen=True)
class _VenueDay:
    host: _Member
    title: str
    blocks: tuple[tuple[time, int], ...]


@dataclass(frozen=True)
class DemoSummary:
    municipality: str
    today: date
    sites: int
    spaces: dict[str, int]
    teams: int
    people: int
    logins: tuple[DemoLogin, ...]
    desk_bookings: int
    room_bookings: int
    work_locations: int
    weekly_patterns: int


def _email_for(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    first, _sep, last = ascii_name.lower().partition(" ")
    return f"{first}.{last.replace(' ', '').replace('-', '')}@{DEMO_DOMAIN}"


def _is_desk(space: Space) -> bool:
    return SpaceKind(space.kind).is_desk


class _Builder:
    """Generates the demo in one transaction; rows for the big tables are inserted in bulk."""

    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.now = clock.now()
        self.today = local_today(clock)
        self.random = random.Random(SEED)
        self.sites: dict[str, Site] = {}
        self.spaces: dict[str, list[Space]] = defaultdict(list)
        self.zones: dict[tuple[str, str], int] = {}  # (site key, zone name) -> zone id
        self.closures: dict[str, list[Closure]] = defaultdict(list)
        self.teams: dict[str, Team] = {}
        self.members: list[_Member] = []
        self.logins: dict[str, Person] = {}
        self.venue_days: dict[tuple[str, date], _VenueDay] = {}
        self.on_holiday: set[int] = set()  # person ids
        self.bookings: list[dict[str, Any]] = []
        self.work_locations: list[dict[str, Any]] = []
        self.patterns: list[dict[str, Any]] = []
        self.days = [
            self.today + timedelta(days=offset)
            for offset in range(-DAYS_BEFORE_TODAY, DAYS_AFTER_TODAY + 1)
        ]

    # -- structure ------------------------------------------------------------------------

    async def build_teams(self) -> None:
        for spec in TEAMS:
            team = Team(name=spec.name, description=spec.description)
            self.session.add(team)
            self.teams[spec.name] = team
        await self.session.flush()

    async def build_sites(self) -> None:
        for spec in SITES:
            site = Site(
                name=spec.name,
                kind=spec.kind.value,
                address=spec.address,
                city=spec.city,
                timezone="Europe/Amsterdam",
                day_split=time(13, 0),
                max_days_ahead=14,
                capacity_cap_percent=spec.capacity_cap_percent,
                observe_public_holidays=True,
                active=True,
            )
            site.opening_hours = [
                OpeningHours(weekday=weekday, opens=opens, closes=closes)
                for weekday, (opens, closes) in sorted(spec.hours.items())
            ]
            site.floors = [
                Floor(name=name, level=level, zones=[Zone(name=zone) for zone in zones])
                for level, name, zones in spec.floors
            ]
            self.session.add(site)
            self.sites[spec.key] = site
        await self.session.flush()

        for spec in SITES:
            site = self.sites[spec.key]
            floors = {level.level: level for level in site.floors}
            for level in site.floors:
                for zone in level.zones:
                    self.zones[(spec.key, zone.name)] = zone.id
            for space_spec in spec.spaces:
                floor: Floor | None = None
                if space_spec.floor is not None:
                    floor = floors[space_spec.floor]
                elif len(site.floors) == 1:
                    floor = site.floors[0]
                space = Space(
                    site_id=site.id,
                    floor_id=floor.id if floor else None,
                    zone_id=self.zones.get((spec.key, space_spec.zone or "")),
                    name=space_spec.name,
                    kind=space_spec.kind.value,
                    capacity=space_spec.capacity,
                    amenities=sorted(a.value for a in space_spec.amenities),
                    safety_features=sorted(f.value for f in space_spec.safety),
                    requires_approval=space_spec.approval,
                    active=True,
                )
                space.restricted_to = (
                    [SpaceTeam(team_id=self.teams[space_spec.team].id)] if space_spec.team else []
                )
                self.session.add(space)
                self.spaces[spec.key].append(space)
        await self.session.flush()
        central = self.sites["central"]
        await add_demo_plans(
            self.session,
            self.now,
            central.floors,
            self.spaces["central"],
            {zone_id: name for (key, name), zone_id in self.zones.items() if key == "central"},
        )
        await self.session.flush()

    async def build_closures(self) -> None:
        """A maintenance day for one meeting room and a closed day at a village hall."""
        tureluur = next(s for s in self.spaces["central"] if s.name == "Tureluur")
        room_day = self.today + timedelta(days=2)
        while room_day.weekday() >= 5:
            room_day += timedelta(days=1)
        trefpunt = self.sites["trefpunt"]
        open_weekdays = {hours.weekday for hours in trefpunt.opening_hours}
        hall_day = next(
            day
            for day in (self.today + timedelta(days=n) for n in range(1, 8))
            if day.weekday() in open_weekdays
        )
        for key, closure in (
            (
                "central",
                Closure(
                    site_id=self.sites["central"].id,
                    space_id=tureluur.id,
                    starts_on=room_day,
                    ends_on=room_day,
                    reason="Nieuw presentatiescherm",
                ),
            ),
            (
                "trefpunt",
                Closure(
                    site_id=trefpunt.id,
                    space_id=None,
                    starts_on=hall_day,
                    ends_on=hall_day,
                    reason="Onderhoud verwarming",
                ),
            ),
        ):
            self.session.add(closure)
            self.closures[key].append(closure)
        await self.session.flush()

    def _team_roster(self, spec: TeamSpec, names: Any) -> list[tuple[str, str, DemoLogin | None]]:
        """The team's people as (name, e-mail, demo log-in); index 0 leads the team."""
        logins = [login for login in DEMO_LOGINS if login.team == spec.name]
        lead_login = next((login for login in logins if login.role == Role.TEAMLEAD), None)
        others = [login for login in logins if login is not lead_login]
        roster: list[tuple[str, str, DemoLogin | None]] = []
        for index in range(spec.size):
            login = lead_login if index == 0 else None
            if 1 <= index <= len(others):
                login = others[index - 1]
            if login is not None:
                roster.append((login.name, login.email, login))
            else:
                name = next(names)
                roster.append((name, _email_for(name), None))
        return roster

    async def build_people(self, password_hash: str) -> None:
        rng = self.random
        reserved = {login.name for login in DEMO_LOGINS}
        candidates = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
        rng.shuffle(candidates)
        seen_emails: set[str] = set()
        unique = []
        for name in candidates:
            email = _email_for(name)
            if name not in reserved and email not in seen_emails:
                seen_emails.add(email)
                unique.append(name)
        names = iter(unique)
        phone_numbers = iter(range(201, 999))
        english_left = 3

        for spec in TEAMS:
            team = self.teams[spec.name]
            for index, (name, email, login) in enumerate(self._team_roster(spec, names)):
                is_lead = index == 0
                roles: set[Role] = set()
                if is_lead:
                    roles.add(Role.TEAMLEAD)
                if spec.name == KCC:
                    roles.add(Role.KCC)
                if spec.name == FACILITAIR and index in (1, 2):
                    roles.add(Role.FACILITIES)
                if login is not None and login.role is not Role.EMPLOYEE:
                    roles.add(login.role)
                language = "nl"
                if login is None and not is_lead and english_left and index % 7 == 5:
                    language = "en"
                    english_left -= 1
                topics = rng.sample(spec.topics, k=min(len(spec.topics), rng.randint(1, 3)))
                has_mobile = login is not None or rng.random() < 0.75
                mobile = f"06 {rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}"
                person = Person(
                    email=email,
                    name=name,
                    password_hash=password_hash if login is not None else None,
                    phone=f"0594 70 {next(phone_numbers):03d}",
                    mobile=mobile if has_mobile else None,
                    chat_handle="@" + email.split("@")[0],
                    language=language,
                    active=True,
                    hide_desk=login is None and rng.random() < 0.05,
                    created_at=self.now,
                )
                person.roles = [PersonRole(role=role.value) for role in sorted(roles)]
                person.topics = [PersonTopic(topic=topic.lower()) for topic in sorted(topics)]
                person.memberships = [TeamMembership(team_id=team.id, is_lead=is_lead)]
                self.session.add(person)
                if login is not None:
                    self.logins[login.email] = person
                receptionist = login is not None and login.role is Role.RECEPTION
                home_site = spec.sites[0] if is_lead else spec.sites[index % len(spec.sites)]
                self.members.append(
                    _Member(
                        person=person,
                        team=spec.name,
                        home_site=RECEPTION_SITE if receptionist else home_site,
                        is_lead=is_lead,
                        fills_in=login is not None or rng.random() < 0.85,
                        fixed=receptionist,
                    )
                )
        await self.session.flush()

        by_team: dict[str, list[_Member]] = defaultdict(list)
        for member in self.members:
            by_team[member.team].append(member)
        for team_members in by_team.values():
            for index, member in enumerate(team_members):
                member.person.backup_id = team_members[(index + 1) % len(team_members)].person.id
        await self.session.flush()

    # -- weekly patterns ------------------------------------------------------------------

    def build_patterns(self) -> None:
        rng = self.random
        for member in self.members:
            pattern: dict[int, dict[DayPart, Slot]] = {}
            if member.fixed:
                for weekday in WEEKDAYS:
                    pattern[weekday] = dict.fromkeys(
                        PARTS, (WorkKind.OFFICE, member.home_site, None)
                    )
            elif member.team == BUITENDIENST:
                office_day = rng.choice(WEEKDAYS) if member.is_lead or rng.random() < 0.3 else -1
                for weekday in WEEKDAYS:
                    if weekday == office_day:
                        pattern[weekday] = {
                            part: (WorkKind.OFFICE, "central", None) for part in PARTS
                        }
                    else:
                        pattern[weekday] = {
                            DayPart.MORNING: (WorkKind.FIELD_BASE, member.home_site, None),
                            DayPart.AFTERNOON: (WorkKind.ON_LOCATION, None, rng.choice(VILLAGES)),
                        }
            else:
                office_days = set(rng.sample(list(WEEKDAYS), k=rng.choice((2, 3, 3, 4))))
                if member.team in (KCC, FACILITAIR) or member.is_lead:
                    office_days.add(1)  # Tuesday is the team day
                for weekday in WEEKDAYS:
                    if weekday in office_days:
                        slot: Slot = (WorkKind.OFFICE, member.home_site, None)
                    else:
                        slot = (WorkKind.HOME, None, None)
                    pattern[weekday] = dict.fromkeys(PARTS, slot)
                    if weekday in office_days and rng.random() < 0.2:  # half a day at home
                        pattern[weekday][rng.choice(PARTS)] = (WorkKind.HOME, None, None)
                if member.team == SOCIAAL_DOMEIN and rng.random() < 0.6:
                    home_days = [day for day in WEEKDAYS if day not in office_days] or [4]
                    pattern[rng.choice(home_days)][DayPart.AFTERNOON] = (
                        WorkKind.ON_LOCATION,
                        None,
                        rng.choice(VILLAGES),
                    )
            # part-time: a day or an afternoon off
            if not (member.is_lead or member.fixed) and rng.random() < 0.3:
                day_off = rng.choice((2, 4, 4))
                for part in PARTS if rng.random() < 0.6 else (DayPart.AFTERNOON,):
                    pattern[day_off][part] = (WorkKind.ABSENT, None, None)
            member.pattern = pattern
            for weekday, slots in pattern.items():
                morning, afternoon = slots[DayPart.MORNING], slots[DayPart.AFTERNOON]
                self.patterns.append(
                    {
                        "person_id": member.person.id,
                        "weekday": weekday,
                        "morning_kind": morning[0].value,
                        "morning_site_id": self._site_id(morning[1]),
                        "morning_area": morning[2],
                        "afternoon_kind": afternoon[0].value,
                        "afternoon_site_id": self._site_id(afternoon[1]),
                        "afternoon_area": afternoon[2],
                        "reachable_from": time(8, 0) if member.team == KCC else time(8, 30),
                        "reachable_until": time(17, 0),
                    }
                )

    def _site_id(self, key: str | None) -> int | None:
        return self.sites[key].id if key is not None else None

    # -- the days around today ------------------------------------------------------------

    def _site_day(self, key: str, day: date) -> SiteDay:
        return site_day(self.sites[key], day, self.closures[key])

    def _space_closed(self, key: str, space: Space, day: date) -> bool:
        return any(
            closure.space_id == space.id and closure.starts_on <= day <= closure.ends_on
            for closure in self.closures[key]
        )

    def plan_leave(self) -> None:
        """Two colleagues (without a demo log-in) are on holiday from today on."""
        candidates = [m for m in self.members if not m.is_lead and m.person.password_hash is None]
        self.on_holiday = {m.person.id for m in self.random.sample(candidates, 2)}

    def _last_working_day(self) -> date:
        """The working day (Monday to Friday, not a public holiday) before today."""
        day = self.today - timedelta(days=1)
        while not is_working_day(day):
            day -= timedelta(days=1)
        return day

    def _on_holiday(self, member: _Member, day: date) -> bool:
        return member.person.id in self.on_holiday and day >= self.today

    def plan_venues(self) -> None:
        """Who holds the consultation hours and drop-in mornings in the village halls."""
        for key, programme in VENUE_PROGRAMME.items():
            for ordinal, day in enumerate(d for d in self.days if self._site_day(key, d).is_open):
                team, title, blocks = programme[ordinal % len(programme)]
                hosts = [
                    m
                    for m in self.members
                    if m.team == team and not m.is_lead and not self._on_holiday(m, day)
                ]
                self.venue_days[(key, day)] = _VenueDay(self.random.choice(hosts), title, blocks)

    def _venue_parts(self, member: _Member, day: date) -> tuple[str, tuple[DayPart, ...]] | None:
        for (key, venue_day), venue in self.venue_days.items():
            if venue_day == day and venue.host is member:
                parts = {
                    DayPart.MORNING if start < time(13, 0) else DayPart.AFTERNOON
                    for start, _minutes in venue.blocks
                }
                return self.sites[key].city, tuple(p for p in PARTS if p in parts)
        return None

    def _actual_day(self, member: _Member, day: date, on_holiday: bool) -> dict[DayPart, Slot]:
        """The pattern, with the week's changes: leave, a village hall, a swapped day."""
        rng = self.random
        slots = dict(member.pattern[day.weekday()])
        venue = self._venue_parts(member, day)
        if on_holiday:
            slots = dict.fromkeys(PARTS, (WorkKind.ABSENT, None, "Vakantie"))
        elif venue is not None:
            village, parts = venue
            for part in parts:
                slots[part] = (WorkKind.ON_LOCATION, None, village)
        elif member.fixed:
            pass  # keeps their usual week
        elif rng.random() < 0.04:
            reason = rng.choice(("Verlof", "Cursus", "Studiedag"))
            slots = dict.fromkeys(PARTS, (WorkKind.ABSENT, None, reason))
        elif member.team != BUITENDIENST and rng.random() < 0.1:
            if slots[DayPart.MORNING][0] is WorkKind.OFFICE:
                swapped: Slot = (WorkKind.HOME, None, None)
            else:
                swapped = (WorkKind.OFFICE, member.home_site, None)
            slots = dict.fromkeys(PARTS, swapped)
        for part in PARTS:
            kind, key, _area = slots[part]
            if kind.needs_site and key is not None and not self._site_day(key, day).is_open:
                slots[part] = (WorkKind.HOME, None, None)
        return slots

    def build_days(self) -> dict[tuple[str, date], list[tuple[_Member, DayPart]]]:
        """Where everyone works and their desk bookings; returns who is at which site when."""
        taken: set[tuple[int, date, DayPart]] = set()
        load: Counter[tuple[str, date, DayPart]] = Counter()
        limits = {
            key: sum(1 for space in self.spaces[key] if _is_desk(space))
            * (site.capacity_cap_percent or 100)
            // 100
            for key, site in self.sites.items()
        }
        present: dict[tuple[str, date], list[tuple[_Member, DayPart]]] = defaultdict(list)
        for day in self.days:
            if day.weekday() not in WEEKDAYS or not self._site_day("central", day).is_open:
                continue  # weekends and public holidays: nobody works
            for member in self.members:
                slots = self._actual_day(member, day, self._on_holiday(member, day))
                self._book_desks(member, day, slots, taken, load, limits)
                for part in PARTS:
                    kind, key, _detail = slots[part]
                    if kind.needs_site and key is not None:
                        present[(key, day)].append((member, part))
                    if member.fills_in:
                        self._work_location(member, day, part, slots[part])
        return present

    def _work_location(self, member: _Member, day: date, part: DayPart, slot: Slot) -> None:
        kind, key, detail = slot
        absent = kind is WorkKind.ABSENT
        said_at = local_to_utc(self.sites["central"], day, time(8, 0)) - timedelta(
            days=self.random.randint(1, 5), minutes=self.random.randint(0, 600)
        )
        self.work_locations.append(
            {
                "person_id": member.person.id,
                "date": day,
                "day_part": part.value,
                "kind": kind.value,
                "site_id": self._site_id(key),
                "area": None if absent else detail,
                "absence_reason": detail if absent else None,
                "updated_by_id": member.person.id,
                "updated_at": min(said_at, self.now),
            }
        )

    def _book_desks(
        self,
        member: _Member,
        day: date,
        slots: dict[DayPart, Slot],
        taken: set[tuple[int, date, DayPart]],
        load: Counter[tuple[str, date, DayPart]],
        limits: dict[str, int],
    ) -> None:
        """Most people in the office book a desk; at the field bases few do."""
        wanted: dict[str, list[DayPart]] = defaultdict(list)
        for part in PARTS:
            kind, key, _detail = slots[part]
            if kind.needs_site and key is not None:
                wanted[key].append(part)
        for key, parts in wanted.items():
            if self.random.random() >= (0.3 if key in ("ruigeveen", "eekster") else 0.9):
                continue
            for booking_part in [DayPart.DAY] if len(parts) == 2 else parts:
                covered = PARTS if booking_part is DayPart.DAY else (booking_part,)
                if any(load[(key, day, part)] >= limits[key] for part in covered):
                    continue  # the capacity cap is reached
                desk = self._free_desk(member, key, day, covered, taken)
                if desk is None:
                    continue
                for part in covered:
                    taken.add((desk.id, day, part))
                    load[(key, day, part)] += 1
                start, end = day_part_window(
                    self.sites[key], self._site_day(key, day), booking_part
                )
                self._booking(desk, member.person, start, end, day_part=booking_part)

    def _free_desk(
        self,
        member: _Member,
        key: str,
        day: date,
        parts: tuple[DayPart, ...],
        taken: set[tuple[int, date, DayPart]],
    ) -> Space | None:
        """A free desk: the team's own zone first, and a quiet desk for some."""
        own_team = self.teams[member.team].id
        desks = [
            space
            for space in self.spaces[key]
            if _is_desk(space)
            and not self._space_closed(key, space, day)
            and (not space.restricted_to or own_team in space.team_ids)
            and not any((space.id, day, part) in taken for part in parts)
        ]
        if not desks:
            return None
        zone_id = self.zones.get((key, TEAM_ZONES[member.team]))
        wants_quiet = self.random.random() < 0.15

        def preference(space: Space) -> tuple[int, int]:
            own_zone = zone_id is not None and space.zone_id == zone_id
            quiet = space.kind == SpaceKind.QUIET_DESK.value
            return (0 if own_zone else 1, 0 if quiet == wants_quiet else 1)

        best = min(preference(space) for space in desks)
        return self.random.choice([space for space in desks if preference(space) == best])

    def _booking(
        self,
        space: Space,
        person: Person,
        start: datetime,
        end: datetime,
        *,
        day_part: DayPart | None = None,
        title: str = "",
        attendees: int = 1,
        approver: Person | None = None,
    ) -> None:
        """One booking row, with a status that fits its time: past ones checked in or released."""
        rng = self.random
        desk = _is_desk(space)
        created = min(
            start - timedelta(days=rng.randint(1, 6), minutes=rng.randint(0, 600)),
            self.now - timedelta(minutes=rng.randint(5, 600)),
        )
        status, checked_in_at, cancelled_at, updated = BookingStatus.CONFIRMED, None, None, created
        roll = rng.random()
        if start <= self.now:
            if desk and roll < 0.06 and start + timedelta(minutes=30) <= self.now:
                status = BookingStatus.RELEASED  # a no-show, freed after the grace time
                updated = start + timedelta(minutes=30)
            elif desk or roll < 0.85:
                status = BookingStatus.CHECKED_IN
                checked_in_at = min(start + timedelta(minutes=rng.randint(0, 25)), self.now)
                updated = checked_in_at
        elif roll < 0.04:
            status = BookingStatus.CANCELLED
            cancelled_at = created + (self.now - created) / 2
            updated = cancelled_at
        elif space.requires_approval and roll < 0.35:
            status = BookingStatus.PENDING
        decided = space.requires_approval and status is not BookingStatus.PENDING
        self.bookings.append(
            {
                "space_id": space.id,
                "site_id": space.site_id,
                "is_desk": desk,
                "booked_for_id": person.id,
                "booked_by_id": person.id,
                "start_at": start,
                "end_at": end,
                "day_part": day_part.value if day_part else None,
                "status": status.value,
                "title": title,
                "attendees": attendees,
                "checked_in_at": checked_in_at,
                "cancelled_at": cancelled_at,
                "decided_by_id": approver.id if decided and approver else None,
                "created_at": created,
                "updated_at": updated,
                "sequence": 0,
            }
        )

    def build_room_bookings(
        self, present: dict[tuple[str, date], list[tuple[_Member, DayPart]]]
    ) -> None:
        approver = self._login(Role.FACILITIES)
        for key, spaces in self.spaces.items():
            site = self.sites[key]
            for space in spaces:
                if _is_desk(space):
                    continue
                for day in self.days:
                    opening = self._site_day(key, day)
                    if not opening.is_open or self._space_closed(key, space, day):
                        continue
                    venue = self.venue_days.get((key, day))
                    if venue is not None:
                        for start, minutes in venue.blocks:
                            begin = local_to_utc(site, day, start)
                            end = begin + timedelta(minutes=minutes)
                            self._booking(
                                space, venue.host.person, begin, end, title=venue.title,
                                attendees=min(space.capacity, 2),
                            )  # fmt: skip
                    elif space.kind == SpaceKind.RESIDENT_ROOM.value:
                        self._resident_meetings(site, space, opening, present[(key, day)])
                    else:
                        self._meetings(site, space, opening, present[(key, day)], approver)

    def _meetings(
        self,
        site: Site,
        space: Space,
        opening: SiteDay,
        people: list[tuple[_Member, DayPart]],
        approver: Person,
    ) -> None:
        """A meeting room's day: meetings of half an hour to two hours, with gaps."""
        if not people or opening.opens is None or opening.closes is None:
            return
        rng = self.random
        cursor = datetime.combine(opening.day, max(opening.opens, time(8, 30)))
        cursor += timedelta(minutes=30 * rng.randint(0, 2))
        last_end = datetime.combine(opening.day, min(opening.closes, time(17, 0)))
        while True:
            minutes = rng.choice((30, 60, 60, 60, 90, 120))
            if cursor + timedelta(minutes=minutes) > last_end:
                return
            if rng.random() < 0.55:
                part = DayPart.MORNING if cursor.time() < site.day_split else DayPart.AFTERNOON
                host = rng.choice([m for m, p in people if p is part] or [m for m, _p in people])
                titles = MANAGEMENT_TITLES if space.requires_approval else ROOM_TITLES[host.team]
                begin = local_to_utc(site, opening.day, cursor.time())
                self._booking(
                    space,
                    host.person,
                    begin,
                    begin + timedelta(minutes=minutes),
                    title=rng.choice(titles),
                    attendees=rng.randint(2, space.capacity),
                    approver=approver,
                )
            cursor += timedelta(minutes=minutes + 30 * rng.randint(0, 3))

    def _resident_meetings(
        self, site: Site, space: Space, opening: SiteDay, people: list[tuple[_Member, DayPart]]
    ) -> None:
        """Appointments with residents in a resident room, an hour each."""
        hosts = [(m, p) for m, p in people if m.team in RESIDENT_TITLES]
        if not hosts:
            return
        for start in (time(9, 0), time(10, 30), time(13, 30), time(15, 0)):
            if self.random.random() < 0.5:
                continue
            part = DayPart.MORNING if start < site.day_split else DayPart.AFTERNOON
            host = self.random.choice([m for m, p in hosts if p is part] or [m for m, _p in hosts])
            begin = local_to_utc(site, opening.day, start)
            self._booking(
                space,
                host.person,
                begin,
                begin + timedelta(hours=1),
                title=self.random.choice(RESIDENT_TITLES[host.team]),
                attendees=2,
            )

    def _login(self, role: Role) -> Person:
        return self.logins[next(login.email for login in DEMO_LOGINS if login.role is role)]

    def _at_work_today(self, team: str) -> list[Person]:
        """The team's members without a demo log-in, not its lead, not on leave, by name."""
        return sorted(
            (
                m.person
                for m in self.members
                if m.team == team
                and not m.is_lead
                and m.person.email not in self.logins
                and not self._on_holiday(m, self.today)
            ),
            key=lambda person: person.name,
        )

    async def build_field_work(self) -> None:
        """Field visits around now (one planned for the demo employee, one overdue for
        the Burgerzaken team lead's safety board) and callback notes from the KCC: one
        left 40 minutes ago, one done and one open since the last working day."""
        employee, kcc = (self._login(Role.EMPLOYEE), self._login(Role.KCC))
        burgerzaken = self._at_work_today(BURGERZAKEN)
        consultant = self._at_work_today(SOCIAAL_DOMEIN)[0]
        visits = demo_visits(employee, (burgerzaken[0], burgerzaken[1]), consultant)
        await add_demo_visits(self.session, self.now, visits)
        self.session.add_all(
            [
                CallbackNote(
                    person_id=employee.id,
                    created_by_id=kcc.id,
                    resident_name="Mevrouw J. de Boer",
                    callback_number="06 12 34 56 78",
                    question="Haar paspoort is verlopen. Moet ze een afspraak maken, en wat "
                    "moet ze meenemen?",
                    created_at=self.now - timedelta(minutes=40),
                ),
                CallbackNote(
                    person_id=employee.id,
                    created_by_id=kcc.id,
                    resident_name="Dhr. P. Mulder",
                    callback_number="0594 12 34 56",
                    question="Verhuizing doorgegeven, maar nog geen bevestiging ontvangen.",
                    created_at=self.now - timedelta(days=1),
                    done_at=self.now - timedelta(hours=20),
                    done_by_id=employee.id,
                ),
                # Still open from the last working day: the scheduler reminds her of it
                # from 09:00 on a working day.
                CallbackNote(
                    person_id=employee.id,
                    created_by_id=kcc.id,
                    resident_name="Dhr. K. Visser",
                    callback_number="06 98 76 54 32",
                    question="Heeft hij voor een dakkapel aan de achterkant een vergunning nodig?",
                    created_at=datetime.combine(self._last_working_day(), time(16, 10), AMSTERDAM),
                ),
            ]
        )
        await self.session.flush()

    async def build_visitors(self) -> None:
        """Residents and partners expected at today's first resident-room appointments, so
        that reception's list has something on it; one whose appointment began arrived."""
        midnight = local_midnight(self.today)  # every demo site lies in Amsterdam's zone
        rows = await self.session.execute(
            select(Booking.id, Booking.start_at)
            .join(Space, Space.id == Booking.space_id)
            .where(
                Space.kind == SpaceKind.RESIDENT_ROOM.value,
                Booking.start_at >= midnight,
                Booking.start_at < midnight + timedelta(days=1),
                Booking.status.in_([BookingStatus.CONFIRMED.value, BookingStatus.CHECKED_IN.value]),
            )
            .order_by(Booking.start_at, Booking.id)
            .limit(len(DEMO_VISITORS))
        )
        self.session.add_all(
            BookingVisitor(
                booking_id=booking_id,
                name=name,
                organisation=organisation,
                created_at=self.now - timedelta(days=1),
                arrived_at=start_at if start_at <= self.now else None,
            )
            for (booking_id, start_at), (name, organisation) in zip(
                rows.all(), DEMO_VISITORS, strict=False
            )
        )
        await self.session.flush()

    async def build_invitations(self) -> None:
        """Colleagues of the host's team invited to the meetings from today on, one to
        three each, not on leave that day: a meeting under way shows on the KCC finder and
        the team board ("in overleg tot …"), invitations on Mijn reserveringen. Those begun
        were accepted; the others are answered or not yet. A random generator of its own
        keeps the rest of the demo as it was."""
        rng = random.Random(SEED + 1)
        by_person = {member.person.id: member for member in self.members}
        rows = await self.session.execute(
            select(Booking.id, Booking.booked_for_id, Booking.start_at)
            .join(Space, Space.id == Booking.space_id)
            .where(
                Space.kind == SpaceKind.MEETING_ROOM.value,
                Booking.start_at >= local_midnight(self.today),
                Booking.status.in_([BookingStatus.CONFIRMED.value, BookingStatus.CHECKED_IN.value]),
            )
            .order_by(Booking.start_at, Booking.id)
        )
        answers = (ParticipantResponse.ACCEPTED,) * 3 + (
            ParticipantResponse.PENDING,
            ParticipantResponse.PENDING,
            ParticipantResponse.DECLINED,
        )
        for booking_id, holder_id, start_at in rows.all():
            host = by_person.get(holder_id or 0)
            if host is None:
                continue
            day = start_at.astimezone(AMSTERDAM).date()
            colleagues = [
                m
                for m in self.members
                if m.team == host.team and m is not host and not self._on_holiday(m, day)
            ]
            invited_at = min(start_at, self.now) - timedelta(days=1)
            begun = start_at <= self.now
            for member in rng.sample(colleagues, min(len(colleagues), rng.randint(1, 3))):
                answer = ParticipantResponse.ACCEPTED if begun else rng.choice(answers)
                self.session.add(
                    BookingParticipant(
                        booking_id=booking_id,
                        person_id=member.person.id,
                        response=answer.value,
                        created_at=invited_at,
                        responded_at=None
                        if answer is ParticipantResponse.PENDING
                        else invited_at + timedelta(hours=2),
                    )
                )
        await self.session.flush()

    def build_favourites(self) -> None:
        """The demo employee keeps the two desks they booked most as favourites."""
        employee = self._login(Role.EMPLOYEE)
        booked = Counter(
            booking["space_id"]
            for booking in self.bookings
            if booking["is_desk"] and booking["booked_for_id"] == employee.id
        )
        self.session.add_all(
            FavouriteDesk(person_id=employee.id, space_id=space_id, created_at=self.now)
            for space_id, _times in booked.most_common(2)
        )

    async def write_rows(self) -> None:
        for model, rows in (
            (Booking, self.bookings),
            (WorkLocation, self.work_locations),
            (WeeklyPattern, self.patterns),
        ):
            if rows:
                await self.session.execute(insert(model), rows)


#: Visitors expected at resident-room appointments: a resident alone, and with partners.
DEMO_VISITORS = (
    ("Mevrouw A. Bakker", ""),
    ("Dhr. K. Smit", "Woonstichting Westerkwartier"),
    ("R. Veenstra", "MEE Noord"),
)

TEAM_ZONES = {
    BURGERZAKEN: "Burgerzaken en KCC",
    KCC: "Burgerzaken en KCC",
    VERGUNNINGEN: "Vergunningen",
    SOCIAAL_DOMEIN: "Sociaal domein",
    BUITENDIENST: "Buitendienstplein",
    FACILITAIR: "Facilitair",
}


async def database_is_empty(session: AsyncSession) -> bool:
    people = (await session.execute(select(func.count(Person.id)))).scalar_one()
    sites = (await session.execute(select(func.count(Site.id)))).scalar_one()
    return people == 0 and sites == 0


async def load_demo(
    session: AsyncSession,
    clock: Clock,
    *,
    if_empty: bool = False,
    password_hash: str | None = None,
) -> DemoSummary | None:
    """Fill an empty database with the demo municipality; the caller commits.

    With ``if_empty`` a database that already holds people or sites is left alone
    (returns None); without it, loading into such a database is refused.
    ``password_hash`` replaces the hash of the demo password (tests pass a cheap one).
    """
    await lock_for_write(session)
    if not await database_is_empty(session):
        if if_empty:
            return None
        raise DatabaseNotEmpty(
            _("The database already holds people or sites; the demo loads into an empty one only.")
        )
    builder = _Builder(session, clock)
    await builder.build_teams()
    await builder.build_sites()
    await builder.build_closures()
    await builder.build_people(password_hash or hash_password(DEMO_PASSWORD))
    builder.build_patterns()
    builder.plan_leave()
    builder.plan_venues()
    present = builder.build_days()
    builder.build_room_bookings(present)
    await builder.write_rows()
    builder.build_favourites()
    await builder.build_field_work()
    await builder.build_visitors()
    await builder.build_invitations()

    kinds = Counter(space.kind for spaces in builder.spaces.values() for space in spaces)
    desk_bookings = sum(1 for booking in builder.bookings if booking["is_desk"])
    summary = DemoSummary(
        municipality=MUNICIPALITY,
        today=builder.today,
        sites=len(builder.sites),
        spaces=dict(sorted(kinds.items())),
        teams=len(builder.teams),
        people=len(builder.members),
        logins=DEMO_LOGINS,
        desk_bookings=desk_bookings,
        room_bookings=len(builder.bookings) - desk_bookings,
        work_locations=len(builder.work_locations),
        weekly_patterns=len(builder.patterns),
    )
    await record(
        session,
        clock,
        actor_id=None,
        action="load_demo",
        object_type="demo",
        object_id="westerkwartier-noord",
        today=builder.today.isoformat(),
        people=summary.people,
        bookings=len(builder.bookings),
    )
    return summary


def summary_lines(summary: DemoSummary) -> list[str]:
    """What the command line prints after loading, in the current language."""
    spaces = ", ".join(
        f"{label(kind)}: {format_number(count, 0)}" for kind, count in summary.spaces.items()
    )
    lines = [
        _(
            "%(municipality)s loaded around %(today)s:",
            municipality=summary.municipality,
            today=day_and_date(summary.today),
        ),
        "  "
        + _(
            "%(sites)s sites; spaces: %(spaces)s",
            **readable_counts({"sites": summary.sites, "spaces": spaces}),
        ),
        "  "
        + _(
            "%(teams)s teams, %(people)s people",
            **readable_counts({"teams": summary.teams, "people": summary.people}),
        ),
        "  "
        + _(
            "%(desks)s desk bookings, %(rooms)s room bookings",
            **readable_counts({"desks": summary.desk_bookings, "rooms": summary.room_bookings}),
        ),
        "  "
        + _(
            "%(locations)s work locations, %(days)s weekly-pattern days",
            **readable_counts(
                {"locations": summary.work_locations, "days": summary.weekly_patterns}
            ),
        ),
        "",
        _("Demo log-ins (password for all: %(password)s):", password=DEMO_PASSWORD),
    ]
    width = max(len(login.email) for login in summary.logins)
    lines += [
        f"  {login.email:<{width}}  {login.name}: {_(login.what)}" for login in summary.logins
    ]
    return lines
