#!/usr/bin/env python3
"""Reads a pcapng that `ringstack journal export` wrote from a journaled `serve` session as a Wireshark user would,
with tshark, and prints one PASS or FAIL line per check (the format of probe.py):

* tshark reads the whole file;
* its TCP analysis flags no retransmission, fast retransmission, spurious retransmission or duplicate ACK (the
  session ran over a clean TAP, so any such flag is a frame exported twice or out of order, not the network);
* no TCP stream misses a segment (no "previous segment not captured", no "ACKed unseen segment");
* the HTTP download of SIZE bytes follows end to end: tshark's HTTP object export holds a body of SIZE bytes whose
  SHA-256 is that of the pattern the service sends (byte i is i mod 251).

Usage: capture_check.py CAPTURE.pcapng --download-size SIZE
"""
import argparse
import hashlib
import os
import subprocess
import tempfile

FLAGS = {
    "retransmission": "tcp.analysis.retransmission",
    "fast retransmission": "tcp.analysis.fast_retransmission",
    "spurious retransmission": "tcp.analysis.spurious_retransmission",
    "duplicate ACK": "tcp.analysis.duplicate_ack",
}
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


def count(capture, display_filter):
    code, out, err = tshark("-r", capture, "-Y", display_filter, "-T", "fields", "-e", "frame.number")
    if code != 0:
        raise RuntimeError(err.strip() or "tshark exit %d" % code)
    return len([line for line in out.splitlines() if line.strip()])


def counted(capture, flags):
    counts = {name: count(capture, field) for name, field in flags.items()}
    detail = ", ".join("%d %s" % (n, name) for name, n in counts.items())
    return sum(counts.values()) == 0, detail


def pattern_sha256(size):
    digest = hashlib.sha256()
    block = bytes(i % 251 for i in range(251 * 4096))
    left = size
    while left > 0:
        digest.update(block[:min(left, len(block))])
        left -= min(left, len(block))
    return digest.hexdigest()


def download(capture, size):
    with tempfile.TemporaryDirectory() as objects:
        code, _, err = tshark("-r", capture, "-q", "--export-objects", "http," + objects)
        if code != 0:
            return False, err.strip() or "tshark exit %d" % code
        bodies = [os.path.join(objects, name) for name in os.listdir(objects)]
        sized = [path for path in bodies if os.path.getsize(path) == size]
        if not sized:
            return False, "no HTTP body of %d bytes among %d exported (largest %d bytes)" % (
                size, len(bodies), max((os.path.getsize(p) for p in bodies), default=0))
        expected = pattern_sha256(size)
        with open(sized[0], "rb") as body:
            actual = hashlib.sha256(body.read()).hexdigest()
        return actual == expected, "%d bytes, sha256 %s" % (size, "equal" if actual == expected else "DIFFERS")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("capture")
    parser.add_argument("--download-size", type=int, required=True)
    args = parser.parse_args()

    code, out, err = tshark("-r", args.capture, "-q", "-z", "io,stat,0")
    frames = next((line.split("|")[2].strip() for line in out.splitlines() if "<>" in line), "?")
    report("pcapng export read by tshark", code == 0, "%s frames" % frames if code == 0 else err.strip())
    if code != 0:
        return
    try:
        report("pcapng: no retransmission or duplicate ACK flagged", *counted(args.capture, FLAGS))
        report("pcapng: no TCP segment missing", *counted(args.capture, HOLES))
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        report("pcapng: TCP analysis", False, str(error))
    try:
        report("pcapng: HTTP GET %d bytes followed end to end (sha256)" % args.download_size,
               *download(args.capture, args.download_size))
    except subprocess.TimeoutExpired as error:
        report("pcapng: HTTP GET followed end to end", False, str(error))


if __name__ == "__main__":
    main()
