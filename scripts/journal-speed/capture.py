#!/usr/bin/env python3
"""Write a classic pcap (nanosecond timestamps, Ethernet) of N 60-byte UDP datagrams from 10.0.2.2 to 10.0.2.15
port 7, 1 us apart, each with its own IPv4 identification and a valid header checksum (UDP checksum 0: none), for
scripts/journal-speed.sh to import. Usage: capture.py FILE N"""
import struct
import sys

PCAP_NS_MAGIC = 0xA1B23C4D
LINKTYPE_ETHERNET = 1
ENGINE_MAC = bytes.fromhex("525400123456")
PEER_MAC = bytes.fromhex("525400abcdef")
SOURCE = bytes([10, 0, 2, 2])
DESTINATION = bytes([10, 0, 2, 15])
PAYLOAD = bytes(18)


def checksum(header):
    total = sum(struct.unpack("!%dH" % (len(header) // 2), header))
    total = (total & 0xFFFF) + (total >> 16)
    total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def main():
    if len(sys.argv) != 3 or not sys.argv[2].isdigit():
        sys.exit("usage: capture.py FILE N")
    count = int(sys.argv[2])
    with open(sys.argv[1], "wb") as out:
        out.write(struct.pack("<IHHiIII", PCAP_NS_MAGIC, 2, 4, 0, 0, 65535, LINKTYPE_ETHERNET))
        chunk = bytearray()
        for i in range(count):
            ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + 8 + len(PAYLOAD), i & 0xFFFF, 0, 64, 17, 0,
                                       SOURCE, DESTINATION))
            ip[10:12] = struct.pack("!H", checksum(bytes(ip)))
            udp = struct.pack("!HHHH", 40000 + (i & 1023), 7, 8 + len(PAYLOAD), 0)
            frame = ENGINE_MAC + PEER_MAC + b"\x08\x00" + bytes(ip) + udp + PAYLOAD
            time_ns = 1_000_000_000 + i * 1000
            chunk += struct.pack("<IIII", time_ns // 1_000_000_000, time_ns % 1_000_000_000, len(frame), len(frame))
            chunk += frame
            if len(chunk) >= 1 << 20:
                out.write(chunk)
                chunk = bytearray()
        out.write(chunk)


if __name__ == "__main__":
    main()
