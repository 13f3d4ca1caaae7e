#!/usr/bin/env python3
"""Reads a pcapng that `ringstack journal export` wrote from a journaled `serve` session as a Wireshark user would,
with tshark, and prints one PASS or FAIL line per check (the format of probe.py):

* tshark reads the whole file;
* in the traffic with PEER, the Linux host on the TAP itself, every TCP frame tshark flags as a retransmission or a
  duplicate ACK is a packet of its own: none is a frame the export wrote twice (same sender, IP identification,
  sequence and acknowledgment numbers, length, flags and timestamp value). Real ones happen (50 concurrent echo
  connections overflow the kernel's backlog of a TAP, which drops frames the engine wrote), so they are counted
  in the detail, not refused;
* no TCP stream with PEER misses a segment (no "previous segment not captured", no "ACKed unseen segment");
  traffic with other hosts (the path-MTU check's, whose first full-size segments a router refused) is left out;
* the HTTP transfers with PEER follow end to end in tshark's HTTP object export: the download of SIZE bytes
  (/bytes/SIZE) has the SHA-256 of the pattern the service sends (byte i is i mod 251), and the upload of SIZE
  bytes (POST /sha256) has the SHA-256 the service answered with.

Usage: capture_check.py CAPTURE.pcapng --peer ADDRESS --size SIZE
"""
import argparse
import hashlib
import os
import subprocess
import tempfile

FLAGGED = ("tcp.analysis.retransmission || tcp.analysis.fast_retransmission || "
           "tcp.analysis.spurious_retransmission || tcp.analysis.duplicate_ack")
IDENTITY = ("ip.src", "ip.id", "tcp.srcport", "tcp.dstport", "tcp.seq_raw", "tcp.ack_raw", "tcp.len", "tcp.flags",
            "tcp.options.timestamp.tsval")
HOLES = {
    "previous segment not captured": "tcp.analysis.lost_segment",
    "ACKed unseen segment": "tcp.analysis.ack_lost_segment",
}
TIMEOUT_SECONDS = 120


def tshark(*arguments):
    result = subprocess.run(["tshark", *arguments], capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    return result.returncode, result.stdout, result.stderr.replace("Running as user \"root\" and group \"root\". "
                                                                  "This could be dangerous.\n", "")


def report(name, ok, detail):
    print("%s %s: %s" % ("PASS" if ok else "FAIL", name, detail), flush=True)


def fields(capture, display_filter, names):
    arguments = ["-r", capture, "-Y", display_filter, "-T", "fields"]
    for name in names:
        arguments += ["-e", name]
    code, out, err = tshark(*arguments)
    if code != 0:
        raise RuntimeError(err.strip() or "tshark exit %d" % code)
    return [tuple(line.split("\t")) for line in out.splitlines() if line.strip()]


def exported_once(capture, peer):
    """No flagged frame is a copy of an earlier frame: a copy has the same identity, a real resend a new IP id."""
    tcp = "ip.addr == %s && tcp" % peer
    flagged = fields(capture, "%s && (%s)" % (tcp, FLAGGED), ("frame.number",) + IDENTITY)
    identities = {}
    for frame in fields(capture, tcp, ("frame.number",) + IDENTITY):
        identities.setdefault(frame[1:], []).append(frame[0])
    copies = [frame[0] for frame in flagged if len(identities.get(frame[1:], ())) > 1]
    detail = "%d flagged as retransmission or duplicate ACK, %d of them copies of another frame" % (
        len(flagged), len(copies))
    if copies:
        detail += " (frames %s)" % ", ".join(copies[:10])
    return not copies, detail


def no_holes(capture, peer):
    counts = {name: len(fields(capture, "ip.addr == %s && %s" % (peer, field), ("frame.number",)))
              for name, field in HOLES.items()}
    return sum(counts.values()) == 0, ", ".join("%d %s" % (n, name) for name, n in counts.items())


def pattern_sha256(size):
    digest = hashlib.sha256()
    block = bytes(i % 251 for i in range(251 * 4096))
    left = size
    while left > 0:
        digest.update(block[:min(left, len(block))])
        left -= min(left, len(block))
    return digest.hexdigest()


def http_objects(capture, peer, directory):
    code, _, err = tshark("-r", capture, "-q", "-2", "-R", "ip.addr == %s" % peer, "--export-objects",
                          "http," + directory)
    if code != 0:
        raise RuntimeError(err.strip() or "tshark exit %d" % code)
    objects = {}
    for name in os.listdir(directory):
        with open(os.path.join(directory, name), "rb") as body:
            objects[name] = body.read()
    return objects


def download(objects, size):
    body = objects.get(str(size))
    if body is None:
        return False, "no body of GET /bytes/%d among %d objects" % (size, len(objects))
    same = len(body) == size and hashlib.sha256(body).hexdigest() == pattern_sha256(size)
    return same, "%d bytes, sha256 %s" % (len(body), "equal" if same else "DIFFERS")


def upload(objects, size):
    bodies = [body for name, body in objects.items() if name.startswith("sha256") and len(body) == size]
    answers = {body.strip().decode("ascii", "replace") for body in objects.values() if len(body.strip()) == 64}
    if len(bodies) != 1:
        return False, "%d bodies of POST /sha256 of %d bytes among %d objects" % (len(bodies), size, len(objects))
    digest = hashlib.sha256(bodies[0]).hexdigest()
    return digest in answers, "%d bytes, sha256 %s the answer" % (size, "equal to" if digest in answers else
                                                                   "NOT equal to")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("capture")
    parser.add_argument("--peer", required=True)
    parser.add_argument("--size", type=int, required=True)
    args = parser.parse_args()

    code, out, err = tshark("-r", args.capture, "-q", "-z", "io,stat,0")
    frames = next((line.split("|")[2].strip() for line in out.splitlines() if "<>" in line), "?")
    report("pcapng export read by tshark", code == 0, "%s frames" % frames if code == 0 else err.strip())
    if code != 0:
        return
    try:
        report("pcapng: no frame exported twice", *exported_once(args.capture, args.peer))
        report("pcapng: no TCP segment missing", *no_holes(args.capture, args.peer))
        with tempfile.TemporaryDirectory() as directory:
            objects = http_objects(args.capture, args.peer, directory)
        report("pcapng: HTTP GET %d bytes followed end to end (sha256)" % args.size,
               *download(objects, args.size))
        report("pcapng: HTTP POST %d bytes followed end to end (sha256)" % args.size,
               *upload(objects, args.size))
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        report("pcapng: tshark's analysis", False, str(error))


if __name__ == "__main__":
    main()
