"""Webhooks: other systems hear about bookings and presence as it happens.

Admins register endpoints (an http(s) URL, the events it wants, a signing secret).
``emit`` queues one delivery per interested endpoint in the transaction of the change;
the scheduler job ``webhook_delivery_job`` POSTs them, retrying with exponential
backoff (``werkplek.retry``) until ``WERKPLEK_WEBHOOK_MAX_ATTEMPTS`` attempts were made.
Each delivery row is the log: status, attempts, last response or error.

Every request carries ``Werkplek-Signature: t=<unix time>,v1=<hex>``, where ``<hex>``
is HMAC-SHA256 with the endpoint's secret over ``"<unix time>." + body``; receivers
recompute it and refuse old timestamps (see docs/email-and-webhooks.md).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

import httpx
import msgspec
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek import __version__
from werkplek.audit.services import record
from werkplek.bookings.models import Booking
from werkplek.clock import Clock
from werkplek.config import Settings
from werkplek.db import lock_for_write
from werkplek.errors import InvalidInput, NotFound, refuse_all
from werkplek.i18n import N_, _
from werkplek.people.models import Role
from werkplek.people.services import CurrentUser
from werkplek.retry import next_attempt_at
from werkplek.webhooks.models import (
    SUBSCRIBABLE_EVENTS,
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from werkplek.webhooks.schemas import DeliveryOut, EndpointCreated, EndpointIn, EndpointOut

logger = logging.getLogger("werkplek.webhooks")

SIGNATURE_HEADER = "Werkplek-Signature"
#: The most deliveries one run of the job makes; the rest wait for the next run.
BATCH_SIZE = 100
T = TypeVar("T")

#: How many deliveries the log shows at once.
LOG_LIMIT = 200
#: How long delivered and failed deliveries stay in the log.
KEEP_FOR = timedelta(days=30)
MIN_SECRET_LENGTH = 16


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for ``body`` sent at ``timestamp`` (Unix seconds)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


# --- endpoints ----------------------------------------------------------------------------


def check_url(raw: str, *, allow_internal: bool) -> str:
    """An absolute http(s) URL with a host that the deliveries can send to, or a clear
    refusal naming the field. Unless ``allow_internal``, a URL naming this machine or the
    internal network by an IP address or ``localhost`` is refused too (``_internal``)."""
    url = raw.strip()
    parsed = _parse(url)
    if parsed is None:
        raise InvalidInput(_("This is not a valid web address."), field="url")
    if parsed.scheme not in {"http", "https"}:
        raise InvalidInput(
            _("Enter a web address starting with https:// (or http://)."), field="url"
        )
    if not parsed.host or (parsed.port is not None and not 0 < parsed.port < 65536):
        raise InvalidInput(_("This web address has no valid host name."), field="url")
    if parsed.userinfo:
        raise InvalidInput(
            _("Do not put a user name or password in the web address; use the secret."),
            field="url",
        )
    if parsed.fragment:
        raise InvalidInput(_("A web address for webhooks cannot have a #fragment."), field="url")
    if not allow_internal and _internal(parsed):
        raise InvalidInput(
            _(
                "This web address points to this server or the internal network; "
                "webhooks go to other systems by their public address."
            ),
            field="url",
        )
    return url


def _parse(url: str) -> httpx.URL | None:
    """``url`` as the deliveries' httpx reads it, or None when it cannot be sent to: spaces
    and control characters, or what httpx refuses. httpx decodes the host name only when
    asked, so an invalid international one (``xn--a.nl``) fails only then."""
    if any(c.isspace() or not c.isprintable() for c in url):
        return None
    try:
        parsed = httpx.URL(url)
        parsed.host  # noqa: B018  (decodes the host name)
    except (httpx.InvalidURL, ValueError):  # idna's errors are ValueErrors
        return None
    return parsed


def _internal(url: httpx.URL) -> bool:
    """Whether ``url`` names this machine or the internal network: ``localhost`` (and its
    subdomains), or an IP address that is not global, written in any form the system's
    resolver reads as one (``127.1``, ``0``, ``0x7f.1``, ``[::ffff:127.0.0.1]``). Other
    host names are looked up only when a delivery is sent (``PublicAddressTransport``)."""
    host = url.raw_host.decode("ascii").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return _internal_address(host)
    except ValueError:
        try:
            return _internal_address(socket.inet_ntoa(socket.inet_aton(host)))
        except OSError:
            return False


def _internal_address(text: str) -> bool:
    """Whether the IP address ``text`` is not global (loopback, private, link-local,
    unspecified, shared, reserved), also as an IPv4 address inside IPv6. ValueError when
    ``text`` is no IP address."""
    address = ipaddress.ip_address(text.split("%", 1)[0])  # an IPv6 zone: fe80::1%eth0
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return not address.ipv4_mapped.is_global
    return not address.is_global


Resolver = Callable[[str, int], Awaitable[list[str]]]


async def resolve(host: str, port: int) -> list[str]:
    """The addresses the system's resolver gives for ``host``."""
    found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in found]


