"""Page: the audit log with filters and paging (admin)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get
from litestar.di import Provide
from litestar.response import Template

from werkplek.audit import services
from werkplek.audit.labels import (
    action_label,
    detail_lines,
    history_heading,
    object_label,
    object_text,
)
from werkplek.audit.schemas import AuditFilter
from werkplek.errors import DomainError
from werkplek.people.models import Role
from werkplek.people.services import choices_with_former_staff
from werkplek.web import (
    DbDep,
    FormInvalid,
    UserDep,
    convert_form,
    form_error,
    page,
    page_links,
    people_search,
    provide_user,
    role_required,
)

PAGE_SIZE = 50


class AuditPages(Controller):
    path = "/admin/audit"
    tags = ["pages"]
    include_in_schema = False
    guards = [role_required(Role.ADMIN)]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get("/")
    async def audit_log(
        self, request: Request[Any, Any, Any], db: DbDep, user: UserDep
    ) -> Template:
        raw = {
            key: request.query_params.get(key)
            for key in ("actor_id", "object_type", "object_id", "since", "until", "offset")
            if request.query_params.get(key)
        }
        errors: dict[str, str] = {}
        try:
            filters = convert_form(raw, AuditFilter)
            filters.limit = PAGE_SIZE
            result = await services.list_events(db, user, filters)
        except FormInvalid as exc:
            errors = exc.errors
        except DomainError as exc:
            errors = form_error(exc)
        if errors:
            filters = AuditFilter(limit=PAGE_SIZE)
            result = await services.list_events(db, user, filters)
        people = await choices_with_former_staff(
            db, user, containing=people_search(request.query_params).text, keep=filters.actor_id
        )
        about = (
            (filters.object_type, filters.object_id)
            if filters.object_type and filters.object_id
            else None
        )
        names = await services.referenced_names(db, result.events, about)
        return page(
            request,
            "audit/log.html",
            status_code=422 if errors else 200,
            result=result,
            values=raw,
            errors=errors,
            people=people,
            object_types=await services.object_types(db, keep=filters.object_type),
            action_label=action_label,
            object_label=object_label,
            about=history_heading(about[0], object_text(*about, names)) if about else None,
            all_objects_link=_without(raw, "object_id"),
            objects={
                event.id: object_text(event.object_type, event.object_id, names)
                for event in result.events
            },
            details={event.id: detail_lines(event.details, names) for event in result.events},
            page_links=page_links(raw, result.total, result.offset, PAGE_SIZE),
        )


def _without(raw: dict[str, Any], key: str) -> str:
    """The query string of the filters without ``key`` (and from the first page)."""
    return "?" + urlencode({k: v for k, v in raw.items() if k not in (key, "offset")})


ROUTES = [AuditPages]
