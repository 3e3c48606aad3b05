"""JSON API: /api/visits (plan, change, list, check in/out, extend, cancel, safety board,
alerts)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.di import Provide
from litestar.params import FromPath, JSONBody, QueryParameter

from werkplek.openapi import conflict
from werkplek.visits import services
from werkplek.visits.schemas import (
    AddressViewOut,
    AlertOut,
    ExtendIn,
    SafetyBoardOut,
    SafetyContactIn,
    SafetyContactOut,
    VisitChangeIn,
    VisitIn,
    VisitOut,
)
from werkplek.web import ClockDep, DbDep, SettingsDep, UserDep, login_required, provide_user


class VisitsController(Controller):
    path = "/api/visits"
    tags = ["visits"]
    guards = [login_required]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @post("/", summary="Plan a field visit (for yourself, or as team lead for your team)")
    async def plan(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        data: JSONBody[VisitIn],
    ) -> VisitOut:
        return await services.plan_visit(db, clock, settings, user, data)

    @get("/", summary="My visits on a day or over a date range (default: today)")
    async def mine(
        self,
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        first: Annotated[
            date | None,
            QueryParameter(
                name="from",
                description="First day, YYYY-MM-DD, a local date in Europe/Amsterdam: visits "
                "that end after it begins. Default: today.",
            ),
        ] = None,
        last: Annotated[
            date | None,
            QueryParameter(
                name="to",
                description="Last day, YYYY-MM-DD, included: visits that start before it ends. "
                "Default: `from`. Not before `from`; at most 92 days in all, both ends "
                "counted (else 422 on `to`).",
            ),
        ] = None,
    ) -> list[VisitOut]:
        return await services.my_visits(db, clock, user, first, last)

    @get("/today", summary="My visits today, and earlier ones not yet checked out")
    async def today(self, db: DbDep, clock: ClockDep, user: UserDep) -> list[VisitOut]:
        return await services.visits_today(db, clock, user)

    @get(
        "/safety",
        summary="Safety board: overdue, acknowledged and open visits of the teams I look after",
    )
    async def safety(self, db: DbDep, clock: ClockDep, user: UserDep) -> SafetyBoardOut:
        return await services.safety_board(db, clock, user)

    @get(
        "/{visit_id:int}",
        summary="One visit; the address only for the visitors, team leads and safety contacts",
    )
    async def get_visit(
        self, db: DbDep, clock: ClockDep, user: UserDep, visit_id: FromPath[int]
    ) -> VisitOut:
        return await services.get_visit(db, clock, user, visit_id)

    @patch(
        "/{visit_id:int}",
        status_code=200,
        summary="Change a planned visit: its time, place, purpose or who goes",
        description=(
            "Give what changes (the fields of a new visit); what is left out stays as it is. "
            "`visitor_ids` names everyone who goes after the change: name a colleague "
            "instead to hand the visit over, one or two people to take off or add the "
            "second; `booking_id` `null` unlinks the resident room. Only before the visit "
            "starts: 409 `visit_under_way` once it is checked in or past its planned start "
            "(extend it instead), `visit_closed` when it is cancelled or checked out. Its "
            "planner may change it, and whoever may plan it for its visitors before and "
            "after the change: a visitor, the team lead of each of them, an admin (else "
            "403). The new values pass the checks of a new visit (422 naming the field, "
            "e.g. `visitor_absent` or `visitor_elsewhere` at `visitor_ids`; the visit "
            "itself is no other visit). Nothing is stored when refused, nor when nothing "
            "changes. Audited once as `update`, naming the fields that changed. Mails, "
            "never to whoever changes it: those added get the `visit_planned` mail, those "
            "taken off one saying they no longer go, those staying one with the old and "
            "new time and area when the time or place changed."
        ),
        responses=conflict(
            "The visit is under way (`visit_under_way`), cancelled or checked out (`visit_closed`)."
        ),
    )
    async def change(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        visit_id: FromPath[int],
        data: JSONBody[VisitChangeIn],
    ) -> VisitOut:
        return await services.change_visit(db, clock, settings, user, visit_id, data)

    @get("/{visit_id:int}/address-views", summary="Who was shown the address, and when")
    async def address_views(
        self, db: DbDep, user: UserDep, visit_id: FromPath[int]
    ) -> list[AddressViewOut]:
        return await services.address_views(db, user, visit_id)

    @post(
        "/{visit_id:int}/check-in",
        status_code=200,
        summary="Arrived (idempotent)",
        responses=conflict(
            "The visit was cancelled or is checked out already, or it is not the visit's day yet."
        ),
    )
    async def check_in(
        self, db: DbDep, clock: ClockDep, user: UserDep, visit_id: FromPath[int]
    ) -> VisitOut:
        return await services.check_in(db, clock, user, visit_id)

    @post(
        "/{visit_id:int}/check-out",
        status_code=200,
        summary="Left safely (idempotent); a team lead may record it for the visitors",
        responses=conflict(
            "The visit was cancelled, or is not under way yet "
            "(not checked in, and before its planned start)."
        ),
    )
    async def check_out(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        visit_id: FromPath[int],
    ) -> VisitOut:
        return await services.check_out(db, clock, settings, user, visit_id)

    @post(
        "/{visit_id:int}/extend",
        status_code=200,
        summary="Extend by 15, 30 or 60 minutes",
        responses=conflict(
            "The visit was cancelled or is checked out already, or is not under way yet "
            "(not checked in, and before its planned start)."
        ),
    )
    async def extend(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        visit_id: FromPath[int],
        data: JSONBody[ExtendIn],
    ) -> VisitOut:
        return await services.extend(db, clock, settings, user, visit_id, data.minutes)

    @post(
        "/{visit_id:int}/cancel",
        status_code=200,
        summary="Call off a visit (idempotent)",
        responses=conflict(
            "Someone is on location (check out instead), or the visit is checked out already."
        ),
    )
    async def cancel(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        visit_id: FromPath[int],
    ) -> VisitOut:
        return await services.cancel(db, clock, settings, user, visit_id)

    @post(
        "/alerts/{alert_id:int}/acknowledge",
        status_code=200,
        summary="Acknowledge an overdue alert: you take it up (stops the escalation)",
    )
    async def acknowledge(
        self, db: DbDep, clock: ClockDep, user: UserDep, alert_id: FromPath[int]
    ) -> AlertOut:
        return await services.acknowledge_alert(db, clock, user, alert_id)

    @get("/safety-contacts", summary="Safety contacts of the teams I lead (admins: all)")
    async def safety_contacts(self, db: DbDep, user: UserDep) -> list[SafetyContactOut]:
        return await services.list_safety_contacts(db, user)

    @post("/safety-contacts", summary="Add a safety contact to a team I lead")
    async def add_safety_contact(
        self, db: DbDep, clock: ClockDep, user: UserDep, data: JSONBody[SafetyContactIn]
    ) -> SafetyContactOut:
        return await services.add_safety_contact(db, clock, user, data)

    @delete(
        "/safety-contacts/{team_id:int}/{person_id:int}",
        summary="Remove a safety contact from a team I lead",
    )
    async def remove_safety_contact(
        self,
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        team_id: FromPath[int],
        person_id: FromPath[int],
    ) -> None:
        await services.remove_safety_contact(db, clock, user, team_id, person_id)


ROUTES = [VisitsController]
