#!/usr/bin/env python3
"""Writes the FuzzHTTP seed corpus (corpus/FuzzHTTP) and its dictionary (dict/FuzzHTTP.dict).

Each seed is one mode byte (bit 0: jwt auth; bit 1: framed by the harness; bits 2-7: delivered in
chunks of that many bytes, 0 = at once) and then what one client sends on one connection, once as
raw bytes and once as parts the harness frames, tokens written `$user` (Sources/FuzzHTTP/Framing.swift). The tokens are minted here with
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


class Http:
    """One HTTP request; rendered raw with its Content-Length, or structured without it."""

    def __init__(self, method, target, headers=(), body=b"", length=None):
        self.method, self.target, self.headers, self.body, self.length = method, target, list(headers), body, length

    def head(self, with_length):
        lines = [f"{self.method} {self.target} HTTP/1.1", "Host: dialtone"] + self.headers
        length = self.length if self.length is not None else (len(self.body) if self.body else None)
        if with_length and length is not None:
            lines.append(f"Content-Length: {length}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode()

    def raw(self):
        return self.head(True) + self.body

    def structured(self):
        return self.head(False) + self.body


class Frame:
    """One WebSocket text frame from the client."""

    def __init__(self, text):
        self.text = text

    def raw(self):
        # The all-zero mask keeps a token in the frame readable to FuzzHTTP's oracle.
        payload = self.text.encode()
        length = bytes([0x80 | len(payload)]) if len(payload) < 126 else bytes([0x80 | 126]) + struct.pack(">H", len(payload))
        return b"\x81" + length + b"\x00\x00\x00\x00" + payload

    def structured(self):
        return b"WS " + self.text.encode()


def get(target, headers=()):
    return Http("GET", target, headers)


def call_end(fields, headers=()):
    return Http("POST", "/call-end", ["Content-Type: application/json", *headers], json.dumps(fields).encode())


def upgrade(target, headers=()):
    return get(target, ["Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                        "Sec-WebSocket-Version: 13", *headers])


def bearer(user):
    return f"Authorization: Bearer {TOKENS[user]}"


def with_macros(data: bytes) -> bytes:
    """Framed seeds name tokens as `$user`, which the harness expands."""
    for user, token in TOKENS.items():
        data = data.replace(token.encode(), f"${user}".encode())
    return data


NONE, JWT = 0, 1
# name: (auth mode, chunk size, parts)
SEEDS = {
    "health": (NONE, 0, [get("/health")]),
    "status-metrics-pipelined": (NONE, 0, [get("/status"), get("/metrics"), Http("HEAD", "/status")]),
    "call-end-none": (NONE, 0, [call_end({"userId": "alice", "callId": "ring-1"})]),
    "call-end-current": (NONE, 0, [call_end({"userId": "carol"})]),
    "call-end-outsider": (NONE, 0, [call_end({"userId": "bob", "callId": "live-1"})]),
    "call-end-jwt": (JWT, 0, [call_end({"callId": "ring-1"}, [bearer("alice")])]),
    "call-end-jwt-outsider": (JWT, 0, [call_end({"callId": "live-1"}, [bearer("alice")])]),
    "call-end-jwt-missing": (JWT, 0, [call_end({"userId": "carol", "callId": "live-1"})]),
    "call-end-jwt-impersonation": (JWT, 0, [call_end({"userId": "carol", "callId": "live-1"}, [bearer("alice")])]),
    "history-jwt-impersonation": (JWT, 0, [get(f"/history?userId=carol&token={TOKENS['alice']}")]),
    "history-jwt": (JWT, 0, [get(f"/history?userId=bob&limit=5&token={TOKENS['bob']}")]),
    "history-none": (NONE, 0, [get("/history?userId=alice")]),
    "chunked-body": (NONE, 0, [Http("POST", "/call-end", ["Transfer-Encoding: chunked"],
                                    b"10\r\n{\"userId\":\"dave\"\r\n1\r\n}\r\n0\r\n\r\n")]),
    "too-large": (NONE, 0, [Http("POST", "/call-end", [], length=5000)]),
    "split-in-5": (NONE, 5, [call_end({"userId": "dave", "callId": "live-1"})]),
    "polling-open": (NONE, 0, [get("/socket.io/?EIO=4&transport=polling")]),
    "polling-open-jwt": (JWT, 0, [get(f"/socket.io/?EIO=4&transport=polling&token={TOKENS['carol']}")]),
    "polling-foreign-origin": (NONE, 0, [get("/socket.io/?EIO=4&transport=polling", ["Origin: https://evil.example"])]),
    "polling-bad-sid": (NONE, 0, [Http("POST", "/socket.io/?EIO=4&transport=polling&sid=nope", [], b"40")]),
    "ws-device": (NONE, 0, [upgrade("/ws?userId=alice"),
                            Frame('{"jsonrpc":"2.0","method":"end_call","params":{"callId":"ring-1"},"id":1}')]),
    "ws-device-jwt": (JWT, 0, [upgrade("/ws", [bearer("dave")]),
                               Frame('{"jsonrpc":"2.0","method":"end_call","params":{"callId":"live-1"},"id":1}')]),
    "ws-socketio": (NONE, 0, [upgrade("/socket.io/?EIO=4&transport=websocket"), Frame('40{"userId":"bob"}'),
                              Frame('42["end_call",{"callId":"ring-1"}]')]),
    "ws-socketio-jwt": (JWT, 0, [upgrade("/socket.io/?EIO=4&transport=websocket"),
                                 Frame('40{"token":"%s"}' % TOKENS["bob"]), Frame('42["reject_call",{"callId":"ring-1"}]')]),
    "unknown-route": (NONE, 0, [Http("DELETE", "/call-end"), get("/nope")]),
}

DICT = ["GET ", "POST ", "HEAD ", " HTTP/1.1\\x0d\\x0a", "\\x0d\\x0a\\x0d\\x0a", "Content-Length: ",
        "Transfer-Encoding: chunked", "Connection: close", "Connection: Upgrade", "Upgrade: websocket",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13", "Origin: ",
        "Authorization: Bearer ", "/call-end", "/history?", "/status", "/metrics", "/health", "/ws",
        "/socket.io/?EIO=4&transport=polling", "&transport=websocket", "&sid=", "userId=", "limit=", "token=",
        "\\\"userId\\\"", "\\\"callId\\\"", "ring-1", "live-1", "\\x81\\x80", "\\x88\\x80", "\\x89\\x80", "\\x0a--\\x0a", "WS ", "40", "42[",
        ] + [TOKENS[user] for user in USERS] + USERS + [
    # Whole credentials and members: one insertion turns a refused request into an accepted one.
    f"Authorization: Bearer {TOKENS[user]}\\x0d\\x0a" for user in USERS] + [
    f"token={TOKENS[user]}&" for user in USERS] + [f'\\"userId\\":\\"{user}\\",' for user in USERS] + [
    f"${user}" for user in USERS]


def main():
    corpus = os.path.join(HERE, "corpus", "FuzzHTTP")
    shutil.rmtree(corpus, ignore_errors=True)
    os.makedirs(corpus)
    for name, (auth, chunk, parts) in SEEDS.items():
        with open(os.path.join(corpus, name), "wb") as seed:
            seed.write(bytes([auth | chunk << 2]) + b"".join(part.raw() for part in parts))
        with open(os.path.join(corpus, name + "-framed"), "wb") as seed:
            seed.write(bytes([auth | 2 | chunk << 2]) + with_macros(b"\n--\n".join(part.structured() for part in parts)))
    with open(os.path.join(HERE, "dict", "FuzzHTTP.dict"), "w") as tokens:
        tokens.write("# HTTP/1.1, WebSocket and dialtone API tokens; written by make-http-seeds.py\n")
        for index, text in enumerate(DICT):
            tokens.write(f'http_{index}="{text}"\n')


if __name__ == "__main__":
    main()
