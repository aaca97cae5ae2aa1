"""The Engine.IO v4 protocol test suite (socket.io repository,
docs/engine.io-protocol/v4-test-suite/test-suite.js), case by case, against the echo server at
/engine.io/."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest
import pytest_asyncio

from .harness import PING_INTERVAL, PING_TIMEOUT, WebSocket, fetch, init_long_polling_session, sleep

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def http():
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def url(base_url: str) -> str:
    return f"{base_url}/engine.io/"


@pytest.fixture
def ws_url(ws_base_url: str) -> str:
    return f"{ws_base_url}/engine.io/"


async def new_session(http, base_url) -> str:
    return await init_long_polling_session(http, base_url, "engine.io")


def assert_handshake(value: dict, upgrades: list[str]) -> None:
    assert set(value) == {"sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload"}
    assert isinstance(value["sid"], str)
    assert value["upgrades"] == upgrades
    assert value["pingInterval"] == PING_INTERVAL
    assert value["pingTimeout"] == PING_TIMEOUT
    assert value["maxPayload"] == 1000000


# handshake / HTTP long-polling

async def test_polling_successfully_opens_a_session(http, url):
    response = await fetch(http, f"{url}?EIO=4&transport=polling")
    assert response.status == 200
    assert response.text.startswith("0")
    assert_handshake(json.loads(response.text[1:]), ["websocket"])


async def test_polling_fails_with_an_invalid_eio_query_parameter(http, url):
    assert (await fetch(http, f"{url}?transport=polling")).status == 400
    assert (await fetch(http, f"{url}?EIO=abc&transport=polling")).status == 400


async def test_polling_fails_with_an_invalid_transport_query_parameter(http, url):
    assert (await fetch(http, f"{url}?EIO=4")).status == 400
    assert (await fetch(http, f"{url}?EIO=4&transport=abc")).status == 400


async def test_polling_fails_with_an_invalid_request_method(http, url):
    assert (await fetch(http, f"{url}?EIO=4&transport=polling", method="POST")).status == 400
    assert (await fetch(http, f"{url}?EIO=4&transport=polling", method="PUT")).status == 400


# handshake / WebSocket

async def test_websocket_successfully_opens_a_session(ws_url):
    socket = await WebSocket.open(f"{ws_url}?EIO=4&transport=websocket")
    data = await socket.message()
    assert data.startswith("0")
    assert_handshake(json.loads(data[1:]), [])
    await socket.close()


async def test_websocket_fails_with_an_invalid_eio_query_parameter(ws_url):
    socket = await WebSocket.open(f"{ws_url}?transport=websocket")
    await socket.wait_closed()
    socket2 = await WebSocket.open(f"{ws_url}?EIO=abc&transport=websocket")
    await socket2.wait_closed()


async def test_websocket_fails_with_an_invalid_transport_query_parameter(ws_url):
    socket = await WebSocket.open(f"{ws_url}?EIO=4")
    await socket.wait_closed()
    socket2 = await WebSocket.open(f"{ws_url}?EIO=4&transport=abc")
    await socket2.wait_closed()


# message / HTTP long-polling

async def test_polling_sends_and_receives_one_plain_text_packet(http, url, base_url):
    sid = await new_session(http, base_url)
    push = await fetch(http, f"{url}?EIO=4&transport=polling&sid={sid}", method="POST", body="4hello")
    assert push.status == 200
    assert push.text == "ok"
    poll = await fetch(http, f"{url}?EIO=4&transport=polling&sid={sid}")
    assert poll.status == 200
    assert poll.text == "4hello"


async def test_polling_sends_and_receives_several_plain_text_packets(http, url, base_url):
    sid = await new_session(http, base_url)
    push = await fetch(http, f"{url}?EIO=4&transport=polling&sid={sid}", method="POST",
                       body="4test1\x1e4test2\x1e4test3")
    assert push.status == 200
    assert push.text == "ok"
    poll = await fetch(http, f"{url}?EIO=4&transport=polling&sid={sid}")
    assert poll.status == 200
    assert poll.text == "4test1\x1e4test2\x1e4test3"


async def test_polling_sends_and_receives_plain_text_and_binary_packets(http, url, base_url):
    sid = await new_session(http, base_url)
    push = await fetch(http, f"{url}?EIO=4&transport=polling&sid={sid}", method="POST", body="4hello\x1ebAQIDBA==")
    assert push.status == 200
    assert push.text == "ok"
    poll = await fetch(http, f"{url}?EIO=4&transport=polling&sid={sid}")
    assert poll.status == 200
    assert poll.text == "4hello\x1ebAQIDBA=="


async def test_polling_closes_the_session_upon_invalid_packet_format(http, url, base_url):
    sid = await new_session(http, base_url)
    try:
        push = await fetch(http, f"{url}?EIO=4&transport=polling&sid={sid}", method="POST", body="abc")
        assert push.status == 400
    except aiohttp.ClientError:
        pass  # the suite accepts a connection closed abnormally too
    poll = await fetch(http, f"{url}?EIO=4&transport=polling&sid={sid}")
    assert poll.status == 400


async def test_polling_closes_the_session_upon_duplicate_poll_requests(http, url, base_url):
    sid = await new_session(http, base_url)

    async def second():
        await sleep(5)
        return await fetch(http, f"{url}?EIO=4&transport=polling&sid={sid}&t=burst")

    first, burst = await asyncio.gather(fetch(http, f"{url}?EIO=4&transport=polling&sid={sid}"), second())
    assert first.status == 200
    assert first.text == "1"
    assert burst.status in (400, 500)
    poll = await fetch(http, f"{url}?EIO=4&transport=polling&sid={sid}")
    assert poll.status == 400


async def test_polling_closes_the_session_upon_cancelled_polling_request(http, url, base_url, server_port):
    sid = await new_session(http, base_url)
    # A raw connection, so that aborting it surely closes the socket the poll is parked on.
    reader, writer = await asyncio.open_connection("127.0.0.1", server_port)
    writer.write(f"GET /engine.io/?EIO=4&transport=polling&sid={sid} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    await writer.drain()
    await sleep(5)
    writer.close()
    await writer.wait_closed()
    poll = await fetch(http, f"{url}?EIO=4&transport=polling&sid={sid}")
    assert poll.status == 400


# message / WebSocket

async def test_websocket_sends_and_receives_a_plain_text_packet(ws_url):
    socket = await WebSocket.open(f"{ws_url}?EIO=4&transport=websocket")
    await socket.message()  # handshake
    await socket.send("4hello")
    assert await socket.message() == "4hello"
    await socket.close()


async def test_websocket_sends_and_receives_a_binary_packet(ws_url):
    socket = await WebSocket.open(f"{ws_url}?EIO=4&transport=websocket")
    await socket.message()  # handshake
    await socket.send(bytes([1, 2, 3, 4]))
    assert await socket.message() == bytes([1, 2, 3, 4])
    await socket.close()


async def test_websocket_closes_the_session_upon_invalid_packet_format(ws_url):
    socket = await WebSocket.open(f"{ws_url}?EIO=4&transport=websocket")
    await socket.message()  # handshake
    await socket.send("abc")
    await socket.wait_closed()


# heartbeat / HTTP long-polling

async def test_polling_sends_ping_pong_packets(http, url, base_url):
    sid = await new_session(http, base_url)
    for _ in range(3):
        poll = await fetch(http, f"{url}?EIO=4&transport=polling&sid={sid}")
        assert poll.status == 200
        assert poll.text == "2"
        push = await fetch(http, f"{url}?EIO=4&transport=polling&sid={sid}", method="POST", body="3")
        assert push.status == 200


async def test_polling_closes_the_session_upon_ping_timeout(http, url, base_url):
    sid = await new_session(http, base_url)
    await sleep(PING_INTERVAL + PING_TIMEOUT)
    poll = await fetch(http, f"{url}?EIO=4&transport=polling&sid={sid}")
    assert poll.status == 400


# heartbeat / WebSocket

async def test_websocket_sends_ping_pong_packets(ws_url):
    socket = await WebSocket.open(f"{ws_url}?EIO=4&transport=websocket")
    await socket.message()  # handshake
    for _ in range(3):
        assert await socket.message() == "2"
        await socket.send("3")
    await socket.close()


async def test_websocket_closes_the_session_upon_ping_timeout(ws_url):
    socket = await WebSocket.open(f"{ws_url}?EIO=4&transport=websocket")
    await socket.wait_closed()


# close

async def test_polling_forcefully_closes_the_session(http, url, base_url):
    sid = await new_session(http, base_url)
    poll, _ = await asyncio.gather(
        fetch(http, f"{url}?EIO=4&transport=polling&sid={sid}"),
        fetch(http, f"{url}?EIO=4&transport=polling&sid={sid}", method="POST", body="1"),
    )
    assert poll.status == 200
    assert poll.text == "6"
    poll2 = await fetch(http, f"{url}?EIO=4&transport=polling&sid={sid}")
    assert poll2.status == 400


async def test_websocket_forcefully_closes_the_session(ws_url):
    socket = await WebSocket.open(f"{ws_url}?EIO=4&transport=websocket")
    await socket.message()  # handshake
    await socket.send("1")
    await socket.wait_closed()


# upgrade

async def test_successfully_upgrades_from_polling_to_websocket(http, url, ws_url, base_url):
    sid = await new_session(http, base_url)
    socket = await WebSocket.open(f"{ws_url}?EIO=4&transport=websocket&sid={sid}")
    await socket.send("2probe")
    assert await socket.message() == "3probe"
    poll = await fetch(http, f"{url}?EIO=4&transport=polling&sid={sid}")
    assert poll.status == 200
    assert poll.text == "6"  # "noop" packet to cleanly end the HTTP long-polling request
    await socket.send("5")
    await socket.send("4hello")
    assert await socket.message() == "4hello"
    await socket.close()


async def test_ignores_http_requests_with_same_sid_after_upgrade(http, url, ws_url, base_url):
    sid = await new_session(http, base_url)
    socket = await WebSocket.open(f"{ws_url}?EIO=4&transport=websocket&sid={sid}")
    await socket.send("2probe")
    await socket.message()  # "3probe"
    await socket.send("5")
    poll = await fetch(http, f"{url}?EIO=4&transport=polling&sid={sid}")
    assert poll.status == 400
    await socket.send("4hello")
    assert await socket.message() == "4hello"
    await socket.close()


async def test_ignores_websocket_connection_with_same_sid_after_upgrade(http, ws_url, base_url):
    sid = await new_session(http, base_url)
    socket = await WebSocket.open(f"{ws_url}?EIO=4&transport=websocket&sid={sid}")
    await socket.send("2probe")
    await socket.message()  # "3probe"
    await socket.send("5")
    socket2 = await WebSocket.open(f"{ws_url}?EIO=4&transport=websocket&sid={sid}")
    await socket2.wait_closed()
    await socket.send("4hello")
    assert await socket.message() == "4hello"
    await socket.close()
