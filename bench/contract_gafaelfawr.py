#!/usr/bin/env python3
"""A minimal stand-in for Gafaelfawr, for measuring the packaged jar: token-info
says every well-formed token is a person's (user token) with write:sasquatch and admin:token,
POST /tokens mints a fresh gt- token. A token whose key starts with "fleet" stands for a
plain person instead, "fleet-<next two characters>", with write:sasquatch only: the fleet
of callers in bench/side-by-side.sh. History is empty (every bot may be claimed).
Not a test double of record: the emulator
(src/main/java/dev/tokenbroker/emulator) is the faithful one, but the packaged jar
does not contain it."""
import base64, json, os, re, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = re.compile(r"^gt-([A-Za-z0-9_-]{22})\.[A-Za-z0-9_-]{22}$")

def part():
    return base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip("=")

class Handler(BaseHTTPRequestHandler):
    # Headers and body go out in two writes: without TCP_NODELAY the second waits for
    # the client's delayed ACK, adding 40 ms to every answer and hiding the broker's
    # own cost in any figure measured against this server.
    disable_nagle_algorithm = True
    # Keep-alive, as Gafaelfawr's own server offers: the broker's client pools connections.
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, headers=()):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def token(self):
        header = self.headers.get("Authorization", "")
        match = TOKEN.match(header.split(" ")[-1])
        return match.group(1) if match else None

    def do_GET(self):
        key = self.token()
        if key is None:
            return self.answer(401, {"detail": [{"msg": "Token is not valid", "type": "invalid_token"}]})
        fleet = key.startswith("fleet")
        username = f"fleet-{key[5:7].lower()}" if fleet else "bench-admin"
        if self.path == "/auth/api/v1/user-info":
            return self.answer(200, {"username": username, "groups": []})
        # No bot had a token before the run: history (this broker's claims) and token lists (earlier jars') are empty.
        if self.path.startswith("/auth/api/v1/history/token-changes") or (
                self.path.startswith("/auth/api/v1/users/") and self.path.endswith("/tokens")):
            return self.answer(200, [])
        if self.path != "/auth/api/v1/token-info":
            return self.answer(404, {"detail": [{"msg": "Not found", "type": "not_found"}]})
        # A slow Gafaelfawr on demand: seconds to wait, read from the file STANDIN_DELAY_FILE names.
        delay_file = os.environ.get("STANDIN_DELAY_FILE")
        if delay_file and os.path.exists(delay_file):
            time.sleep(float(open(delay_file).read().strip() or 0))
        # A person holding admin:token: fit to be the broker's admin token and its caller alike.
        self.answer(200, {"token": key, "username": username, "token_type": "user",
                          "scopes": ["write:sasquatch"] if fleet else ["admin:token", "write:sasquatch"],
                          "created": int(time.time())})

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        if self.path != "/auth/api/v1/tokens" or self.token() is None:
            return self.answer(401, {"detail": [{"msg": "Token is not valid", "type": "invalid_token"}]})
        key = part()
        self.answer(201, {"token": f"gt-{key}.{part()}"},
                    [("Location", f"/auth/api/v1/users/{body.get('username')}/tokens/{key}")])

ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