class PublicAddressTransport(httpx.AsyncBaseTransport):
    """Sends a delivery only when every address its host name resolves to is public, and
    connects to the address it checked: a name that points into the internal network, or
    that answers differently a moment later (DNS rebinding), cannot lead there. TLS still
    checks the certificate against the host name."""

    def __init__(
        self, inner: httpx.AsyncBaseTransport | None = None, resolver: Resolver = resolve
    ) -> None:
        self._inner = inner or httpx.AsyncHTTPTransport()
        self._resolve = resolver

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        host = url.host
        port = url.port or (443 if url.scheme == "https" else 80)
        addresses = await self._resolve(host, port)
        internal = [address for address in addresses if _internal_address(address)]
        if internal or not addresses:
            raise httpx.ConnectError(
                f"Refused: {host} resolves to an internal address ({', '.join(internal)}); "
                "see WERKPLEK_WEBHOOK_ALLOW_INTERNAL",
                request=request,
            )
        request.extensions = {**request.extensions, "sni_hostname": host}
        request.url = url.copy_with(host=addresses[0].split("%", 1)[0])
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def _check_events(events: Sequence[str]) -> list[str]:
    known = [event.value for event in SUBSCRIBABLE_EVENTS]
    chosen = list(dict.fromkeys(e.strip() for e in events if e.strip()))
    if not chosen:
        raise InvalidInput(_("Choose at least one event."), field="events")
    unknown = [e for e in chosen if e not in known]
    if unknown:
        raise InvalidInput(_("Unknown event: %(event)s.", event=unknown[0]), field="events")
    return [e for e in known if e in chosen]


def _checked(
    problems: list[InvalidInput], refused: T, check: Callable[..., T], *args: Any, **kwargs: Any
) -> T:
    """``check``'s answer, or ``refused`` with its refusal added to ``problems``."""
    try:
        return check(*args, **kwargs)
    except InvalidInput as problem:
        problems.append(problem)
        return refused


def endpoint_out(endpoint: WebhookEndpoint) -> EndpointOut:
    return EndpointOut(
        id=endpoint.id,
        url=endpoint.url,
        description=endpoint.description,
        events=endpoint.event_list,
        active=endpoint.active,
        created_at=endpoint.created_at,
    )


async def list_endpoints(session: AsyncSession, actor: CurrentUser) -> list[EndpointOut]:
    actor.require(Role.ADMIN)
    rows = await session.execute(
        select(WebhookEndpoint).where(WebhookEndpoint.active.is_(True)).order_by(WebhookEndpoint.id)
    )
    return [endpoint_out(e) for e in rows.scalars()]


async def create_endpoint(
    session: AsyncSession, clock: Clock, settings: Settings, actor: CurrentUser, data: EndpointIn
) -> EndpointCreated:
    actor.require(Role.ADMIN)
    # Every wrong field is named at once, not one per attempt.
    problems: list[InvalidInput] = []
    allow_internal = settings.webhook_allow_internal
    url = _checked(problems, "", check_url, data.url, allow_internal=allow_internal)
    events: list[str] = _checked(problems, [], _check_events, data.events)
    secret = (data.secret or "").strip() or secrets.token_urlsafe(32)
    if len(secret) < MIN_SECRET_LENGTH:
        problems.append(
            InvalidInput(
                _(
                    "A secret has at least %(count)s characters; leave it empty to have one made.",
                    count=MIN_SECRET_LENGTH,
                ),
                field="secret",
            )
        )
    refuse_all(problems)
    endpoint = WebhookEndpoint(
        url=url,
        description=" ".join(data.description.split()),
        secret=secret,
        events=",".join(events),
        active=True,
        created_by_id=actor.id,
        created_at=clock.now(),
    )
    session.add(endpoint)
    await session.flush()
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="create",
        object_type="webhook_endpoint",
        object_id=endpoint.id,
        url=url,
        events=events,
    )
    return EndpointCreated(**msgspec.structs.asdict(endpoint_out(endpoint)), secret=secret)


async def _endpoint(
    session: AsyncSession, actor: CurrentUser, endpoint_id: int, *, deleted_too: bool = False
) -> WebhookEndpoint:
    """The endpoint for an admin; one deleted counts only ``deleted_too`` (its log is kept)."""
    actor.require(Role.ADMIN)
    endpoint = await session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or not (endpoint.active or deleted_too):
        raise NotFound(_("No such webhook."))
    return endpoint


