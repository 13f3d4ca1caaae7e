#!/usr/bin/env python3
"""Linux-side checks of a ringstack engine, run inside the network namespace that holds the engine's TAP.

  probe.py serve  --target IP --stat 'CMD ...' --tap NAME --mac MAC
      checks `ringstack serve` from the Linux kernel: ping (also in fragments), UDP echo, TCP echo, 50 concurrent
      connections, HTTP GET and POST /sha256 with curl, ECN negotiated when Linux asks (RFC 3168), a closed TCP
      port, ICMP port unreachable, TTL, frames with bad checksums counted under their drop reasons.
  probe.py client --address IP --ringstack CMD --options 'OPTIONS ...' --journals DIR
      runs Linux servers and checks `ringstack connect` and `ringstack get` against them.
  probe.py pmtud  --target IP --mtu N [--expect-fail REASON]
      from behind a Linux router whose link to this namespace has MTU N, while this namespace still advertises
      an MSS for 1500 (route advmss): ping -M do of N and N+1 bytes, and an HTTP download that completes only if
      the engine lowers its segments on the router's ICMP fragmentation needed (RFC 1191). With --expect-fail a
      failing check prints `XFAIL name: detail (REASON)` and does not count as failed.

Prints one line per check, `PASS name: detail` or `FAIL name: detail`; exits 1 if any failed. Standard library only;
every wait has a deadline.
"""
import argparse
import hashlib
import http.server
import os
import re
import shlex
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

failures = 0
expected_failure = None


def report(name, ok, detail=""):
    global failures
    if ok:
        verdict = "PASS "
    elif expected_failure:
        verdict, detail = "XFAIL ", "%s (%s)" % (detail, expected_failure)
    else:
        verdict = "FAIL "
        failures += 1
    print(verdict + name + (": " + detail if detail else ""), flush=True)


def check(name, function):
    """Run one check; an exception is a FAIL with its message, never a traceback."""
    try:
        ok, detail = function()
    except Exception as ex:  # noqa: BLE001 - every failure is reported as one line
        ok, detail = False, "%s: %s" % (type(ex).__name__, ex)
    report(name, ok, detail)


