"""Starts one `sio-conformance` process (the reference servers of the Engine.IO v4 and Socket.IO v5
test suites) on a free port for the whole session. The binary comes from SIO_CONFORMANCE_BIN,
default .build/debug/sio-conformance."""

from __future__ import annotations

import os
import re
import select
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT = 20.0


@pytest.fixture(scope="session")
def server_port() -> int:
    binary = os.environ.get("SIO_CONFORMANCE_BIN", str(REPO / ".build" / "debug" / "sio-conformance"))
    if not os.access(binary, os.X_OK):
        pytest.fail(f"sio-conformance binary not found at {binary}: build it with `swift build` or set SIO_CONFORMANCE_BIN")
    process = subprocess.Popen([binary, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ready, _, _ = select.select([process.stdout], [], [], STARTUP_TIMEOUT)
        line = process.stdout.readline() if ready else ""
        match = re.fullmatch(r"listening on (\d+)\s*", line)
        if match is None:
            process.kill()
            pytest.fail(f"sio-conformance did not start: {line!r} {process.stderr.read()!r}")
        yield int(match.group(1))
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def base_url(server_port: int) -> str:
    return f"http://127.0.0.1:{server_port}"


@pytest.fixture
def ws_base_url(server_port: int) -> str:
    return f"ws://127.0.0.1:{server_port}"
