"""The Socket.IO v5 protocol test suite (socket.io repository,
docs/socket.io-protocol/v5-test-suite/test-suite.js), case by case, against the reference server
at /socket.io/."""

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
    return f"{base_url}/socket.io/"


@pytest.fixture
def ws_url(ws_base_url: str) -> str:
    return f"{ws_base_url}/socket.io/"


async def new_session(http, base_url) -> str:
    return await init_long_polling_session(http, base_url, "socket.io")


async def init_socketio_connection(ws_url: str) -> WebSocket:
    socket = await WebSocket.open(f"{ws_url}?EIO=4&transport=websocket")
    await socket.message()  # Engine.IO handshake
    await socket.send("40")
    await socket.message()  # Socket.IO handshake
    await socket.message()  # "auth" packet
    return socket


def assert_handshake(value: dict, upgrades: list[str]) -> None:
    assert set(value) == {"sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload"}
    assert isinstance(value["sid"], str)
    assert value["upgrades"] == upgrades
    assert value["pingInterval"] == PING_INTERVAL
    assert value["pingTimeout"] == PING_TIMEOUT
    assert value["maxPayload"] == 1000000


# Engine.IO protocol / handshake / HTTP long-polling

async def test_polling_should_successfully_open_a_session(http, url):
    response = await fetch(http, f"{url}?EIO=4&transport=polling")
    assert response.status == 200
    assert response.text.startswith("0")
    assert_handshake(json.loads(response.text[1:]), ["websocket"])


async def test_polling_should_fail_with_an_invalid_eio_query_parameter(http, url):
    assert (await fetch(http, f"{url}?transport=polling")).status == 400
    assert (await fetch(http, f"{url}?EIO=abc&transport=polling")).status == 400


async def test_polling_should_fail_with_an_invalid_transport_query_parameter(http, url):
    assert (await fetch(http, f"{url}?EIO=4")).status == 400
    assert (await fetch(http, f"{url}?EIO=4&transport=abc")).status == 400


async def test_polling_should_fail_with_an_invalid_request_method(http, url):
    assert (await fetch(http, f"{url}?EIO=4&transport=polling", method="POST")).status == 400
    assert (await fetch(http, f"{url}?EIO=4&transport=polling", method="PUT")).status == 400


# Engine.IO protocol / handshake / WebSocket

async def test_websocket_should_successfully_open_a_session(ws_url):
    socket = await WebSocket.open(f"{ws_url}?EIO=4&transport=websocket")
    data = await socket.message()
    assert data.startswith("0")
    assert_handshake(json.loads(data[1:]), [])
    await socket.close()


async def test_websocket_should_fail_with_an_invalid_eio_query_parameter(ws_url):
    socket = await WebSocket.open(f"{ws_url}?transport=websocket")
    await socket.wait_closed()
    socket2 = await WebSocket.open(f"{ws_url}?EIO=abc&transport=websocket")
    await socket2.wait_closed()


async def test_websocket_should_fail_with_an_invalid_transport_query_parameter(ws_url):
    socket = await WebSocket.open(f"{ws_url}?EIO=4")
    await socket.wait_closed()
    socket2 = await WebSocket.open(f"{ws_url}?EIO=4&transport=abc")
    await socket2.wait_closed()


# Engine.IO protocol / heartbeat

async def test_polling_should_send_ping_pong_packets(http, url, base_url):
    sid = await new_session(http, base_url)
    for _ in range(3):
        poll = await fetch(http, f"{url}?EIO=4&transport=polling&sid={sid}")
        assert poll.status == 200
        assert poll.text == "2"
        push = await fetch(http, f"{url}?EIO=4&transport=polling&sid={sid}", method="POST", body="3")
        assert push.status == 200


async def test_polling_should_close_the_session_upon_ping_timeout(http, url, base_url):
    sid = await new_session(http, base_url)
    await sleep(PING_INTERVAL + PING_TIMEOUT)
    poll = await fetch(http, f"{url}?EIO=4&transport=polling&sid={sid}")
    assert poll.status == 400