def pattern(length):
    """Byte i is i mod 251, as the HTTP service's /bytes/N."""
    block = bytes(range(251))
    return (block * (length // 251 + 1))[:length]


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def ping(target, size, count=3):
    result = subprocess.run(["ping", "-n", "-c", str(count), "-i", "0.2", "-W", "3", "-s", str(size), target],
                            capture_output=True, text=True, timeout=30)
    received = re.search(r"(\d+) received", result.stdout)
    ttls = set(re.findall(r"ttl=(\d+)", result.stdout))
    ok = received is not None and int(received.group(1)) == count
    return ok, "%s of %d replies, ttl %s" % (received.group(1) if received else "no", count, ",".join(ttls) or "-"), ttls


def udp_echo(target, size):
    payload = os.urandom(size)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(3)
        s.setsockopt(socket.IPPROTO_IP, getattr(socket, "IP_RECVTTL", 12), 1)
        s.connect((target, 7))
        s.send(payload)
        data, ancillary, _, _ = s.recvmsg(70000, socket.CMSG_SPACE(4))
        ttl = [struct.unpack("i", c[2][:4])[0] for c in ancillary if c[1] == socket.IP_TTL]
    ok = data == payload and ttl == [64]
    return ok, "%d bytes back%s, ttl %s" % (len(data), "" if data == payload else " DIFFERENT", ttl)


def tcp_echo(target, size):
    payload = os.urandom(size)
    with socket.create_connection((target, 7), timeout=10) as s:
        sender = threading.Thread(target=lambda: (s.sendall(payload), s.shutdown(socket.SHUT_WR)), daemon=True)
        sender.start()
        received = bytearray()
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            received += chunk
        sender.join(10)
    return bytes(received) == payload, "%d of %d bytes back, sha256 %s" % (len(received), size,
                                                                         "equal" if received == payload else "DIFFERS")


def concurrent_echo(target, connections, size):
    results = [None] * connections

    def one(i):
        try:
            results[i] = tcp_echo(target, size)[0]
        except OSError as ex:
            results[i] = ex

    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    good = sum(1 for r in results if r is True)
    return good == connections, "%d of %d connections echoed %d bytes" % (good, connections, size)


def curl(args, timeout=60):
    result = subprocess.run(["curl", "-sS", "--max-time", str(timeout)] + args, capture_output=True, timeout=timeout + 5)
    return result.returncode, result.stdout, result.stderr.decode(errors="replace").strip()


def http_get(target, size, stall_seconds=None):
    """GET /bytes/SIZE; with stall_seconds, curl gives up once no byte came for that long."""
    stalled = [] if stall_seconds is None else ["--speed-limit", "1", "--speed-time", str(stall_seconds)]
    with tempfile.NamedTemporaryFile() as out:
        started = time.monotonic()
        code, _, err = curl(stalled + ["-o", out.name, "http://%s/bytes/%d" % (target, size)])
        seconds = time.monotonic() - started
        data = open(out.name, "rb").read()
    ok = code == 0 and sha256(data) == sha256(pattern(size))
    return ok, "%d bytes, sha256 %s, %.0f Mbit/s %s" % (len(data), "equal" if ok else "DIFFERS",
                                                      len(data) * 8 / seconds / 1e6, err)


def http_post(target, size):
    body = os.urandom(size)
    with tempfile.NamedTemporaryFile() as upload:
        upload.write(body)
        upload.flush()
        code, out, err = curl(["--data-binary", "@" + upload.name, "-H", "Content-Type: application/octet-stream",
                               "http://%s/sha256" % target])
    answer = out.decode(errors="replace").strip()
    return code == 0 and answer == sha256(body), "%d bytes up, answer %s %s" % (
        size, "equal" if answer == sha256(body) else repr(answer[:70]), err)


def closed_tcp_port(target):
    started = time.monotonic()
    try:
        socket.create_connection((target, 81), timeout=5).close()
        return False, "connected to a closed port"
    except ConnectionRefusedError:
        return time.monotonic() - started < 1, "refused after %.3f s" % (time.monotonic() - started)


def port_unreachable(target):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(3)
        s.connect((target, 9999))
        s.send(b"anyone?")
        try:
            s.recv(100)
            return False, "an answer from a closed port"
        except ConnectionRefusedError:
            return True, "ECONNREFUSED on the connected socket (ICMP port unreachable came)"


def counters(stat):
    output = subprocess.run(shlex.split(stat), capture_output=True, text=True, timeout=60).stdout
    values = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[-1].isdigit():
            label = parts[-2].split(":")[-1]
            values[label] = values.get(label, 0) + int(parts[-1])
    return values


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ipv4(source, destination, protocol, payload, corrupt_header=False):
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0x1234, 0, 64, protocol, 0,
                         socket.inet_aton(source), socket.inet_aton(destination))
    header_checksum = checksum(header) ^ (0x0101 if corrupt_header else 0)
    return header[:10] + struct.pack("!H", header_checksum) + header[12:] + payload


def bad_checksum_frames(tap, mac, source, target):
    """One frame per checksum the engine verifies, each wrong by one bit pattern, as (counter, frame)."""
    own = bytes.fromhex(open("/sys/class/net/%s/address" % tap).read().strip().replace(":", ""))
    ethernet = bytes.fromhex(mac.replace(":", "")) + own + b"\x08\x00"
    pseudo = socket.inet_aton(source) + socket.inet_aton(target)
    udp = struct.pack("!HHHH", 40000, 7, 12, 0) + b"ping"
    udp = udp[:6] + struct.pack("!H", checksum(pseudo + struct.pack("!BBH", 0, 17, 12) + udp) ^ 0x00FF) + udp[8:]
    tcp = struct.pack("!HHIIBBHHH", 40001, 7, 1, 0, 5 << 4, 0x02, 65535, 0, 0)
    tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + struct.pack("!BBH", 0, 6, 20) + tcp) ^ 0x00FF) + tcp[18:]
    icmp = struct.pack("!BBHHH", 8, 0, 0, 0x4242, 1) + b"bad"
    icmp = icmp[:2] + struct.pack("!H", checksum(icmp) ^ 0x00FF) + icmp[4:]
    return [("drop_ipv4_bad_checksum", ethernet + ipv4(source, target, 17, udp, corrupt_header=True)),
            ("drop_udp_bad_checksum", ethernet + ipv4(source, target, 17, udp)),
            ("drop_tcp_bad_checksum", ethernet + ipv4(source, target, 6, tcp)),
            ("drop_icmp_bad_checksum", ethernet + ipv4(source, target, 1, icmp))]


def bad_checksums(args):
    frames = bad_checksum_frames(args.tap, args.mac, args.source, args.target)
    before = counters(args.stat)
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as raw:
        raw.bind((args.tap, 0))
        for _, frame in frames:
            raw.send(frame.ljust(60, b"\0"))
    deadline = time.monotonic() + 10
    while True:
        after = counters(args.stat)
        deltas = {name: after.get(name, 0) - before.get(name, 0) for name, _ in frames}
        if all(d == 1 for d in deltas.values()) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    return all(d == 1 for d in deltas.values()), ", ".join("%s +%d" % item for item in deltas.items())


