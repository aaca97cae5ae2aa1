"""A real `dialtoned` process on a loopback port, for the end-to-end tests."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

DEFAULT_BINARY = ".build/debug/dialtoned"
START_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0

# Short timers so ring timeouts, reconnect grace and heartbeats happen within seconds.
TEST_OPTIONS = {
    "ring-timeout": "2",
    "reconnect-grace": "2",
    "ping-interval": "1000",
    "ping-timeout": "1000",
}


def binary_path() -> Path:
    path = Path(os.environ.get("DIALTONED_BIN", DEFAULT_BINARY)).resolve()
    if not path.is_file() or not os.access(path, os.X_OK):
        raise FileNotFoundError(
            f"dialtoned not found at {path}: run `swift build` first or set DIALTONED_BIN"
        )
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def hermetic_environment(state_dir: Path) -> dict[str, str]:
    """The caller's environment minus anything that could point the daemon at shared state."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("DIALTONE_")
        and name not in ("LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "NOTIFY_SOCKET",
                         "STATE_DIRECTORY", "RUNTIME_DIRECTORY", "XDG_RUNTIME_DIR",
                         "XDG_STATE_HOME", "WATCHDOG_USEC", "WATCHDOG_PID")
    }
    env["HOME"] = str(state_dir.parent)
    return env


class DaemonExitError(AssertionError):
    pass


class Daemon:
    """One `dialtoned` with its own port and state directory.

    stderr goes to `log_path` so a failing test can show what the daemon said.
    """

    def __init__(self, work_dir: Path, options: dict[str, str] | None = None):
        self.work_dir = work_dir
        self.state_dir = work_dir / "state"
        self.config_path = work_dir / "dialtone.json"
        self.log_path = work_dir / "dialtoned.log"
        self.port = free_port()
        self.options = {**TEST_OPTIONS, **(options or {})}
        self.process: subprocess.Popen | None = None
        self.state_dir.mkdir(parents=True, exist_ok=True)
        # An explicit empty config keeps an installed /etc/dialtone/dialtone.json out of the test.
        self.config_path.write_text("{}\n")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def history_path(self) -> Path:
        return self.state_dir / "history.json"

    def command(self) -> list[str]:
        args = [
            str(binary_path()),
            "--config", str(self.config_path),
            "--listen", f"127.0.0.1:{self.port}",
            "--state-dir", str(self.state_dir),
            "--control-socket", str(self.work_dir / "control.sock"),
        ]
        for name, value in self.options.items():
            args += [f"--{name}", value]
        return args

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None, "already running"
        with open(self.log_path, "ab") as log:
            log.write(f"=== start: {' '.join(self.command())}\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                self.command(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                env=hermetic_environment(self.state_dir),
                cwd=self.work_dir,
            )
        self.wait_until_healthy()

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        last_error = "no answer"
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code is not None:
                raise DaemonExitError(
                    f"dialtoned exited with {code} before serving\n{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=1) as response:
                    if response.status == 200:
                        return
                    last_error = f"HTTP {response.status}"
            except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
                last_error = str(error)
            time.sleep(0.05)
        raise DaemonExitError(
            f"dialtoned did not answer /health within {START_TIMEOUT}s ({last_error})\n"
            f"{self.log_tail()}"
        )

    def stop(self) -> int:
        """SIGTERM (a graceful stop); returns the exit code."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else 0
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise DaemonExitError(
                f"dialtoned ignored SIGTERM for {STOP_TIMEOUT}s and was killed\n{self.log_tail()}"
            )
        return code

    def restart(self) -> None:
        """Graceful stop (must exit 0), then start again on the same port and state directory."""
        code = self.stop()
        if code != 0:
            raise DaemonExitError(f"dialtoned exited with {code} on SIGTERM\n{self.log_tail()}")
        self.start()

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return "(no daemon log)"
        return "\n".join(text.splitlines()[-lines:])

    def read_history_file(self):
        return json.loads(self.history_path.read_text())