async def test_websocket_should_send_ping_pong_packets(ws_url):
    socket = await WebSocket.open(f"{ws_url}?EIO=4&transport=websocket")
    await socket.message()  # handshake
    for _ in range(3):
        assert await socket.message() == "2"
        await socket.send("3")
    await socket.close()


async def test_websocket_should_close_the_session_upon_ping_timeout(ws_url):
    socket = await WebSocket.open(f"{ws_url}?EIO=4&transport=websocket")
    await socket.wait_closed()


# Engine.IO protocol / close

async def test_polling_should_forcefully_close_the_session(http, url, base_url):
    sid = await new_session(http, base_url)
    poll, _ = await asyncio.gather(
        fetch(http, f"{url}?EIO=4&transport=polling&sid={sid}"),
        fetch(http, f"{url}?EIO=4&transport=polling&sid={sid}", method="POST", body="1"),
    )
    assert poll.status == 200
    assert poll.text == "6"
    poll2 = await fetch(http, f"{url}?EIO=4&transport=polling&sid={sid}")
    assert poll2.status == 400


async def test_websocket_should_forcefully_close_the_session(ws_url):
    socket = await WebSocket.open(f"{ws_url}?EIO=4&transport=websocket")
    await socket.message()  # handshake
    await socket.send("1")
    await socket.wait_closed()


# Engine.IO protocol / upgrade

async def test_should_successfully_upgrade_from_polling_to_websocket(http, ws_url, base_url):
    sid = await new_session(http, base_url)
    socket = await WebSocket.open(f"{ws_url}?EIO=4&transport=websocket&sid={sid}")
    await socket.send("2probe")
    assert await socket.message() == "3probe"
    await socket.send("5")
    await socket.close()


async def test_should_ignore_http_requests_with_same_sid_after_upgrade(http, url, ws_url, base_url):
    sid = await new_session(http, base_url)
    socket = await WebSocket.open(f"{ws_url}?EIO=4&transport=websocket&sid={sid}")
    await socket.send("2probe")
    await socket.send("5")
    poll = await fetch(http, f"{url}?EIO=4&transport=polling&sid={sid}")
    assert poll.status == 400
    await socket.close()


async def test_should_ignore_websocket_connection_with_same_sid_after_upgrade(http, ws_url, base_url):
    sid = await new_session(http, base_url)
    socket = await WebSocket.open(f"{ws_url}?EIO=4&transport=websocket&sid={sid}")
    await socket.send("2probe")
    await socket.send("5")
    socket2 = await WebSocket.open(f"{ws_url}?EIO=4&transport=websocket&sid={sid}")
    await socket2.wait_closed()
    await socket.close()


# Socket.IO protocol / connect

async def connect_and_expect(ws_url: str, connect: str, prefix: str, auth_packet: str) -> None:
    socket = await WebSocket.open(f"{ws_url}?EIO=4&transport=websocket")
    await socket.message()  # Engine.IO handshake
    await socket.send(connect)
    data = await socket.message()
    assert data.startswith(prefix)
    handshake = json.loads(data[len(prefix):])
    assert set(handshake) == {"sid"}
    assert isinstance(handshake["sid"], str)
    assert await socket.message() == auth_packet
    await socket.close()


async def test_should_allow_connection_to_the_main_namespace(ws_url):
    await connect_and_expect(ws_url, "40", "40", '42["auth",{}]')


async def test_should_allow_connection_to_the_main_namespace_with_a_payload(ws_url):
    await connect_and_expect(ws_url, '40{"token":"123"}', "40", '42["auth",{"token":"123"}]')


async def test_should_allow_connection_to_a_custom_namespace(ws_url):
    await connect_and_expect(ws_url, "40/custom,", "40/custom,", '42/custom,["auth",{}]')