def fragments_counted(args):
    values = counters(args.stat)
    held, reassembled = values.get("rx_ipv4_fragments", 0), values.get("ipv4_reassembled", 0)
    return held > 0 and reassembled > 0, "rx_ipv4_fragments %d, ipv4_reassembled %d" % (held, reassembled)


def ecn_negotiated(args):
    """With net.ipv4.tcp_ecn=1 in this namespace Linux asks for ECN in its SYNs (RFC 3168 6.1.1); serve agrees."""
    setting = "/proc/sys/net/ipv4/tcp_ecn"
    before_setting = open(setting).read().strip()
    before = counters(args.stat).get("tcp_ecn_connections", 0)
    try:
        with open(setting, "w") as out:
            out.write("1")
        ok, detail = http_get(args.target, 1 << 20)
    finally:
        with open(setting, "w") as out:
            out.write(before_setting)
    gained = counters(args.stat).get("tcp_ecn_connections", 0) - before
    return ok and gained == 1, "tcp_ecn_connections +%d, %s" % (gained, detail)


def serve(args):
    t = args.target
    for size in (56, 1472, 3000, 65000):
        ok, detail, ttls = ping(t, size)
        report("ping -s %d" % size, ok, detail)
        if size == 56:
            report("ttl of replies", ttls == {"64"}, "ping replies carry ttl %s (64 expected)" % ",".join(ttls))
    for size in (1, 1472, 1473, 8972, 65507):
        check("udp echo %d bytes" % size, lambda: udp_echo(t, size))
    check("tcp echo 1 MiB", lambda: tcp_echo(t, 1 << 20))
    check("tcp echo 50 concurrent connections", lambda: concurrent_echo(t, 50, 64 * 1024))
    check("http GET 10 MiB (curl, sha256)", lambda: http_get(t, 10 << 20))
    check("http POST /sha256 10 MiB (curl)", lambda: http_post(t, 10 << 20))
    check("tcp ECN negotiated with a Linux client asking (tcp_ecn=1)", lambda: ecn_negotiated(args))
    check("closed tcp port refused at once", lambda: closed_tcp_port(t))
    check("icmp port unreachable", lambda: port_unreachable(t))
    check("fragments reassembled", lambda: fragments_counted(args))
    check("bad checksums counted", lambda: bad_checksums(args))


def ping_dont_fragment(target, size, mtu):
    """ping -M do of SIZE bytes: answered when it fits MTU, refused by this host's own stack when it does not."""
    result = subprocess.run(["ping", "-n", "-c", "2", "-i", "0.2", "-W", "3", "-M", "do", "-s", str(size), target],
                            capture_output=True, text=True, timeout=30)
    received = re.search(r"(\d+) received", result.stdout)
    answered = received is not None and int(received.group(1)) == 2
    fits = size + 28 <= mtu
    refused = "mtu=%d" % mtu in result.stdout + result.stderr
    detail = "%d-byte packets: %s" % (size + 28, "2 of 2 replies" if answered else "refused, mtu=%d" % mtu
                                      if refused else (received.group(1) if received else "no") + " of 2 replies")
    return (answered if fits else refused and not answered), detail


def pmtud(args):
    global expected_failure
    expected_failure = args.expect_fail
    t, mtu = args.target, args.mtu
    payload = mtu - 28
    check("pmtud ping -M do %d bytes through a %d-byte hop" % (mtu, mtu),
          lambda: ping_dont_fragment(t, payload, mtu))
    check("pmtud ping -M do %d bytes refused at the %d-byte hop" % (mtu + 1, mtu),
          lambda: ping_dont_fragment(t, payload + 1, mtu))
    check("pmtud http GET 10 MiB through a %d-byte hop (curl, sha256)" % mtu,
          lambda: http_get(t, 10 << 20, stall_seconds=8))


class Servers:
    """Linux's side for the client checks: TCP echo, a TCP source, UDP echo, and HTTP over a directory."""

    def __init__(self, address, directory):
        self.address = address
        self.download = os.urandom(1 << 20)
        self.tcp_echo = self._listen(7007, self._echo)
        self.tcp_source = self._listen(7008, lambda c: c.sendall(self.download))
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind((address, 7007))
        threading.Thread(target=self._udp_echo, daemon=True).start()
        handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=directory, **k)  # noqa: E731
        http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None
        self.http = http.server.ThreadingHTTPServer((address, 8080), handler)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def _listen(self, port, serve):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.address, port))
        listener.listen(8)

        def accept():
            while True:
                connection, _ = listener.accept()
                connection.settimeout(30)
                threading.Thread(target=lambda: self._close_after(connection, serve), daemon=True).start()

        threading.Thread(target=accept, daemon=True).start()
        return listener

    @staticmethod
    def _close_after(connection, serve):
        try:
            serve(connection)
        except OSError:
            pass
        finally:
            connection.close()

    @staticmethod
    def _echo(connection):
        while True:
            data = connection.recv(65536)
            if not data:
                return
            connection.sendall(data)

    def _udp_echo(self):
        while True:
            data, peer = self.udp.recvfrom(70000)
            self.udp.sendto(data, peer)