async def delete_endpoint(
    session: AsyncSession, clock: Clock, actor: CurrentUser, endpoint_id: int
) -> None:
    """Stop sending to an endpoint; its log is kept, pending deliveries are dropped."""
    endpoint = await _endpoint(session, actor, endpoint_id)
    endpoint.active = False
    for delivery in (
        await session.execute(
            select(WebhookDelivery).where(
                WebhookDelivery.endpoint_id == endpoint.id,
                WebhookDelivery.status == DeliveryStatus.PENDING.value,
            )
        )
    ).scalars():
        delivery.status = DeliveryStatus.FAILED.value
        delivery.last_error = "endpoint removed"
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="delete",
        object_type="webhook_endpoint",
        object_id=endpoint.id,
    )


# --- events -------------------------------------------------------------------------------


def _payload(event: str, event_id: str, at: datetime, data: dict[str, Any]) -> str:
    body = {"id": event_id, "event": event, "created_at": at.isoformat(), "data": data}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _delivery(endpoint_id: int, event: str, data: dict[str, Any], now: datetime) -> WebhookDelivery:
    event_id = str(uuid.uuid4())
    return WebhookDelivery(
        endpoint_id=endpoint_id,
        event=event,
        event_id=event_id,
        payload=_payload(event, event_id, now, data),
        status=DeliveryStatus.PENDING.value,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )


# Built once: every booking made or cancelled asks for it.
_ACTIVE_ENDPOINTS = select(WebhookEndpoint).where(WebhookEndpoint.active.is_(True))


async def emit(
    session: AsyncSession, clock: Clock, event: WebhookEvent, items: Sequence[dict[str, Any]]
) -> None:
    """Queue ``event`` (one per item of data) for every active endpoint that wants it."""
    if not items:
        return
    endpoints = [
        e
        for e in (await session.execute(_ACTIVE_ENDPOINTS)).scalars()
        if event.value in e.event_list
    ]
    now = clock.now()
    session.add_all(_delivery(e.id, event.value, data, now) for e in endpoints for data in items)


def booking_data(booking: Booking) -> dict[str, Any]:
    """A booking in an event: no title (meeting titles can be confidential)."""
    return {
        "booking_id": booking.id,
        "space_id": booking.space_id,
        "site_id": booking.site_id,
        "is_desk": booking.is_desk,
        "booked_for_id": booking.booked_for_id,
        "booked_by_id": booking.booked_by_id,
        "start": booking.start_at.isoformat(),
        "end": booking.end_at.isoformat(),
        "day_part": booking.day_part,
        "status": booking.status,
    }


async def emit_bookings(
    session: AsyncSession, clock: Clock, event: WebhookEvent, bookings: Sequence[Booking]
) -> None:
    await session.flush()
    await emit(session, clock, event, [booking_data(b) for b in bookings])


def presence_data(
    person_id: int, day: date, parts: Mapping[str, dict[str, Any] | None]
) -> dict[str, Any]:
    """A person's day: per half day that was set the kind of work location and the site,
    never an absence reason or an address; None for a half day back to the usual week."""
    return {"person_id": person_id, "date": day.isoformat(), "parts": parts}


async def send_test(
    session: AsyncSession, clock: Clock, actor: CurrentUser, endpoint_id: int
) -> DeliveryOut:
    """Queue a ``ping`` to one endpoint; the next run of the job sends it."""
    endpoint = await _endpoint(session, actor, endpoint_id)
    delivery = _delivery(
        endpoint.id, WebhookEvent.PING.value, {"message": "Werkplek webhook test"}, clock.now()
    )
    session.add(delivery)
    await session.flush()
    return delivery_out(delivery)


# --- the delivery log ---------------------------------------------------------------------


#: What a failed attempt's technical error (``last_error``: the exception's class and
#: text) means to an administrator, by the class or a telling part of its text.
_FAILURES = (
    ("Name or service not known", N_("The receiver's address was not found (DNS).")),
    ("gaierror", N_("The receiver's address was not found (DNS).")),
    ("Timeout", N_("The receiver did not answer in time.")),
    ("ConnectError", N_("Could not connect to the receiver.")),
    ("SSLError", N_("The receiver's certificate was not accepted.")),
    ("endpoint removed", N_("The webhook was removed before this delivery.")),
)


def failure_summary(last_error: str | None) -> str | None:
    """A failed attempt's error in words; an error not recognised is shown as it is."""
    if not last_error:
        return None
    for clue, meaning in _FAILURES:
        if clue in last_error:
            return _(meaning)
    return last_error


def delivery_out(d: WebhookDelivery) -> DeliveryOut:
    return DeliveryOut(
        id=d.id,
        endpoint_id=d.endpoint_id,
        event=d.event,
        event_id=d.event_id,
        status=DeliveryStatus(d.status),
        attempts=d.attempts,
        created_at=d.created_at,
        last_attempt_at=d.last_attempt_at,
        next_attempt_at=d.next_attempt_at if d.status == DeliveryStatus.PENDING.value else None,
        response_status=d.response_status,
        last_error=d.last_error,
        delivered_at=d.delivered_at,
    )


