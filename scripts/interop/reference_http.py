#!/usr/bin/env python3
"""The Linux side of a throughput reference: the HTTP service of `ringstack serve`, answered by the Linux kernel.

  reference_http.py ADDRESS PORT [CONGESTION_CONTROL]

GET /bytes/N answers N bytes where byte i is i mod 251; POST /sha256 answers the SHA-256 of the body as 64 hex
digits and a newline. The same two resources as ringstack's HTTP service, so the same curl commands measure both.
Standard library only; one thread per connection. CONGESTION_CONTROL (e.g. cubic) is set on the listening socket with
TCP_CONGESTION, and the connections it accepts inherit it; without it they take the namespace's default
(net.ipv4.tcp_congestion_control, which a namespace cannot change to one the host does not allow).
"""
import hashlib
import http.server
import socket
import sys

CHUNK = 1 << 20
BLOCK = bytes(range(251)) * (CHUNK // 251 + 2)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        if not self.path.startswith("/bytes/") or not self.path[7:].isdigit():
            self.send_error(404)
            return
        length = int(self.path[7:])
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(length))
        self.end_headers()
        view = memoryview(BLOCK)
        sent = 0
        while sent < length:
            start = sent % 251
            piece = min(CHUNK, length - sent)
            self.wfile.write(view[start:start + piece])
            sent += piece

    def do_POST(self):
        if self.path != "/sha256":
            self.send_error(404)
            return
        remaining = int(self.headers.get("Content-Length", "0"))
        digest = hashlib.sha256()
        while remaining > 0:
            data = self.rfile.read(min(CHUNK, remaining))
            if not data:
                break
            digest.update(data)
            remaining -= len(data)
        answer = (digest.hexdigest() + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


class Server(http.server.ThreadingHTTPServer):
    congestion_control = None

    def server_bind(self):
        if self.congestion_control:
            self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, self.congestion_control.encode())
        super().server_bind()


def main():
    if len(sys.argv) not in (3, 4) or not sys.argv[2].isdigit():
        print("usage: reference_http.py ADDRESS PORT [CONGESTION_CONTROL]", file=sys.stderr)
        return 2
    Server.congestion_control = sys.argv[3] if len(sys.argv) == 4 else None
    try:
        server = Server((sys.argv[1], int(sys.argv[2])), Handler)
    except OSError as error:
        print("reference_http.py: cannot listen on %s:%s%s: %s" % (sys.argv[1], sys.argv[2],
              " with congestion control " + Server.congestion_control if Server.congestion_control else "",
              error.strerror), file=sys.stderr)
        return 1
    print("ready", flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
