"""Which web addresses webhooks accept: only what the deliveries can send to, and by
default nothing on this machine or the internal network (server-side request forgery)."""

from __future__ import annotations

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import actor
from tests.conftest import LoginAs, MakePerson
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.errors import InvalidInput
from werkplek.people.models import Role
from werkplek.webhooks.schemas import EndpointIn
from werkplek.webhooks.services import PublicAddressTransport, check_url, create_endpoint

INTERNAL = [
    "http://127.0.0.1:8080/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://localhost/",
    "http://LocalHost./",
    "http://api.localhost/",
    "http://0/",
    "http://0.0.0.0/",
    "http://127.1/",
    "http://0x7f.1/",
    "http://2130706433/",
    "http://10.1.2.3/",
    "http://172.16.0.1/",
    "http://192.168.1.10/",
    "http://100.64.0.1/",
    "http://[::1]/",
    "http://[fe80::1%25eth0]/",
    "http://[fd00::1]/",
    "http://[::ffff:127.0.0.1]/",
]


@pytest.mark.parametrize(
    "url",
    ["https://xn--a.nl/", "https://x.nl/\x00", "https://exämple_1.nl/", "https://x.nl/\u200b"],
)
async def test_a_url_the_deliveries_could_not_send_to_is_refused_at_url(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs, url: str
) -> None:
    await login_as(await make_person("Ada Admin", roles=(Role.ADMIN,)))

    response = await client.post("/api/webhooks", json={"url": url, "events": ["booking.created"]})

    assert (response.status_code, response.json()["field"]) == (422, "url")


@pytest.mark.parametrize("url", INTERNAL)
def test_an_internal_address_is_refused_unless_the_setting_allows_it(url: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_url(url, allow_internal=False)

    assert refused.value.field == "url"


@pytest.mark.parametrize("url", INTERNAL)
def test_an_internal_address_is_accepted_when_the_setting_allows_it(url: str) -> None:
    assert check_url(url, allow_internal=True) == url


@pytest.mark.parametrize(
    "url",
    [
        "https://rooster.gemeente.example.nl/werkplek",
        "https://10.example.nl/hook",
        "https://localhost.example.nl/hook",
        "https://münchen.de/hook",
        "http://93.184.216.34:8080/hook",
    ],
)
def test_a_public_address_is_accepted(url: str) -> None:
    assert check_url(url, allow_internal=False) == url


async def test_registering_an_internal_address_is_refused_when_the_setting_forbids_it(
    db: AsyncSession, clock: FixedClock, settings: Settings, make_person: MakePerson
) -> None:
    admin = await make_person("Ada Admin", roles=(Role.ADMIN,))
    data = EndpointIn(url="http://169.254.169.254/latest/meta-data/", events=["booking.created"])

    with pytest.raises(InvalidInput):
        await create_endpoint(
            db, clock, settings.with_changes(webhook_allow_internal=False), actor(admin), data
        )


def test_internal_addresses_are_refused_when_the_environment_says_nothing() -> None:
    assert not Settings.from_env({"WERKPLEK_ENV": "dev"}).webhook_allow_internal


def test_internal_addresses_are_allowed_by_webhook_allow_internal() -> None:
    env = {"WERKPLEK_ENV": "dev", "WERKPLEK_WEBHOOK_ALLOW_INTERNAL": "true"}

    assert Settings.from_env(env).webhook_allow_internal


def _transport_resolving_to(
    *addresses: str,
) -> tuple[PublicAddressTransport, list[httpx.Request]]:
    """A transport whose resolver gives ``addresses`` for any name, and the requests that
    got past it."""
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200)

    async def resolver(host: str, port: int) -> list[str]:
        return list(addresses)

    return PublicAddressTransport(httpx.MockTransport(answer), resolver), sent


@pytest.mark.parametrize("addresses", [("10.1.2.3",), ("93.184.216.34", "127.0.0.1")])
async def test_a_host_name_resolving_to_an_internal_address_is_not_sent_to(
    addresses: tuple[str, ...],
) -> None:
    transport, sent = _transport_resolving_to(*addresses)

    async with httpx.AsyncClient(transport=transport) as client:
        with pytest.raises(httpx.ConnectError, match="resolves to an internal address"):
            await client.post("https://intern.gemeente.example.nl/hook", content=b"{}")

    assert sent == []


async def test_a_public_host_name_is_sent_to_the_address_that_was_checked() -> None:
    transport, sent = _transport_resolving_to("93.184.216.34")

    async with httpx.AsyncClient(transport=transport) as client:
        await client.post("https://rooster.gemeente.example.nl:8443/hook", content=b"{}")

    (request,) = sent
    assert (str(request.url), request.headers["Host"]) == (
        "https://93.184.216.34:8443/hook",
        "rooster.gemeente.example.nl:8443",
    )


async def test_tls_checks_the_certificate_against_the_host_name_not_the_address() -> None:
    transport, sent = _transport_resolving_to("93.184.216.34")

    async with httpx.AsyncClient(transport=transport) as client:
        await client.post("https://rooster.gemeente.example.nl/hook", content=b"{}")

    (request,) = sent
    assert request.extensions["sni_hostname"] == "rooster.gemeente.example.nl"


async def test_a_public_ipv6_address_is_connected_to_in_brackets() -> None:
    transport, sent = _transport_resolving_to("2606:2800:21f:cb07:6820:80da:af6b:8b2c")

    async with httpx.AsyncClient(transport=transport) as client:
        await client.post("https://rooster.gemeente.example.nl/hook", content=b"{}")

    (request,) = sent
    assert str(request.url) == "https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/hook"
