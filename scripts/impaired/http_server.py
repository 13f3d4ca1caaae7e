#!/usr/bin/env python3
"""The Linux reference server of scripts/impaired-tcp.sh: the same two HTTP/1.1 resources as `ringstack serve`,
GET /bytes/N (N bytes, byte i = i mod 251) and POST /sha256 (the SHA-256 of the body as 64 hex digits), served by the
Linux kernel's TCP. Usage: http_server.py ADDRESS PORT (Python standard library only)."""
import hashlib
import http.server
import sys

BLOCK = bytes(i % 251 for i in range(251 * 4096))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        if not self.path.startswith("/bytes/"):
            self.send_error(404)
            return
        length = int(self.path[len("/bytes/"):])
        self.send_response(200)
        self.send_header("Content-Length", str(length))
        self.end_headers()
        sent = 0
        while sent < length:
            # every block starts at a multiple of 251, so the pattern carries on across blocks
            chunk = BLOCK[:min(len(BLOCK), length - sent)]
            self.wfile.write(chunk)
            sent += len(chunk)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        digest = hashlib.sha256()
        while length > 0:
            chunk = self.rfile.read(min(length, 1 << 16))
            if not chunk:
                break
            digest.update(chunk)
            length -= len(chunk)
        body = digest.hexdigest().encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    http.server.ThreadingHTTPServer((sys.argv[1], int(sys.argv[2])), Handler).serve_forever()
