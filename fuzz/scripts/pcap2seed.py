#!/usr/bin/env python3
"""Converts a pcap or pcapng capture into packet_decoder seeds.

Seed format (read by fuzz_targets/packet_decoder.rs):
    byte 0     link type selector, an index into LINKS below
    repeated   u16 big-endian length, then that many bytes of packet data

A pcapng file with several link types gives one seed per link type.
Packets longer than 65535 bytes or of a link type the target does not
select are skipped.

usage: pcap2seed.py OUT_DIR CAPTURE...
"""
import os
import struct
import sys

# Same order as LINKS in fuzz_targets/packet_decoder.rs (tcpdump LINKTYPE_ numbers).
LINKS = [1, 113, 276, 101, 0, 108, 228, 229]
# BSD numbers for raw IP map onto RAW.
ALIASES = {12: 101, 14: 101}


def read_pcap(buf):
    magic = buf[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    else:
        raise ValueError("not a pcap file")
    link = struct.unpack(end + "I", buf[20:24])[0] & 0x0FFFFFFF
    off = 24
    while off + 16 <= len(buf):
        _, _, incl, _ = struct.unpack(end + "IIII", buf[off:off + 16])
        off += 16
        data = buf[off:off + incl]
        off += incl
        yield link, data


def read_pcapng(buf):
    off = 0
    end = "<"
    links = []
    while off + 12 <= len(buf):
        btype = struct.unpack(end + "I", buf[off:off + 4])[0]
        if btype == 0x0A0D0D0A:
            bom = buf[off + 8:off + 12]
            end = "<" if bom == b"\x4d\x3c\x2b\x1a" else ">"
            links = []
        blen = struct.unpack(end + "I", buf[off + 4:off + 8])[0]
        if blen < 12 or off + blen > len(buf):
            break
        body = buf[off + 8:off + blen - 4]
        if btype == 1:  # Interface Description Block
            links.append(struct.unpack(end + "H", body[:2])[0])
        elif btype == 6:  # Enhanced Packet Block
            iface, _, _, cap, _ = struct.unpack(end + "IIIII", body[:20])
            if iface < len(links):
                yield links[iface], body[20:20 + cap]
        elif btype == 3 and links:  # Simple Packet Block
            yield links[0], body[4:]
        off += blen


def packets(path):
    with open(path, "rb") as f:
        buf = f.read()
    if buf[:4] == b"\x0a\x0d\x0d\x0a":
        return list(read_pcapng(buf))
    return list(read_pcap(buf))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    for path in sys.argv[2:]:
        try:
            pkts = packets(path)
        except (ValueError, struct.error) as e:
            print(f"skip {path}: {e}", file=sys.stderr)
            continue
        by_link = {}
        for link, data in pkts:
            link = ALIASES.get(link, link)
            if link not in LINKS or len(data) > 0xFFFF:
                continue
            by_link.setdefault(link, []).append(data)
        stem = os.path.basename(path).split(".")[0]
        for link, datas in by_link.items():
            seed = bytearray([LINKS.index(link)])
            for d in datas:
                seed += struct.pack(">H", len(d)) + d
            name = stem if len(by_link) == 1 else f"{stem}-link{link}"
            with open(os.path.join(out_dir, name), "wb") as f:
                f.write(seed)
            print(f"{name}: {len(datas)} packets, {len(seed)} bytes")


if __name__ == "__main__":
    main()
