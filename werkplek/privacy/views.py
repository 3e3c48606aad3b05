"""Pages: deleting a person (admin), with a confirmation step."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template

from werkplek.errors import DomainError
from werkplek.i18n import _
from werkplek.people.models import Role
from werkplek.people.services import get_person
from werkplek.privacy import services
from werkplek.web import (
    ClockDep,
    DbDep,
    UserDep,
    form_error,
    page,
    provide_user,
    read_form,
    role_required,
)


class ErasePages(Controller):
    path = "/admin/people/{person_id:int}/delete"
    tags = ["pages"]
    include_in_schema = False
    guards = [role_required(Role.ADMIN)]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get("/")
    async def confirm(
        self, request: Request[Any, Any, Any], db: DbDep, person_id: FromPath[int]
    ) -> Template:
        person = await get_person(db, person_id)
        return page(request, "privacy/delete_person.html", person=person, errors={})

    @post("/")
    async def erase(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        person_id: FromPath[int],
    ) -> Template | Redirect:
        person = await get_person(db, person_id)
        form = await read_form(request)
        if (form.get("confirm_email") or "").strip().lower() != person.email.lower():
            return page(
                request,
                "privacy/delete_person.html",
                status_code=422,
                person=person,
                errors={"confirm_email": _("Type the person's e-mail address to confirm.")},
            )
        try:
            await services.erase_person(db, clock, user, person_id)
        except DomainError as exc:
            await db.rollback()
            return page(
                request,
                "privacy/delete_person.html",
                status_code=exc.status_code,
                person=person,
                errors=form_error(exc),
            )
        return Redirect(path="/admin/people?deleted=1")


ROUTES = [ErasePages]
