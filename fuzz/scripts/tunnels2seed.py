#!/usr/bin/env python3
"""Cuts samples/tunnels-mix.pcap into one packet_decoder seed per
encapsulation (its OPTIONS and 200 OK), so each new decoder has a small
seed of its own besides the whole-capture seed pcap2seed.py makes.

Seed format: see pcap2seed.py (byte 0 = link selector, then u16 BE length
+ frame per packet). The capture is Ethernet (selector 0). Frame numbers
below are those of tshark (1-based); the layouts are listed in
samples/README.md.

usage: tunnels2seed.py OUT_DIR [samples/tunnels-mix.pcap]
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pcap2seed import LINKS, packets  # noqa: E402

# name suffix -> frame numbers
GROUPS = [
    ("pppoe-ipv4", [1, 2]),          # PPPoE session 0x8864, PPP 0x0021
    ("pppoe-ipv6", [3, 4]),          # PPPoE session, PPP 0x0057
    ("mpls", [5, 6]),                # 0x8847, labels 100, 200
    ("vxlan", [7, 8]),               # UDP 4789, VNI 42
    ("geneve", [9, 10]),             # UDP 6081, one 8-byte option, Ethernet inside
    ("gre-ipv4", [11, 12]),          # plain GRE, IPv4 inside
    ("gre-csum-key-seq", [13, 14]),  # GRE flags C, K, S
    ("gre6-teb", [15, 16]),          # GRE over IPv6, 0x6558
    ("erspan2", [17, 18]),           # GRE 0x88BE
    ("erspan3", [19, 20]),           # GRE 0x22EB, platform subheader
    ("gre-ipv6-vxlan-vlan", [21, 22]),  # VLAN 300 in VXLAN in IPv6 in GRE
    ("not-sip", [23, 24]),           # PPPoE discovery PADI, PPTP GRE v1
]


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    out_dir = sys.argv[1]
    path = sys.argv[2] if len(sys.argv) == 3 else "samples/tunnels-mix.pcap"
    os.makedirs(out_dir, exist_ok=True)
    pkts = packets(path)
    stem = os.path.basename(path).split(".")[0]
    for suffix, frames in GROUPS:
        seed = bytearray([LINKS.index(1)])
        for n in frames:
            link, data = pkts[n - 1]
            assert link == 1, f"frame {n} is link type {link}, not Ethernet"
            seed += struct.pack(">H", len(data)) + data
        name = f"{stem}-{suffix}"
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(seed)
        print(f"{name}: {len(frames)} packets, {len(seed)} bytes")


if __name__ == "__main__":
    main()
