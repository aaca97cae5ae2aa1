#!/usr/bin/env python3
"""Writes the FuzzHTTP seed corpus (corpus/FuzzHTTP) and its dictionary (dict/FuzzHTTP.dict).

Each seed is one mode byte (bit 0: jwt auth; bits 1-7: delivered in chunks of that many bytes,
0 = at once) and then what one client sends on one connection. The tokens are minted here with
the secret, users and expiry of Sources/FuzzHTTP/Tokens.swift, independently of the Swift code.
"""
import base64, hashlib, hmac, json, os, shutil, struct

SECRET = b"dialtone-fuzz-secret"
USERS = ["alice", "bob", "carol", "dave"]
HERE = os.path.dirname(os.path.abspath(__file__))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(user: str) -> str:
    head = b64url(b'{"alg":"HS256","typ":"JWT"}')
    claims = b64url(('{"sub":"%s","exp":4102444800}' % user).encode())
    signed = f"{head}.{claims}"
    return signed + "." + b64url(hmac.new(SECRET, signed.encode(), hashlib.sha256).digest())


TOKENS = {user: token(user) for user in USERS}


def request(method, target, headers=(), body=b""):
    lines = [f"{method} {target} HTTP/1.1", "Host: dialtone"] + list(headers)
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def call_end(fields, headers=()):
    return request("POST", "/call-end", ["Content-Type: application/json", *headers], json.dumps(fields).encode())


def masked_text(text: str) -> bytes:
    """A client frame; the all-zero mask keeps a token in it readable to FuzzHTTP's oracle."""
    payload = text.encode()
    mask = b"\x00\x00\x00\x00"
    length = bytes([0x80 | len(payload)]) if len(payload) < 126 else bytes([0x80 | 126]) + struct.pack(">H", len(payload))
    return b"\x81" + length + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def upgrade(target, headers=()):
    return request("GET", target, ["Upgrade: websocket", "Connection: Upgrade",
                                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13",
                                   *headers])


def bearer(user):
    return f"Authorization: Bearer {TOKENS[user]}"


NONE, JWT = 0, 1
SEEDS = {
    "health": (NONE, request("GET", "/health")),
    "status-metrics-pipelined": (NONE, request("GET", "/status") + request("GET", "/metrics") + request("HEAD", "/status")),
    "call-end-none": (NONE, call_end({"userId": "alice", "callId": "ring-1"})),
    "call-end-current": (NONE, call_end({"userId": "carol"})),
    "call-end-outsider": (NONE, call_end({"userId": "bob", "callId": "live-1"})),
    "call-end-jwt": (JWT, call_end({"callId": "ring-1"}, [bearer("alice")])),
    "call-end-jwt-outsider": (JWT, call_end({"callId": "live-1"}, [bearer("alice")])),
    "call-end-jwt-missing": (JWT, call_end({"userId": "carol", "callId": "live-1"})),
    "history-jwt": (JWT, request("GET", f"/history?userId=bob&limit=5&token={TOKENS['bob']}")),
    "history-none": (NONE, request("GET", "/history?userId=alice")),
    "chunked-body": (NONE, b"POST /call-end HTTP/1.1\r\nHost: d\r\nTransfer-Encoding: chunked\r\n\r\n"
                     b"10\r\n{\"userId\":\"dave\"\r\n1\r\n}\r\n0\r\n\r\n"),
    "too-large": (NONE, request("POST", "/call-end", ["Content-Length: 5000"])),
    "split-in-5": (5 << 1, call_end({"userId": "dave", "callId": "live-1"})),
    "polling-open": (NONE, request("GET", "/socket.io/?EIO=4&transport=polling")),
    "polling-open-jwt": (JWT, request("GET", f"/socket.io/?EIO=4&transport=polling&token={TOKENS['carol']}")),
    "polling-foreign-origin": (NONE, request("GET", "/socket.io/?EIO=4&transport=polling", ["Origin: https://evil.example"])),
    "polling-bad-sid": (NONE, request("POST", "/socket.io/?EIO=4&transport=polling&sid=nope", [], b"40")),
    "ws-device": (NONE, upgrade("/ws?userId=alice") + masked_text(
        '{"jsonrpc":"2.0","method":"end_call","params":{"callId":"ring-1"},"id":1}')),
    "ws-device-jwt": (JWT, upgrade("/ws", [bearer("dave")]) + masked_text(
        '{"jsonrpc":"2.0","method":"end_call","params":{"callId":"live-1"},"id":1}')),
    "ws-socketio": (NONE, upgrade("/socket.io/?EIO=4&transport=websocket") + masked_text('40{"userId":"bob"}')
                    + masked_text('42["end_call",{"callId":"ring-1"}]')),
    "ws-socketio-jwt": (JWT, upgrade("/socket.io/?EIO=4&transport=websocket") + masked_text(
        '40{"token":"%s"}' % TOKENS["bob"]) + masked_text('42["reject_call",{"callId":"ring-1"}]')),
    "unknown-route": (NONE, request("DELETE", "/call-end") + request("GET", "/nope")),
}

DICT = ["GET ", "POST ", "HEAD ", " HTTP/1.1\\x0d\\x0a", "\\x0d\\x0a\\x0d\\x0a", "Content-Length: ",
        "Transfer-Encoding: chunked", "Connection: close", "Connection: Upgrade", "Upgrade: websocket",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13", "Origin: ",
        "Authorization: Bearer ", "/call-end", "/history?", "/status", "/metrics", "/health", "/ws",
        "/socket.io/?EIO=4&transport=polling", "&transport=websocket", "&sid=", "userId=", "limit=", "token=",
        "\\\"userId\\\"", "\\\"callId\\\"", "ring-1", "live-1", "\\x81\\x80", "\\x88\\x80", "\\x89\\x80", "40", "42[",
        ] + [TOKENS[user] for user in USERS] + USERS


def main():
    corpus = os.path.join(HERE, "corpus", "FuzzHTTP")
    shutil.rmtree(corpus, ignore_errors=True)
    os.makedirs(corpus)
    for name, (mode, data) in SEEDS.items():
        with open(os.path.join(corpus, name), "wb") as seed:
            seed.write(bytes([mode]) + data)
    with open(os.path.join(HERE, "dict", "FuzzHTTP.dict"), "w") as tokens:
        tokens.write("# HTTP/1.1, WebSocket and dialtone API tokens; written by make-http-seeds.py\n")
        for index, text in enumerate(DICT):
            tokens.write(f'http_{index}="{text}"\n')


if __name__ == "__main__":
    main()
