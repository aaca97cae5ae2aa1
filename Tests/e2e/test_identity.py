"""Who a device is: CONNECT auth, the handshake query, and register (auth mode none)."""

from __future__ import annotations

import pytest

from .scenarios import establish, ice_flows

pytestmark = pytest.mark.asyncio


async def test_connect_auth_registers(devices, transport):
    alice = await devices.sio("alice", transport).connect(auth={"userId": "alice"})
    registered = await alice.next("registered")
    assert registered["ok"] is True and registered["userId"] == "alice", registered
    assert registered["calls"] == [] and isinstance(registered["sessionId"], str)

    bob = await devices.user("bob")
    call_id = await establish(alice, bob, "alice", "bob")
    await ice_flows(bob, alice, call_id, "bob")


async def test_query_user_id_registers(devices, http, transport):
    bob = await devices.sio("bob", transport).connect(query="userId=bob")
    registered = await bob.next("registered")
    assert registered["userId"] == "bob", registered
    assert (await http.status())["connectedUsers"] == 1

    alice = await devices.user("alice", "ws")
    call_id = await establish(alice, bob, "alice", "bob")
    await ice_flows(alice, bob, call_id, "alice")


async def test_ws_query_user_id_registers(devices, http):
    browser = await devices.ws("bob").connect(query="userId=bob")
    registered = await browser.next("registered")
    assert registered["userId"] == "bob", registered
    alice = await devices.user("alice", "polling")
    call_id = await establish(alice, browser, "alice", "bob")
    await ice_flows(browser, alice, call_id, "bob")


async def test_register_again_is_fine_but_not_as_someone_else(devices, http):
    alice = await devices.user("alice")
    again = await alice.register("alice")
    assert again["userId"] == "alice"
    await alice.fails("register", {"userId": "mallory"}, "invalid_state")
    status = await http.status()
    assert (status["connectedUsers"], status["connectedDevices"]) == (1, 1), status

    browser = await devices.user("alice", "ws", name="alice-browser")
    await browser.fails("register", {"userId": "mallory"}, "invalid_state")


async def test_a_user_on_several_transports_is_one_user(devices, http):
    await devices.user("alice", "polling", name="alice-phone")
    await devices.user("alice", "websocket", name="alice-tablet")
    await devices.user("alice", "ws", name="alice-browser")
    status = await http.status()
    assert (status["connectedUsers"], status["connectedDevices"]) == (1, 3), status