def ringstack(args, name, *command):
    journal = os.path.join(args.journals, name)
    full = (shlex.split(args.ringstack) + [command[0]] + shlex.split(args.options) +
            ["--journal", journal, "--timeout", "10"] + list(command[1:]))
    result = subprocess.run(full, capture_output=True, text=True, timeout=90)
    return result.returncode, result.stdout, result.stderr.strip()


def digests(output):
    return dict(re.findall(r"^(sent|received)\s+\d+ bytes, sha256 ([0-9a-f]{64})", output, re.M))


def echoed(code, out, err):
    d = digests(out)
    same = d.get("sent") is not None and d.get("sent") == d.get("received")
    return code == 0 and same, "exit %d, sha256 of what came back %s %s" % (code, "equal" if same else d, err)


def client(args):
    with tempfile.TemporaryDirectory() as directory:
        blob = os.urandom(10 << 20)
        with open(os.path.join(directory, "blob"), "wb") as f:
            f.write(blob)
        servers = Servers(args.address, directory)
        peer = args.address

        def connect_echo():
            code, out, err = ringstack(args, "connect-tcp", "connect", "--bytes", str(1 << 20), peer + ":7007")
            return echoed(code, out, err)

        def connect_source():
            code, out, err = ringstack(args, "connect-download", "connect", peer + ":7008")
            got = digests(out).get("received")
            return code == 0 and got == sha256(servers.download), "exit %d, received sha256 %s %s" % (
                code, "equal" if got == sha256(servers.download) else got, err)

        def connect_udp(size):
            code, out, err = ringstack(args, "connect-udp-%d" % size, "connect", "--udp", "--bytes", str(size),
                                       peer + ":7007")
            return echoed(code, out, err)

        def get():
            with tempfile.NamedTemporaryFile() as out_file:
                code, out, err = ringstack(args, "get", "get", "-o", out_file.name, "http://%s:8080/blob" % peer)
                saved = open(out_file.name, "rb").read()
            ok = code == 0 and saved == blob and sha256(blob) in out
            return ok, "exit %d, %d bytes, sha256 %s %s" % (code, len(saved), "equal" if ok else "DIFFERS", err)

        def refused():
            code, out, err = ringstack(args, "connect-refused", "connect", "--send", "x", peer + ":7009")
            return code == 1 and "ECONNREFUSED" in err, "exit %d, %s" % (code, err)

        def udp_refused():
            code, out, err = ringstack(args, "connect-udp-refused", "connect", "--udp", "--send", "x",
                                       peer + ":7010")
            one_line = len(err.splitlines()) == 1
            return code == 1 and "ECONNREFUSED" in err and one_line, "exit %d, %s%s" % (
                code, err, "" if one_line else " (expected one line)")

        check("ringstack connect tcp echo 1 MiB", connect_echo)
        check("ringstack connect tcp download 1 MiB", connect_source)
        check("ringstack connect udp 1472 bytes", lambda: connect_udp(1472))
        check("ringstack connect udp 8000 bytes (fragments)", lambda: connect_udp(8000))
        check("ringstack get 10 MiB (python http.server)", get)
        check("ringstack connect to a closed port refused", refused)
        check("ringstack connect --udp to a closed port refused", udp_refused)
        servers.http.shutdown()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--target", required=True)
    s.add_argument("--source", required=True)
    s.add_argument("--stat", required=True)
    s.add_argument("--tap", required=True)
    s.add_argument("--mac", required=True)
    c = sub.add_parser("client")
    c.add_argument("--address", required=True)
    c.add_argument("--ringstack", required=True)
    c.add_argument("--options", required=True)
    c.add_argument("--journals", required=True)
    p = sub.add_parser("pmtud")
    p.add_argument("--target", required=True)
    p.add_argument("--mtu", type=int, required=True)
    p.add_argument("--expect-fail", metavar="REASON")
    args = parser.parse_args()
    {"serve": serve, "client": client, "pmtud": pmtud}[args.mode](args)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
