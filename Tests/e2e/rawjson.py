"""A `json` module for python-socketio that can send JSON text exactly as written.

Relayed payloads must arrive byte for byte as sent (key order, number spelling, non-ASCII
text). Python's json would re-spell them, so a test wraps the text in `RawJSON` and this
encoder splices it into the packet untouched.
"""

from __future__ import annotations

import json

loads = json.loads


class RawJSON:
    def __init__(self, text: str):
        json.loads(text)  # only valid JSON may be spliced into a packet
        self.text = text

    def __repr__(self) -> str:
        return f"RawJSON({self.text})"


def dumps(value, **options) -> str:
    spliced: list[str] = []

    def placeholder(item):
        if isinstance(item, RawJSON):
            spliced.append(item.text)
            return f"\x00raw-json-{len(spliced) - 1}\x00"
        raise TypeError(f"{type(item).__name__} is not JSON serializable")

    options.setdefault("ensure_ascii", False)
    text = json.dumps(value, default=placeholder, **options)
    for index, raw in enumerate(spliced):
        text = text.replace(json.dumps(f"\x00raw-json-{index}\x00"), raw, 1)
    return text
