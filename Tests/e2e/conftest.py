"""Fixtures: a real dialtoned per test, devices on each transport, and HTTP."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio

from .clients import TRANSPORTS, Devices, Http
from .daemon import Daemon, DaemonExitError


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "daemon_options(**options): dialtoned options for this test's `daemon` fixture"
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for daemon in getattr(item, "dialtone_daemons", []):
            report.sections.append((f"dialtoned on port {daemon.port} (log tail)", daemon.log_tail()))


@pytest.fixture
def daemon_factory(request):
    """Starts dialtoned processes; on teardown each gets SIGTERM and must exit 0."""
    work_root = Path(tempfile.mkdtemp(prefix="dialtone-e2e-"))
    started: list[Daemon] = []
    request.node.dialtone_daemons = started

    def start(options: dict[str, str] | None = None, prepare=None) -> Daemon:
        daemon = Daemon(work_root / f"d{len(started)}", options)
        if prepare is not None:
            prepare(daemon)
        started.append(daemon)
        failure = None
        try:
            daemon.start()
        except DaemonExitError as error:
            failure = str(error)
        if failure:
            pytest.fail(failure, pytrace=False)
        return daemon

    yield start

    failures = []
    for daemon in started:
        try:
            code = daemon.stop()
            if code != 0:
                failures.append(f"dialtoned exited with {code} on SIGTERM\n{daemon.log_tail()}")
        except DaemonExitError as error:
            failures.append(str(error))
        finally:
            daemon.kill()
    shutil.rmtree(work_root, ignore_errors=True)  # the failure message carries the log tail
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)


@pytest.fixture
def daemon(request, daemon_factory) -> Daemon:
    marker = request.node.get_closest_marker("daemon_options")
    return daemon_factory(marker.kwargs if marker else None)


@pytest.fixture(params=list(TRANSPORTS), ids=list(TRANSPORTS))
def transport(request) -> str:
    return request.param


@pytest_asyncio.fixture
async def devices(daemon):
    pool = Devices(daemon)
    yield pool
    await pool.close_all()


@pytest_asyncio.fixture
async def http_session():
    # No keep-alive: a connection pooled before a daemon restart would be dead afterwards.
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as session:
        yield session


@pytest_asyncio.fixture
async def http(daemon, http_session):
    return Http(daemon.url, http_session)