async def deliveries(
    session: AsyncSession, actor: CurrentUser, endpoint_id: int | None = None
) -> list[DeliveryOut]:
    """The latest deliveries, newest first (of one endpoint, when given)."""
    actor.require(Role.ADMIN)
    statement = select(WebhookDelivery).order_by(
        WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc()
    )
    if endpoint_id is not None:
        await _endpoint(session, actor, endpoint_id, deleted_too=True)
        statement = statement.where(WebhookDelivery.endpoint_id == endpoint_id)
    rows = await session.execute(statement.limit(LOG_LIMIT))
    return [delivery_out(d) for d in rows.scalars()]


# --- delivering ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Claimed:
    delivery_id: int
    url: str
    secret: str
    event: str
    event_id: str
    body: bytes


@dataclass(frozen=True)
class _Outcome:
    status_code: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.error is None


async def _claim(session: AsyncSession, clock: Clock) -> list[_Claimed]:
    now = clock.now()
    rows = await session.execute(
        select(WebhookDelivery, WebhookEndpoint)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(
            WebhookDelivery.status == DeliveryStatus.PENDING.value,
            WebhookDelivery.next_attempt_at <= now,
        )
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(BATCH_SIZE)
        .with_for_update(skip_locked=True, of=WebhookDelivery)
    )
    claimed = []
    for delivery, endpoint in rows:
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.next_attempt_at = next_attempt_at(now, delivery.attempts)
        claimed.append(
            _Claimed(
                delivery.id,
                endpoint.url,
                endpoint.secret,
                delivery.event,
                delivery.event_id,
                delivery.payload.encode(),
            )
        )
    await session.flush()
    return claimed


async def _post(client: httpx.AsyncClient, clock: Clock, item: _Claimed) -> _Outcome:
    """Send one delivery. Whatever goes wrong is that delivery's outcome (retried like
    any failure), never the other deliveries' end: an endpoint stored before a rule of
    ``check_url`` existed, or one httpx cannot send to, must not hold up the rest."""
    timestamp = int(clock.now().timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": f"Werkplek-Webhooks/{__version__}",
        "Werkplek-Event": item.event,
        "Werkplek-Delivery": item.event_id,
        SIGNATURE_HEADER: sign(item.secret, timestamp, item.body),
    }
    try:
        response = await client.post(item.url, content=item.body, headers=headers)
    except Exception as exc:  # anything: see above
        return _Outcome(None, f"{type(exc).__name__}: {exc}"[:500])
    if 200 <= response.status_code < 300:
        return _Outcome(response.status_code, None)
    return _Outcome(response.status_code, f"HTTP {response.status_code}")


async def deliver_due(session: AsyncSession, clock: Clock, settings: Settings) -> int:
    """POST the deliveries that are due; returns how many were accepted. Commits the
    claim before any request goes out; the outcome is left for the caller to commit."""
    await lock_for_write(session)
    claimed = await _claim(session, clock)
    await session.commit()
    if not claimed:
        return 0
    outcomes: dict[int, _Outcome] = {}
    async with httpx.AsyncClient(
        timeout=settings.webhook_timeout_seconds,
        follow_redirects=False,
        transport=None if settings.webhook_allow_internal else PublicAddressTransport(),
    ) as client:
        for item in claimed:
            outcomes[item.delivery_id] = await _post(client, clock, item)
    await lock_for_write(session)
    now = clock.now()
    delivered = 0
    for delivery_id, outcome in outcomes.items():
        delivery = await session.get(WebhookDelivery, delivery_id, populate_existing=True)
        if delivery is None:
            continue
        delivery.response_status = outcome.status_code
        delivery.last_error = outcome.error
        if outcome.ok:
            delivery.status = DeliveryStatus.DELIVERED.value
            delivery.delivered_at = now
            delivered += 1
        elif delivery.attempts >= settings.webhook_max_attempts:
            delivery.status = DeliveryStatus.FAILED.value
            logger.error("Gave up on webhook delivery %s: %s", delivery_id, outcome.error)
    await session.flush()
    return delivered


async def webhook_delivery_job(session: AsyncSession, clock: Clock, settings: Settings) -> None:
    """The scheduler job: deliver what is due, forget what is old."""
    await deliver_due(session, clock, settings)
    await session.execute(
        delete(WebhookDelivery).where(
            WebhookDelivery.status != DeliveryStatus.PENDING.value,
            WebhookDelivery.created_at < clock.now() - KEEP_FOR,
        )
    )