async def test_should_allow_connection_to_a_custom_namespace_with_a_payload(ws_url):
    await connect_and_expect(ws_url, '40/custom,{"token":"abc"}', "40/custom,", '42/custom,["auth",{"token":"abc"}]')


async def test_should_disallow_connection_to_an_unknown_namespace(ws_url):
    socket = await WebSocket.open(f"{ws_url}?EIO=4&transport=websocket")
    await socket.message()  # Engine.IO handshake
    await socket.send("40/random")
    assert await socket.message() == '44/random,{"message":"Invalid namespace"}'
    await socket.close()


async def test_should_disallow_connection_with_an_invalid_handshake(ws_url):
    socket = await WebSocket.open(f"{ws_url}?EIO=4&transport=websocket")
    await socket.message()  # Engine.IO handshake
    await socket.send("4abc")
    await socket.wait_closed()


async def test_should_close_the_connection_if_no_handshake_is_received(ws_url):
    socket = await WebSocket.open(f"{ws_url}?EIO=4&transport=websocket")
    await socket.wait_closed()


# Socket.IO protocol / disconnect

async def test_should_disconnect_from_the_main_namespace(ws_url):
    socket = await init_socketio_connection(ws_url)
    await socket.send("41")
    assert await socket.message() == "2"
    await socket.close()


async def test_should_connect_then_disconnect_from_a_custom_namespace(ws_url):
    socket = await init_socketio_connection(ws_url)
    await socket.message()  # ping
    await socket.send("40/custom")
    await socket.message()  # Socket.IO handshake
    await socket.message()  # auth packet
    await socket.send("41/custom")
    await socket.send('42["message","message to main namespace"]')
    assert await socket.message() == '42["message-back","message to main namespace"]'
    await socket.close()


# Socket.IO protocol / message

async def test_should_send_a_plain_text_packet(ws_url):
    socket = await init_socketio_connection(ws_url)
    await socket.send('42["message",1,"2",{"3":[true]}]')
    assert await socket.message() == '42["message-back",1,"2",{"3":[true]}]'
    await socket.close()


async def test_should_send_a_packet_with_binary_attachments(ws_url):
    socket = await init_socketio_connection(ws_url)
    await socket.send('452-["message",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]')
    await socket.send(bytes([1, 2, 3]))
    await socket.send(bytes([4, 5, 6]))
    packets = await socket.messages(3)
    assert packets[0] == '452-["message-back",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]'
    assert packets[1] == bytes([1, 2, 3])
    assert packets[2] == bytes([4, 5, 6])
    await socket.close()


async def test_should_send_a_plain_text_packet_with_an_ack(ws_url):
    socket = await init_socketio_connection(ws_url)
    await socket.send('42456["message-with-ack",1,"2",{"3":[false]}]')
    assert await socket.message() == '43456[1,"2",{"3":[false]}]'
    await socket.close()


async def test_should_send_a_packet_with_binary_attachments_and_an_ack(ws_url):
    socket = await init_socketio_connection(ws_url)
    await socket.send('452-789["message-with-ack",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]')
    await socket.send(bytes([1, 2, 3]))
    await socket.send(bytes([4, 5, 6]))
    packets = await socket.messages(3)
    assert packets[0] == '462-789[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]'
    assert packets[1] == bytes([1, 2, 3])
    assert packets[2] == bytes([4, 5, 6])
    await socket.close()


async def test_should_close_the_connection_upon_invalid_format_unknown_packet_type(ws_url):
    socket = await init_socketio_connection(ws_url)
    await socket.send("4abc")
    await socket.wait_closed()


async def test_should_close_the_connection_upon_invalid_format_invalid_payload_format(ws_url):
    socket = await init_socketio_connection(ws_url)
    await socket.send("42{}")
    await socket.wait_closed()


async def test_should_close_the_connection_upon_invalid_format_invalid_ack_id(ws_url):
    socket = await init_socketio_connection(ws_url)
    await socket.send('42abc["message-with-ack",1,"2",{"3":[false]}]')
    await socket.wait_closed()
