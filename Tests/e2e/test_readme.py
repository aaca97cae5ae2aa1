"""The README's tour works as written: its Python snippet places a call, its curl ends it."""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path

import pytest

from .scenarios import check_record

pytestmark = pytest.mark.asyncio

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_parts() -> tuple[str, dict]:
    text = README.read_text()
    snippet = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    curl = re.search(r"curl -X POST \S+/call-end .*?-d '([^']*)'", text).group(1)
    return snippet, curl


async def test_readme_tour(daemon, http, tmp_path):
    snippet, call_end_body = readme_parts()
    default_url = 'URL = "http://127.0.0.1:8080"'
    assert default_url in snippet
    script = tmp_path / "call.py"
    script.write_text(snippet.replace(default_url, f'URL = "{daemon.url}"'))

    status, _, body = await http.get("/status")
    assert status == 200 and "activeCalls" in body

    process = await asyncio.create_subprocess_exec(
        sys.executable, str(script), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    output: list[str] = []
    try:
        async with asyncio.timeout(10):
            while not any("is active" in line for line in output):
                line = (await process.stdout.readline()).decode()
                assert line, f"the README snippet stopped early:\n{''.join(output)}"
                output.append(line)
        status, answer = await http.post("/call-end", data=call_end_body,
                                         headers={"Content-Type": "application/json"})
        assert status == 200 and answer["status"] == "Success", answer
        async with asyncio.timeout(10):
            rest, _ = await process.communicate()
        output.append(rest.decode())
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    transcript = "".join(output)
    assert process.returncode == 0, transcript
    assert "bob: audio call from alice" in transcript, transcript
    assert re.search(r"alice: call ended \(hangup\) after [0-9.]+ s", transcript), transcript

    [record] = await http.history("alice")
    check_record(record, callId=answer["callId"], endReason="hangup")
