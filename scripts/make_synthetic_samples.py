#!/usr/bin/env python3
"""make_synthetic_samples.py - write the hand-built SIP captures in samples/.

These are cases that no tool produces easily on a loopback interface
(fragments, VLAN tags, tunnels, odd link types, crafted TCP streams, SIP over
WebSocket, odd SIP syntax, pcapng with two link types, damaged files).
Every byte is built here with `struct`: no scapy, no randomness, fixed
timestamps (starting 2026-01-01T00:00:00Z), so running the script twice gives
byte-identical files. All addresses are documentation ones (192.0.2.0/24,
198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32); nothing is ever sent.

IPv4 header checksums and UDP/TCP checksums are computed and correct.

Three files are derived from a real capture (made by make-real-samples.sh),
and are only written when that capture exists:
  udp-invite-mix.pcap.gz, truncated-udp-invite-mix.pcap (and nothing else).

Usage: scripts/make_synthetic_samples.py [OUTDIR]   (default: samples/)
"""

import base64
import gzip
import hashlib
import io
import os
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "samples")

BASE_TS_US = 1767225600 * 1_000_000  # 2026-01-01T00:00:00Z, in microseconds

# link types
LINKTYPE_NULL = 0
LINKTYPE_ETHERNET = 1
LINKTYPE_RAW = 101
LINKTYPE_LINUX_SLL = 113

ETH_IPV4 = 0x0800
ETH_IPV6 = 0x86DD
ETH_VLAN = 0x8100
ETH_QINQ = 0x88A8

MAC_A = bytes.fromhex("020000000001")
MAC_B = bytes.fromhex("020000000002")


def b(x):
    return x.encode("utf-8") if isinstance(x, str) else bytes(x)


# --------------------------------------------------------------------------
# capture file writers

class Capture:
    """A list of packets (timestamp in microseconds, interface, bytes) with a
    clock that advances a little for every packet."""

    def __init__(self, start_us=BASE_TS_US):
        self.t = start_us
        self.packets = []

    def wait(self, ms):
        self.t += int(ms * 1000)

    def add(self, data, iface=0, dt_us=150):
        self.t += dt_us
        self.packets.append((self.t, iface, bytes(data)))


def write_pcap(path, linktype, packets, endian="<", nanos=False, snaplen=262144):
    """Classic libpcap file. endian '<' or '>' selects the byte order of the
    whole file; nanos selects the nanosecond magic (0xa1b23c4d)."""
    magic = 0xA1B23C4D if nanos else 0xA1B2C3D4
    out = io.BytesIO()
    out.write(struct.pack(endian + "IHHiIII", magic, 2, 4, 0, 0, snaplen, linktype))
    for ts_us, _iface, data in packets:
        sec, frac = divmod(ts_us, 1_000_000)
        if nanos:
            frac *= 1000
        out.write(struct.pack(endian + "IIII", sec, frac, len(data), len(data)))
        out.write(data)
    save(path, out.getvalue())


def _pcapng_opt(code, value):
    value = b(value)
    pad = (-len(value)) % 4
    return struct.pack("<HH", code, len(value)) + value + b"\0" * pad


def _pcapng_block(btype, body):
    body += b"\0" * ((-len(body)) % 4)
    total = 12 + len(body)
    return struct.pack("<II", btype, total) + body + struct.pack("<I", total)


def write_pcapng(path, interfaces, packets):
    """pcapng (little endian), one section. interfaces: list of
    (linktype, name, tsresol) where tsresol is the if_tsresol byte (6 = us,
    9 = ns)."""
    out = io.BytesIO()
    shb_opts = (_pcapng_opt(4, "sipview make_synthetic_samples.py")  # shb_userappl
                + _pcapng_opt(0, b""))
    out.write(_pcapng_block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) + shb_opts))
    for linktype, name, tsresol in interfaces:
        opts = _pcapng_opt(2, name) + _pcapng_opt(9, bytes([tsresol])) + _pcapng_opt(0, b"")
        out.write(_pcapng_block(1, struct.pack("<HHI", linktype, 0, 262144) + opts))
    for ts_us, iface, data in packets:
        units = ts_us * (10 ** (interfaces[iface][2] - 6))
        body = struct.pack("<IIIII", iface, units >> 32, units & 0xFFFFFFFF, len(data), len(data))
        body += data + b"\0" * ((-len(data)) % 4)
        out.write(_pcapng_block(6, body))
    save(path, out.getvalue())


def save(path, data):
    full = os.path.join(OUT, path)
    with open(full, "wb") as f:
        f.write(data)
    print(f"wrote {path} ({len(data)} bytes)")


# --------------------------------------------------------------------------
# protocol headers

def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ip4(a):
    return bytes(int(x) for x in a.split("."))


def ip6(a):
    # small IPv6 text -> 16 bytes (enough for the "::" forms used here)
    if "::" in a:
        head, tail = a.split("::")
        h = [int(x, 16) for x in head.split(":")] if head else []
        t = [int(x, 16) for x in tail.split(":")] if tail else []
        words = h + [0] * (8 - len(h) - len(t)) + t
    else:
        words = [int(x, 16) for x in a.split(":")]
    return struct.pack("!8H", *words)


def is6(a):
    return ":" in a


def ethernet(payload, ethertype, src=MAC_A, dst=MAC_B, vlans=()):
    """vlans: list of (tpid, vid) from outermost to innermost."""
    hdr = dst + src
    for tpid, vid in vlans:
        hdr += struct.pack("!HH", tpid, vid & 0x0FFF)
    return hdr + struct.pack("!H", ethertype) + payload


def ipv4(src, dst, proto, payload, ident=0, df=False, mf=False, frag_off8=0, ttl=64):
    flags = (0x4000 if df else 0) | (0x2000 if mf else 0) | (frag_off8 & 0x1FFF)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, flags, ttl, proto, 0,
                      ip4(src), ip4(dst))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def ipv6(src, dst, nh, payload, hlim=64, flow=0):
    return struct.pack("!IHBB16s16s", (6 << 28) | flow, len(payload), nh, hlim, ip6(src), ip6(dst)) + payload


def pseudo(src, dst, proto, length):
    if is6(src):
        return ip6(src) + ip6(dst) + struct.pack("!IxxxB", length, proto)
    return ip4(src) + ip4(dst) + struct.pack("!xBH", proto, length)


def udp(src, dst, sport, dport, payload):
    length = 8 + len(payload)
    hdr = struct.pack("!HHHH", sport, dport, length, 0)
    c = csum(pseudo(src, dst, 17, length) + hdr + payload) or 0xFFFF
    return struct.pack("!HHHH", sport, dport, length, c) + payload


TCP_FIN, TCP_SYN, TCP_RST, TCP_PSH, TCP_ACK = 1, 2, 4, 8, 16


def tcp(src, dst, sport, dport, seq, ack, flags, payload=b"", win=65535, options=b""):
    off = (20 + len(options)) // 4
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                      off << 4, flags, win, 0, 0) + options
    c = csum(pseudo(src, dst, 6, len(hdr) + len(payload)) + hdr + payload)
    return hdr[:16] + struct.pack("!H", c) + hdr[18:] + payload


def ip_packet(src, dst, proto, payload, ident=0, df=False):
    if is6(src):
        return ipv6(src, dst, proto, payload)
    return ipv4(src, dst, proto, payload, ident=ident, df=df)


def eth_ip(packet, src_mac=MAC_A, dst_mac=MAC_B, vlans=()):
    ethertype = ETH_IPV6 if packet[0] >> 4 == 6 else ETH_IPV4
    return ethernet(packet, ethertype, src_mac, dst_mac, vlans)


class Ident:
    """IPv4 identification counter."""

    def __init__(self, start):
        self.n = start

    def __call__(self):
        self.n += 1
        return self.n


# --------------------------------------------------------------------------
# SIP text

def sip(start, headers, body=b"", eol=b"\r\n", content_length=True):
    """Start line + header lines (str or bytes, each a whole line without
    the line ending) + blank line + body. Content-Length is appended unless
    content_length is False or a header already sets it."""
    lines = [b(start)] + [b(h) for h in headers]
    if content_length and not any(l.lower().startswith((b"content-length", b"l:")) for l in lines):
        lines.append(b"Content-Length: %d" % len(body))
    return eol.join(lines) + eol + eol + b(body)


def sdp(addr, sess_id, port=49170, extra=()):
    fam = "IP6" if is6(addr) else "IP4"
    lines = ["v=0", f"o=- {sess_id} {sess_id} IN {fam} {addr}", "s=sipview", f"c=IN {fam} {addr}",
             "t=0 0", f"m=audio {port} RTP/AVP 0 8 101", "a=rtpmap:0 PCMU/8000",
             "a=rtpmap:8 PCMA/8000", "a=rtpmap:101 telephone-event/8000", *extra, "a=sendrecv"]
    return ("\r\n".join(lines) + "\r\n").encode()


def big_sdp(addr, sess_id, size=3000):
    """An SDP body of about `size` bytes (a WebRTC-like offer full of ICE
    candidates), deterministic."""
    extra = ["a=ice-ufrag:sVw1", "a=ice-pwd:0123456789abcdefghijklmn",
             "a=fingerprint:sha-256 " + ":".join("%02X" % ((i * 37) & 0xFF) for i in range(32)),
             "a=setup:actpass", "a=mid:0", "a=rtcp-mux"]
    body = sdp(addr, sess_id, extra=extra)
    i = 1
    while len(body) < size:
        line = (f"a=candidate:{i} 1 udp {2130706431 - i} 198.51.100.{i % 250 + 1} "
                f"{50000 + i} typ host generation 0 network-id {i}\r\n").encode()
        body += line
        i += 1
    return body


def std_headers(method, cseq, callid, via, frm, to, contact=None, extra=()):
    h = [f"Via: {via}", "Max-Forwards: 70", f"From: {frm}", f"To: {to}", f"Call-ID: {callid}",
         f"CSeq: {cseq} {method}"]
    if contact:
        h.append(f"Contact: {contact}")
    return h + list(extra)


def response(code, reason, req_headers, to_tag=None, extra=(), body=b"", ctype=None):
    """Copy Via/From/To/Call-ID/CSeq from a request's header list."""
    h = []
    for line in req_headers:
        name = line.split(":", 1)[0].strip().lower()
        if name in ("via", "from", "call-id", "cseq"):
            h.append(line)
        elif name == "to":
            h.append(line + (f";tag={to_tag}" if to_tag and ";tag=" not in line else ""))
    if ctype:
        h.append(f"Content-Type: {ctype}")
    return sip(f"SIP/2.0 {code} {reason}", h + list(extra), body)


class UdpCall:
    """Helper to put SIP/UDP datagrams on a Capture between two hosts."""

    def __init__(self, cap, a, b_, aport=5060, bport=5060, wrap=None, ident=None):
        self.cap, self.a, self.b, self.aport, self.bport = cap, a, b_, aport, bport
        self.wrap = wrap or (lambda pkt, from_a: eth_ip(pkt, MAC_A if from_a else MAC_B,
                                                         MAC_B if from_a else MAC_A))
        self.ident = ident or Ident(0x1000)

    def send(self, msg, from_a=True, dt_us=150):
        s, d = (self.a, self.b) if from_a else (self.b, self.a)
        sp, dp = (self.aport, self.bport) if from_a else (self.bport, self.aport)
        pkt = ip_packet(s, d, 17, udp(s, d, sp, dp, msg), ident=self.ident())
        self.cap.add(self.wrap(pkt, from_a), dt_us=dt_us)


def options_pair(call, callid, tag, note):
    """OPTIONS from a to b and its 200 OK: two messages, one Call-ID."""
    a, b_ = call.a, call.b
    ah = f"[{a}]" if is6(a) else a
    bh = f"[{b_}]" if is6(b_) else b_
    req = std_headers("OPTIONS", 1, callid, f"SIP/2.0/UDP {ah}:{call.aport};branch=z9hG4bK-{tag}",
                      f"<sip:probe@{ah}>;tag={tag}-a", f"<sip:ping@{bh}>",
                      extra=[f"Subject: {note}", "Accept: application/sdp"])
    call.send(sip(f"OPTIONS sip:ping@{bh}:{call.bport} SIP/2.0", req))
    call.cap.wait(2)
    call.send(response(200, "OK", req, to_tag=f"{tag}-b",
                       extra=["Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE"]), from_a=False)
    call.cap.wait(20)


# --------------------------------------------------------------------------
# TCP stream builder

class TcpFlow:
    """A TCP connection on Ethernet between a client (C) and a server (S),
    with sequence/acknowledgement numbers tracked."""

    def __init__(self, cap, cip, sip_, cport, sport, cisn=1_000_000, sisn=3_000_000):
        self.cap = cap
        self.ip = {"C": cip, "S": sip_}
        self.port = {"C": cport, "S": sport}
        self.mac = {"C": MAC_A, "S": MAC_B}
        self.nxt = {"C": cisn, "S": sisn}        # next sequence number to send
        self.ident = {"C": Ident(0x2000), "S": Ident(0x6000)}

    @staticmethod
    def other(d):
        return "S" if d == "C" else "C"

    def pkt(self, d, flags, payload=b"", seq=None, options=b"", dt_us=100):
        o = self.other(d)
        seq = self.nxt[d] if seq is None else seq
        ack = self.nxt[o] if flags & TCP_ACK else 0
        seg = tcp(self.ip[d], self.ip[o], self.port[d], self.port[o], seq, ack, flags, payload,
                  options=options)
        pkt = ip_packet(self.ip[d], self.ip[o], 6, seg, ident=self.ident[d](), df=True)
        self.cap.add(eth_ip(pkt, self.mac[d], self.mac[o]), dt_us=dt_us)

    def handshake(self):
        mss = struct.pack("!BBH", 2, 4, 1460)
        self.pkt("C", TCP_SYN, options=mss)
        self.nxt["C"] += 1
        self.pkt("S", TCP_SYN | TCP_ACK, options=mss)
        self.nxt["S"] += 1
        self.pkt("C", TCP_ACK)

    def segments(self, d, data, sizes=None):
        """Split data into (seq, bytes) segments: sizes gives the lengths of
        the first segments, whatever is left makes one more segment. Sends
        nothing."""
        segs, pos, seq = [], 0, self.nxt[d]
        for n in (sizes or [len(data)]):
            if pos >= len(data):
                break
            segs.append((seq + pos, data[pos:pos + n]))
            pos += n
        if pos < len(data):
            segs.append((seq + pos, data[pos:]))
        return segs

    def send(self, d, data, sizes=None, order=None, ack=True, gap_us=100):
        """Send data from d, split by sizes, in the given order of segment
        indexes; the peer acknowledges everything at the end (and sends a
        duplicate ACK for every segment that arrives out of order)."""
        segs = self.segments(d, data, sizes)
        order = order if order is not None else range(len(segs))
        start, expected = self.nxt[d], self.nxt[d]
        received = set()
        for i in order:
            seq, chunk = segs[i]
            self.pkt(d, TCP_ACK | TCP_PSH, chunk, seq=seq, dt_us=gap_us)
            received.add(i)
            if seq != expected:
                # out of order: the receiver repeats its ACK for what it still expects
                o = self.other(d)
                saved = self.nxt[d]
                self.nxt[d] = expected
                self.pkt(o, TCP_ACK)
                self.nxt[d] = saved
            else:
                while True:
                    nxt_i = [j for j in received if segs[j][0] == expected]
                    if not nxt_i:
                        break
                    expected += len(segs[nxt_i[0]][1])
        self.nxt[d] = start + len(data)
        if ack:
            self.pkt(self.other(d), TCP_ACK)
        return segs

    def close(self):
        self.pkt("C", TCP_FIN | TCP_ACK)
        self.nxt["C"] += 1
        self.pkt("S", TCP_FIN | TCP_ACK)
        self.nxt["S"] += 1
        self.pkt("C", TCP_ACK)


# A small call used by the TCP cases: alice (client, 192.0.2.10) calls bob
# through the server at 192.0.2.20:5060 over one TCP connection.
TCP_C, TCP_S, TCP_CPORT, TCP_SPORT = "192.0.2.10", "192.0.2.20", 40001, 5060


def tcp_call_messages(tag):
    """INVITE/100/180/200/ACK (client) and BYE from the server side + 200."""
    callid = f"{tag}-1@sipview.test"
    via_c = f"SIP/2.0/TCP {TCP_C}:{TCP_CPORT};branch=z9hG4bK-{tag}-"
    via_s = f"SIP/2.0/TCP {TCP_S}:{TCP_SPORT};branch=z9hG4bK-{tag}-s"
    frm = f'"Alice" <sip:alice@sipview.test>;tag={tag}-a'
    to = "<sip:bob@sipview.test>"
    body = sdp(TCP_C, 4001)
    inv_h = std_headers("INVITE", 1, callid, via_c + "inv", frm, to,
                        f"<sip:alice@{TCP_C}:{TCP_CPORT};transport=tcp>",
                        [f"Subject: {tag}", "Content-Type: application/sdp"])
    m = {}
    m["invite"] = sip(f"INVITE sip:bob@{TCP_S}:{TCP_SPORT};transport=tcp SIP/2.0", inv_h, body)
    m["100"] = response(100, "Trying", inv_h)
    m["180"] = response(180, "Ringing", inv_h, to_tag=f"{tag}-b",
                        extra=[f"Contact: <sip:bob@{TCP_S}:{TCP_SPORT};transport=tcp>"])
    m["200"] = response(200, "OK", inv_h, to_tag=f"{tag}-b",
                        extra=[f"Contact: <sip:bob@{TCP_S}:{TCP_SPORT};transport=tcp>"],
                        body=sdp(TCP_S, 5001), ctype="application/sdp")
    to_b = f"{to};tag={tag}-b"
    m["ack"] = sip(f"ACK sip:bob@{TCP_S}:{TCP_SPORT};transport=tcp SIP/2.0",
                   std_headers("ACK", 1, callid, via_c + "ack", frm, to_b))
    # bob hangs up: a request from the server side of the connection
    bye_h = std_headers("BYE", 1, callid, via_s + "bye", to_b, frm)
    m["bye"] = sip(f"BYE sip:alice@{TCP_C}:{TCP_CPORT};transport=tcp SIP/2.0", bye_h)
    m["bye200"] = response(200, "OK", bye_h)
    return m


def make_tcp_samples():
    # 1. out-of-order segments, both directions
    cap = Capture()
    f = TcpFlow(cap, TCP_C, TCP_S, TCP_CPORT, TCP_SPORT)
    m = tcp_call_messages("tcp-ooo")
    f.handshake()
    cap.wait(5)
    f.send("C", m["invite"], sizes=[300, 250], order=[0, 2, 1])   # 3 segments: 1st, 3rd, 2nd
    f.send("S", m["100"])
    f.send("S", m["180"])
    cap.wait(200)
    f.send("S", m["200"], sizes=[200], order=[1, 0])               # 2 segments: 2nd, 1st
    f.send("C", m["ack"])
    cap.wait(1000)
    f.send("S", m["bye"], sizes=[120], order=[1, 0])
    f.send("C", m["bye200"])
    f.close()
    write_pcap("tcp-out-of-order.pcap", LINKTYPE_ETHERNET, cap.packets)

    # 2. retransmitted segments (same seq, same bytes), both directions
    cap = Capture()
    f = TcpFlow(cap, TCP_C, TCP_S, TCP_CPORT, TCP_SPORT)
    m = tcp_call_messages("tcp-retrans")
    f.handshake()
    cap.wait(5)
    segs = f.send("C", m["invite"], ack=False)          # the ACK is "lost"...
    cap.wait(200)
    f.pkt("C", TCP_ACK | TCP_PSH, segs[0][1], seq=segs[0][0])  # ...so the INVITE goes again
    f.pkt("S", TCP_ACK)
    f.send("S", m["100"])
    f.send("S", m["180"])
    cap.wait(200)
    segs = f.send("S", m["200"], ack=False)
    cap.wait(200)
    f.pkt("S", TCP_ACK | TCP_PSH, segs[0][1], seq=segs[0][0])  # 200 OK retransmitted
    f.pkt("C", TCP_ACK)
    f.send("C", m["ack"])
    cap.wait(1000)
    f.send("S", m["bye"])
    f.send("C", m["bye200"])
    f.close()
    write_pcap("tcp-retransmission.pcap", LINKTYPE_ETHERNET, cap.packets)

    # 3. several SIP messages in one segment, both directions
    cap = Capture()
    f = TcpFlow(cap, TCP_C, TCP_S, TCP_CPORT, TCP_SPORT)
    m = tcp_call_messages("tcp-multi")
    f.handshake()
    cap.wait(5)
    f.send("C", m["invite"])
    cap.wait(100)
    f.send("S", m["100"] + m["180"] + m["200"])        # three responses, one segment
    f.send("C", m["ack"])
    cap.wait(1000)
    # server: BYE; client: its 200 OK and a new OPTIONS in one segment
    opt_h = std_headers("OPTIONS", 1, "tcp-multi-2@sipview.test",
                        f"SIP/2.0/TCP {TCP_C}:{TCP_CPORT};branch=z9hG4bK-tcp-multi-opt",
                        "<sip:alice@sipview.test>;tag=tcp-multi-o", f"<sip:{TCP_S}>")
    opt = sip(f"OPTIONS sip:{TCP_S}:{TCP_SPORT};transport=tcp SIP/2.0", opt_h)
    f.send("S", m["bye"])
    f.send("C", m["bye200"] + opt)
    f.send("S", response(200, "OK", opt_h, to_tag="tcp-multi-s"))
    f.close()
    write_pcap("tcp-multi-message.pcap", LINKTYPE_ETHERNET, cap.packets)

    # 4. one message (with body) spread over many segments, both directions
    cap = Capture()
    f = TcpFlow(cap, TCP_C, TCP_S, TCP_CPORT, TCP_SPORT)
    m = tcp_call_messages("tcp-split")
    f.handshake()
    cap.wait(5)
    inv = m["invite"]
    hdr_end = inv.index(b"\r\n\r\n")
    # cut inside the start line, inside a header name, right between the
    # header block's CRLF CRLF, and inside the body
    cuts = [10, 60, 7, 150, hdr_end + 2 - 227, 2, 40, 90]
    f.send("C", inv, sizes=cuts)
    f.send("S", m["100"])
    f.send("S", m["180"])
    cap.wait(200)
    f.send("S", m["200"], sizes=[64, 64, 64, 64, 64, 64, 64])
    f.send("C", m["ack"], sizes=[1, 1, 1])
    cap.wait(1000)
    f.send("S", m["bye"])
    f.send("C", m["bye200"])
    f.close()
    write_pcap("tcp-split-message.pcap", LINKTYPE_ETHERNET, cap.packets)

    # 5. CRLF keep-alives (RFC 5626: CRLFCRLF ping, CRLF pong) between messages
    cap = Capture()
    f = TcpFlow(cap, TCP_C, TCP_S, TCP_CPORT, TCP_SPORT)
    m = tcp_call_messages("tcp-keepalive")
    f.handshake()
    cap.wait(5)
    f.send("C", b"\r\n\r\n")                          # ping before anything
    f.send("S", b"\r\n")                              # pong
    f.send("C", m["invite"])
    f.send("S", m["100"])
    f.send("S", b"\r\n\r\n" + m["180"])               # keep-alive glued in front of a message
    cap.wait(200)
    f.send("S", m["200"] + b"\r\n\r\n")               # ... and behind one
    f.send("C", m["ack"])
    cap.wait(500)
    f.send("C", b"\r\n\r\n")
    f.send("S", b"\r\n")
    cap.wait(500)
    f.send("S", b"\r\n\r\n")                          # server pings too
    f.send("C", b"\r\n")
    f.send("S", m["bye"])
    f.send("C", m["bye200"])
    f.close()
    write_pcap("tcp-keepalive.pcap", LINKTYPE_ETHERNET, cap.packets)

    make_tcp_hostile_framing_sample()


def make_tcp_hostile_framing_sample():
    """Two connections whose first message breaks the framing: a 100 KB
    header line, then a Content-Length of 999999999 with no body. Three
    OPTIONS follow on each; all six must be found (the two cut INVITEs are
    kept as malformed)."""
    cap = Capture()

    def options(tag, i, cport):
        h = std_headers("OPTIONS", i, f"{tag}-opt-{i}@sipview.test",
                        f"SIP/2.0/TCP {TCP_C}:{cport};branch=z9hG4bK-{tag}-{i}",
                        f"<sip:alice@sipview.test>;tag={tag}-{i}", f"<sip:{TCP_S}>")
        return sip(f"OPTIONS sip:{TCP_S}:{TCP_SPORT};transport=tcp SIP/2.0", h)

    def connection(tag, cport, first):
        f = TcpFlow(cap, TCP_C, TCP_S, cport, TCP_SPORT)
        f.handshake()
        cap.wait(5)
        data = first + b"".join(options(tag, i, cport) for i in range(1, 4))
        f.send("C", data, sizes=[1400] * (len(data) // 1400))
        cap.wait(100)
        f.close()

    inv_h = std_headers("INVITE", 1, "long-line-1@sipview.test",
                        f"SIP/2.0/TCP {TCP_C}:40011;branch=z9hG4bK-long-line",
                        "<sip:alice@sipview.test>;tag=long-line", "<sip:bob@sipview.test>",
                        extra=["X-Padding: " + "a" * 100_000])
    connection("long-line", 40011,
               sip(f"INVITE sip:bob@{TCP_S}:{TCP_SPORT};transport=tcp SIP/2.0", inv_h))
    liar_h = std_headers("INVITE", 1, "lying-length-1@sipview.test",
                         f"SIP/2.0/TCP {TCP_C}:40012;branch=z9hG4bK-lying-length",
                         "<sip:alice@sipview.test>;tag=lying-length", "<sip:bob@sipview.test>",
                         extra=["Content-Length: 999999999"])
    connection("lying-length", 40012,
               sip(f"INVITE sip:bob@{TCP_S}:{TCP_SPORT};transport=tcp SIP/2.0", liar_h))
    write_pcap("tcp-hostile-framing.pcap", LINKTYPE_ETHERNET, cap.packets)


# --------------------------------------------------------------------------
# SIP over WebSocket (RFC 7118)

def ws_frame(payload, opcode=1, mask=None):
    payload = b(payload)
    n = len(payload)
    h = bytes([0x80 | opcode])
    mbit = 0x80 if mask else 0
    if n < 126:
        h += bytes([mbit | n])
    elif n < 65536:
        h += bytes([mbit | 126]) + struct.pack("!H", n)
    else:
        h += bytes([mbit | 127]) + struct.pack("!Q", n)
    if mask:
        h += mask
        payload = bytes(c ^ mask[i % 4] for i, c in enumerate(payload))
    return h + payload


def digest_response(user, realm, password, method, uri, nonce, nc, cnonce, qop="auth"):
    md5 = lambda s: hashlib.md5(s.encode()).hexdigest()
    ha1 = md5(f"{user}:{realm}:{password}")
    ha2 = md5(f"{method}:{uri}")
    return md5(f"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}")


def make_websocket_sample():
    cap = Capture()
    cip, sip_, cport, sport = "192.0.2.50", "198.51.100.80", 52000, 80
    f = TcpFlow(cap, cip, sip_, cport, sport, cisn=7_000_000, sisn=9_000_000)
    f.handshake()
    cap.wait(5)
    key = base64.b64encode(bytes(range(1, 17))).decode()
    accept = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode())
                              .digest()).decode()
    upgrade = ("GET /sip HTTP/1.1\r\nHost: ws.sipview.test\r\nUpgrade: websocket\r\n"
               "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\n"
               "Origin: https://phone.sipview.test\r\nSec-WebSocket-Protocol: sip\r\n"
               "Sec-WebSocket-Version: 13\r\n\r\n")
    f.send("C", upgrade.encode())
    switch = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Accept: " + accept + "\r\nSec-WebSocket-Protocol: sip\r\n\r\n")
    f.send("S", switch.encode())
    cap.wait(10)

    masks = iter([bytes([0x11 * i & 0xFF, 0x22, 0x33 + i, 0x44 ^ i]) for i in range(1, 30)])
    cws = lambda msg: ws_frame(msg, mask=next(masks))      # client frames are masked
    sws = lambda msg: ws_frame(msg)                        # server frames are not

    inv_host = "df7jal23ls0d.invalid"                      # RFC 7118 style Via host
    via = f"SIP/2.0/WS {inv_host};branch=z9hG4bK-ws-"
    contact = f"<sip:alice@{inv_host};transport=ws>"
    realm, nonce, cnonce = "sipview.test", "ws-nonce-3f2a1b", "0a4f113b"

    # REGISTER -> 401 -> REGISTER(auth) -> 200
    callid = "ws-reg-1@sipview.test"
    frm, to = "<sip:alice@sipview.test>;tag=ws-reg-a", "<sip:alice@sipview.test>"
    r1 = std_headers("REGISTER", 1, callid, via + "reg1", frm, to, contact,
                     ["Expires: 600", "User-Agent: sipview-samples websocket"])
    f.send("C", cws(sip("REGISTER sip:sipview.test SIP/2.0", r1)))
    f.send("S", sws(response(401, "Unauthorized", r1, to_tag="ws-reg-s", extra=[
        f'WWW-Authenticate: Digest realm="{realm}", nonce="{nonce}", algorithm=MD5, qop="auth"'])))
    resp = digest_response("alice", realm, "secret-alice", "REGISTER", "sip:sipview.test", nonce,
                           "00000001", cnonce)
    r2 = std_headers("REGISTER", 2, callid, via + "reg2", frm, to, contact, [
        f'Authorization: Digest username="alice", realm="{realm}", nonce="{nonce}", '
        f'uri="sip:sipview.test", response="{resp}", algorithm=MD5, cnonce="{cnonce}", '
        'qop=auth, nc=00000001',
        "Expires: 600", "User-Agent: sipview-samples websocket"])
    f.send("C", cws(sip("REGISTER sip:sipview.test SIP/2.0", r2)))
    f.send("S", sws(response(200, "OK", r2, to_tag="ws-reg-s",
                             extra=[f"Contact: {contact};expires=600"])))
    cap.wait(500)

    # server pings, client pongs (control frames, no SIP)
    f.send("S", ws_frame(b"ka", opcode=9))
    f.send("C", ws_frame(b"ka", opcode=10, mask=next(masks)))
    cap.wait(500)

    # INVITE (16-bit payload length, frame split over two TCP segments)
    callid = "ws-call-1@sipview.test"
    frm, to = '"Alice" <sip:alice@sipview.test>;tag=ws-inv-a', "<sip:bob@sipview.test>"
    inv = std_headers("INVITE", 1, callid, via + "inv", frm, to,
                      f"<sip:alice@{inv_host};transport=ws;ob>",
                      ["Content-Type: application/sdp"])
    frame = cws(sip("INVITE sip:bob@sipview.test SIP/2.0", inv, sdp("192.0.2.50", 7001)))
    f.send("C", frame, sizes=[300])
    bc = ["Contact: <sip:bob@198.51.100.80:80;transport=ws>"]
    f.send("S", sws(response(100, "Trying", inv)))
    cap.wait(100)
    # 180 and 200 in one TCP segment (two WebSocket frames)
    f.send("S", sws(response(180, "Ringing", inv, to_tag="ws-inv-b", extra=bc))
           + sws(response(200, "OK", inv, to_tag="ws-inv-b", extra=bc, body=sdp("198.51.100.80", 8001),
                          ctype="application/sdp")))
    to_b = to + ";tag=ws-inv-b"
    f.send("C", cws(sip("ACK sip:bob@198.51.100.80:80;transport=ws SIP/2.0",
                        std_headers("ACK", 1, callid, via + "ack", frm, to_b))))
    cap.wait(1000)
    bye = std_headers("BYE", 2, callid, via + "bye", frm, to_b)
    f.send("C", cws(sip("BYE sip:bob@198.51.100.80:80;transport=ws SIP/2.0", bye)))
    f.send("S", sws(response(200, "OK", bye)))
    cap.wait(100)
    # close handshake (status 1000), then TCP FIN
    f.send("C", ws_frame(struct.pack("!H", 1000), opcode=8, mask=next(masks)))
    f.send("S", ws_frame(struct.pack("!H", 1000), opcode=8))
    f.close()
    write_pcap("websocket-sip.pcap", LINKTYPE_ETHERNET, cap.packets)


# --------------------------------------------------------------------------
# fragments

def make_fragment_samples():
    # IPv4: INVITE (~3.4 KB) in 3 fragments in order, 100, 200 OK (~3.3 KB)
    # in 3 fragments sent last-first-middle, ACK.
    cap = Capture()
    a, b_ = "192.0.2.10", "192.0.2.20"
    ident = Ident(0x3000)
    callid = "frag4-1@sipview.test"
    frm, to = '"Alice" <sip:alice@sipview.test>;tag=frag4-a', "<sip:bob@sipview.test>"
    inv = std_headers("INVITE", 1, callid, f"SIP/2.0/UDP {a}:5060;branch=z9hG4bK-frag4-inv", frm, to,
                      f"<sip:alice@{a}:5060>", ["Subject: big SDP, IPv4 fragments",
                                               "Content-Type: application/sdp"])
    msgs = [
        (True, sip(f"INVITE sip:bob@{b_}:5060 SIP/2.0", inv, big_sdp(a, 4101)), None),
        (False, response(100, "Trying", inv), None),
        (False, response(200, "OK", inv, to_tag="frag4-b", extra=[f"Contact: <sip:bob@{b_}:5060>"],
                         body=big_sdp(b_, 4201, 2900), ctype="application/sdp"), [2, 0, 1]),
        (True, sip(f"ACK sip:bob@{b_}:5060 SIP/2.0",
                   std_headers("ACK", 1, callid, f"SIP/2.0/UDP {a}:5060;branch=z9hG4bK-frag4-ack",
                               frm, to + ";tag=frag4-b")), None),
    ]
    for from_a, msg, order in msgs:
        s, d = (a, b_) if from_a else (b_, a)
        dgram = udp(s, d, 5060, 5060, msg)
        i = ident()
        if len(dgram) <= 1480:
            pkts = [ipv4(s, d, 17, dgram, ident=i)]
        else:
            pkts = []
            for off in range(0, len(dgram), 1480):
                chunk = dgram[off:off + 1480]
                pkts.append(ipv4(s, d, 17, chunk, ident=i, mf=off + 1480 < len(dgram), frag_off8=off // 8))
        for k in (order or range(len(pkts))):
            cap.add(eth_ip(pkts[k], MAC_A if from_a else MAC_B, MAC_B if from_a else MAC_A))
        cap.wait(50)
    write_pcap("ipv4-fragmented-udp.pcap", LINKTYPE_ETHERNET, cap.packets)

    # IPv6: INVITE in 3 fragments (Fragment extension header), sent 2nd, 3rd,
    # 1st; 200 OK unfragmented; ACK.
    cap = Capture()
    a, b_ = "2001:db8::10", "2001:db8::20"
    callid = "frag6-1@sipview.test"
    frm, to = '"Alice" <sip:alice@sipview.test>;tag=frag6-a', "<sip:bob@sipview.test>"
    inv = std_headers("INVITE", 1, callid, f"SIP/2.0/UDP [{a}]:5060;branch=z9hG4bK-frag6-inv", frm, to,
                      f"<sip:alice@[{a}]:5060>", ["Subject: big SDP, IPv6 fragments",
                                                 "Content-Type: application/sdp"])
    dgram = udp(a, b_, 5060, 5060, sip(f"INVITE sip:bob@[{b_}]:5060 SIP/2.0", inv, big_sdp(a, 6101)))
    step = 1232                         # 1280 - 40 (IPv6) - 8 (Fragment header)
    frags = []
    for off in range(0, len(dgram), step):
        more = off + step < len(dgram)
        fh = struct.pack("!BBHI", 17, 0, (off // 8) << 3 | (1 if more else 0), 0x0000F6F6)
        frags.append(ipv6(a, b_, 44, fh + dgram[off:off + step]))
    for k in [1, 2, 0]:
        cap.add(eth_ip(frags[k]))
    cap.wait(5)
    call = UdpCall(cap, a, b_)
    call.send(response(200, "OK", inv, to_tag="frag6-b", extra=[f"Contact: <sip:bob@[{b_}]:5060>"],
                       body=sdp(b_, 6201), ctype="application/sdp"), from_a=False)
    call.send(sip(f"ACK sip:bob@[{b_}]:5060 SIP/2.0",
                  std_headers("ACK", 1, callid, f"SIP/2.0/UDP [{a}]:5060;branch=z9hG4bK-frag6-ack",
                              frm, to + ";tag=frag6-b")))
    write_pcap("ipv6-fragmented-udp.pcap", LINKTYPE_ETHERNET, cap.packets)


# --------------------------------------------------------------------------
# encapsulations and link types

def make_encapsulation_samples():
    # 802.1Q and QinQ
    cap = Capture()
    ident = Ident(0x4000)
    vlan = lambda tags: (lambda pkt, from_a: eth_ip(pkt, MAC_A if from_a else MAC_B,
                                                   MAC_B if from_a else MAC_A, tags))
    options_pair(UdpCall(cap, "192.0.2.10", "192.0.2.20", wrap=vlan([(ETH_VLAN, 100)]), ident=ident),
                 "vlan-1@sipview.test", "vlan1", "802.1Q VLAN 100")
    options_pair(UdpCall(cap, "192.0.2.11", "192.0.2.21",
                         wrap=vlan([(ETH_QINQ, 200), (ETH_VLAN, 300)]), ident=ident),
                 "qinq-1@sipview.test", "qinq1", "QinQ 802.1ad outer 200, 802.1Q inner 300")
    options_pair(UdpCall(cap, "2001:db8::11", "2001:db8::21", wrap=vlan([(ETH_VLAN, 101)])),
                 "vlan6-1@sipview.test", "vlan6", "IPv6 in 802.1Q VLAN 101")
    write_pcap("vlan-qinq.pcap", LINKTYPE_ETHERNET, cap.packets)

    # LINKTYPE_RAW: IPv4 and IPv6 packets without any link header
    cap = Capture()
    raw = lambda pkt, from_a: pkt
    options_pair(UdpCall(cap, "192.0.2.10", "192.0.2.20", wrap=raw), "raw4-1@sipview.test", "raw4",
                 "raw IPv4")
    options_pair(UdpCall(cap, "2001:db8::10", "2001:db8::20", wrap=raw), "raw6-1@sipview.test", "raw6",
                 "raw IPv6")
    write_pcap("raw-ip.pcap", LINKTYPE_RAW, cap.packets)

    # LINKTYPE_NULL: 4-byte address family in the writer's (= file's) byte
    # order: AF_INET = 2; AF_INET6 = 24 (NetBSD/OpenBSD), 28 (FreeBSD),
    # 30 (macOS).
    for endian, name, fams in (("<", "null-loopback.pcap", (24, 28, 30)),
                               (">", "null-loopback-be.pcap", (30,))):
        cap = Capture()
        null = lambda fam: (lambda pkt, from_a: struct.pack(endian + "I", fam) + pkt)
        options_pair(UdpCall(cap, "127.0.0.1", "127.0.0.1", 5061, 5060, wrap=null(2)),
                     "null4-1@sipview.test", "null4", "BSD loopback, AF_INET=2")
        for fam in fams:
            options_pair(UdpCall(cap, "::1", "::1", 5061, 5060, wrap=null(fam)),
                         f"null6-{fam}@sipview.test", f"null6-{fam}", f"BSD loopback, AF_INET6={fam}")
        write_pcap(name, LINKTYPE_NULL, cap.packets, endian=endian)

    # IPv6 with hop-by-hop (router alert + PadN) and destination options
    # (PadN) headers before UDP; written as a nanosecond-resolution pcap.
    cap = Capture()

    def ext6(pkt, from_a):
        # rebuild the IPv6 packet: 0 (HBH) -> 60 (DstOpts) -> 17 (UDP)
        src, dst, payload = pkt[8:24], pkt[24:40], pkt[40:]
        hbh = struct.pack("!BB", 60, 0) + bytes([5, 2, 0, 0]) + bytes([1, 0])
        dsto = struct.pack("!BB", 17, 0) + bytes([1, 4, 0, 0, 0, 0])
        body = hbh + dsto + payload
        v6 = struct.pack("!IHBB", 6 << 28, len(body), 0, 64) + src + dst + body
        return eth_ip(v6, MAC_A if from_a else MAC_B, MAC_B if from_a else MAC_A)

    options_pair(UdpCall(cap, "2001:db8::10", "2001:db8::20", wrap=ext6), "ext6-1@sipview.test", "ext6",
                 "IPv6 hop-by-hop + destination options")
    write_pcap("ipv6-ext-headers.pcap", LINKTYPE_ETHERNET, cap.packets, nanos=True)

    # tunnels: IPv4-in-IPv4 (protocol 4) and IPv6-in-IPv4 (protocol 41)
    cap = Capture()
    outer = Ident(0x5000)

    def tunnel(proto):
        def w(pkt, from_a):
            s, d = ("203.0.113.1", "203.0.113.2") if from_a else ("203.0.113.2", "203.0.113.1")
            return eth_ip(ipv4(s, d, proto, pkt, ident=outer()), MAC_A if from_a else MAC_B,
                          MAC_B if from_a else MAC_A)
        return w

    options_pair(UdpCall(cap, "192.0.2.10", "192.0.2.20", wrap=tunnel(4)), "ipip-1@sipview.test", "ipip",
                 "IPv4 in IPv4 (proto 4)")
    options_pair(UdpCall(cap, "2001:db8::10", "2001:db8::20", wrap=tunnel(41)), "6in4-1@sipview.test",
                 "6in4", "IPv6 in IPv4 (proto 41)")
    write_pcap("tunnel-ipip-6in4.pcap", LINKTYPE_ETHERNET, cap.packets)

    # mirrored and carrier encapsulations: one OPTIONS pair in each
    # (tunnels-mix.pcap); header layouts from RFC 2516 (PPPoE), RFC 3032
    # (MPLS), RFC 7348 (VXLAN), RFC 8926 (Geneve), RFC 2784/2890 (GRE) and
    # the ERSPAN type II / III drafts.
    cap = Capture()
    outer = Ident(0x6000)

    def eth(payload, ethertype, from_a):
        return ethernet(payload, ethertype, MAC_A if from_a else MAC_B, MAC_B if from_a else MAC_A)

    def outer_udp(dport, header):
        def w(pkt, from_a):
            frame = eth_ip(pkt, MAC_A if from_a else MAC_B, MAC_B if from_a else MAC_A)
            s, d = ("198.51.100.1", "198.51.100.2") if from_a else ("198.51.100.2", "198.51.100.1")
            return eth_ip(ipv4(s, d, 17, udp(s, d, 49152, dport, header + frame), ident=outer()))
        return w

    def outer_gre(proto, flags=0, extra=b"", inner_eth=False, v6=False):
        def w(pkt, from_a):
            inner = eth_ip(pkt, MAC_A if from_a else MAC_B, MAC_B if from_a else MAC_A) if inner_eth else pkt
            gre = struct.pack("!HH", flags, proto) + extra + inner
            if flags & 0x8000:   # checksum over the whole GRE packet, field zeroed
                gre = gre[:4] + struct.pack("!H", csum(gre)) + gre[6:]
            if v6:
                s, d = ("2001:db8:ff::1", "2001:db8:ff::2") if from_a else ("2001:db8:ff::2", "2001:db8:ff::1")
                return eth_ip(ipv6(s, d, 47, gre))
            s, d = ("198.51.100.1", "198.51.100.2") if from_a else ("198.51.100.2", "198.51.100.1")
            return eth_ip(ipv4(s, d, 47, gre, ident=outer()))
        return w

    def pppoe(pkt, from_a):
        proto = 0x0057 if pkt[0] >> 4 == 6 else 0x0021
        return eth(struct.pack("!BBHHH", 0x11, 0, 0x1234, len(pkt) + 2, proto) + pkt, 0x8864, from_a)

    def mpls(pkt, from_a):
        labels = struct.pack("!II", (100 << 12) | (0 << 9) | 64, (200 << 12) | (1 << 8) | 64)
        return eth(labels + pkt, 0x8847, from_a)

    vxlan_hdr = struct.pack("!II", 0x08000000, 42 << 8)
    # opt_len 2 words: one option (4-byte header, 4 bytes of data)
    geneve_hdr = struct.pack("!BBHI", 2, 0, 0x6558, 42 << 8) + struct.pack("!HBB", 0x0101, 0x01, 1) + b"\0\0\0\0"

    def vlan_in_vxlan_in_v6_in_gre(pkt, from_a):
        frame = ethernet(pkt, ETH_IPV4, MAC_A, MAC_B, [(ETH_VLAN, 300)])
        s6, d6 = ("2001:db8:aa::1", "2001:db8:aa::2") if from_a else ("2001:db8:aa::2", "2001:db8:aa::1")
        v6 = ipv6(s6, d6, 17, udp(s6, d6, 49153, 4789, vxlan_hdr + frame))
        s, d = ("198.51.100.1", "198.51.100.2") if from_a else ("198.51.100.2", "198.51.100.1")
        return eth_ip(ipv4(s, d, 47, struct.pack("!HH", 0, ETH_IPV6) + v6, ident=outer()))

    erspan2 = struct.pack("!HHI", 0x1001, 0x0000, 7)               # ver 1, VLAN 1; index 7
    erspan3 = struct.pack("!HHI", 0x2001, 0x0000, 0x12345678) + struct.pack("!I", 0x00000001)  # O flag set
    erspan3_sub = struct.pack("!II", 0x01000000, 0)                # platform subheader
    cases = [
        ("pppoe", "192.0.2.30", "192.0.2.31", pppoe, "PPPoE session, PPP IPv4"),
        ("pppoe6", "2001:db8::30", "2001:db8::31", pppoe, "PPPoE session, PPP IPv6"),
        ("mpls", "192.0.2.32", "192.0.2.33", mpls, "MPLS, two labels"),
        ("vxlan", "192.0.2.34", "192.0.2.35", outer_udp(4789, vxlan_hdr), "VXLAN VNI 42"),
        ("geneve", "192.0.2.36", "192.0.2.37", outer_udp(6081, geneve_hdr), "Geneve with one option"),
        ("gre", "192.0.2.38", "192.0.2.39", outer_gre(ETH_IPV4), "GRE, IPv4 inside"),
        ("grekey", "192.0.2.40", "192.0.2.41",
         outer_gre(ETH_IPV4, 0xB000, struct.pack("!HHII", 0, 0, 5, 9)), "GRE with checksum, key, sequence"),
        ("gre6teb", "192.0.2.42", "192.0.2.43", outer_gre(0x6558, inner_eth=True, v6=True),
         "GRE over IPv6, transparent Ethernet bridging"),
        ("erspan2", "192.0.2.44", "192.0.2.45",
         outer_gre(0x88BE, 0x1000, struct.pack("!I", 1) + erspan2, inner_eth=True), "ERSPAN type II"),
        ("erspan3", "192.0.2.46", "192.0.2.47",
         outer_gre(0x22EB, 0x1000, struct.pack("!I", 1) + erspan3 + erspan3_sub, inner_eth=True),
         "ERSPAN type III with platform subheader"),
        ("nested", "192.0.2.48", "192.0.2.49", vlan_in_vxlan_in_v6_in_gre, "VLAN in VXLAN in IPv6 in GRE"),
    ]
    for tag, a, b_, wrap, note in cases:
        options_pair(UdpCall(cap, a, b_, wrap=wrap), f"{tag}-1@sipview.test", tag, note)
    # not SIP: a PPPoE discovery frame (PADI) and a GRE packet of PPTP's
    # enhanced GRE (version 1), counted, not decoded
    cap.add(eth(struct.pack("!BBHH", 0x11, 0x09, 0, 4) + struct.pack("!HH", 0x0101, 0), 0x8863, True))
    cap.add(eth_ip(ipv4("198.51.100.1", "198.51.100.2", 47, struct.pack("!HHHH", 0x2001, 0x880B, 0, 0),
                        ident=outer())))
    write_pcap("tunnels-mix.pcap", LINKTYPE_ETHERNET, cap.packets)

    # pcapng with two interfaces of different link types: 0 = Ethernet (us),
    # 1 = Linux cooked v1 (ns timestamps); one call on each, interleaved.
    cap = Capture()

    def sll(pkt, from_a):
        ptype = 4 if from_a else 0                        # outgoing / to us
        proto = ETH_IPV6 if pkt[0] >> 4 == 6 else ETH_IPV4
        return struct.pack("!HHH8sH", ptype, 1, 6, MAC_A + b"\0\0", proto) + pkt

    class Iface(UdpCall):
        def __init__(self, iface, *a, **kw):
            super().__init__(*a, **kw)
            self.iface = iface

        def send(self, msg, from_a=True, dt_us=150):
            n = len(self.cap.packets)
            super().send(msg, from_a, dt_us)
            t, _, data = self.cap.packets[n]
            self.cap.packets[n] = (t, self.iface, data)

    eth_call = Iface(0, cap, "192.0.2.10", "192.0.2.20")
    sll_call = Iface(1, cap, "198.51.100.10", "198.51.100.20", wrap=sll)
    c1 = "pcapng-eth-1@sipview.test"
    c2 = "pcapng-sll-1@sipview.test"
    m1 = std_headers("MESSAGE", 1, c1, "SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-ng-eth",
                     "<sip:alice@sipview.test>;tag=ng-eth-a", "<sip:bob@sipview.test>",
                     extra=["Content-Type: text/plain"])
    m2 = std_headers("MESSAGE", 1, c2, "SIP/2.0/UDP 198.51.100.10:5060;branch=z9hG4bK-ng-sll",
                     "<sip:carol@sipview.test>;tag=ng-sll-a", "<sip:dave@sipview.test>",
                     extra=["Content-Type: text/plain"])
    eth_call.send(sip("MESSAGE sip:bob@192.0.2.20:5060 SIP/2.0", m1, b"hello over ethernet"))
    sll_call.send(sip("MESSAGE sip:dave@198.51.100.20:5060 SIP/2.0", m2, b"hello over linux cooked"))
    eth_call.send(response(200, "OK", m1, to_tag="ng-eth-b"), from_a=False)
    sll_call.send(response(200, "OK", m2, to_tag="ng-sll-b"), from_a=False)
    write_pcapng("pcapng-two-linktypes.pcapng",
                 [(LINKTYPE_ETHERNET, "eth0", 6), (LINKTYPE_LINUX_SLL, "any", 9)], cap.packets)


# --------------------------------------------------------------------------
# SIP parser stress (UDP port 6060)

def make_stress_sample():
    cap = Capture()
    A, B, C = "192.0.2.10", "192.0.2.20", "192.0.2.30"
    P = 6060
    ab = UdpCall(cap, A, B, P, P)

    # 1. compact header forms (i f t v m l c k s) in a request and a response
    body = sdp(A, 9001)
    ab.send(sip(f"INVITE sip:bob@{B}:{P} SIP/2.0", [
        f"v: SIP/2.0/UDP {A}:{P};branch=z9hG4bK-compact-1",
        'f: "Alice" <sip:alice@sipview.test>;tag=compact-a',
        "t: <sip:bob@sipview.test>",
        "i: compact-1@sipview.test",
        "CSeq: 1 INVITE",
        f"m: <sip:alice@{A}:{P}>",
        "k: 100rel",
        "s: compact header forms",
        "c: application/sdp",
        f"l: {len(body)}"], body, content_length=False))
    ab.send(sip("SIP/2.0 200 OK", [
        f"v: SIP/2.0/UDP {A}:{P};branch=z9hG4bK-compact-1",
        'f: "Alice" <sip:alice@sipview.test>;tag=compact-a',
        "t: <sip:bob@sipview.test>;tag=compact-b",
        "i: compact-1@sipview.test",
        "CSeq: 1 INVITE",
        f"m: <sip:bob@{B}:{P}>",
        "c: application/sdp",
        f"l: {len(sdp(B, 9002))}"], sdp(B, 9002), content_length=False), from_a=False)
    ab.send(sip(f"ACK sip:bob@{B}:{P} SIP/2.0", [
        f"v: SIP/2.0/UDP {A}:{P};branch=z9hG4bK-compact-2",
        'f: "Alice" <sip:alice@sipview.test>;tag=compact-a',
        "t: <sip:bob@sipview.test>;tag=compact-b",
        "i: compact-1@sipview.test", "CSeq: 1 ACK", "l: 0"], content_length=False))
    cap.wait(50)

    # 2. header folding (continuation lines starting with space or tab)
    fold = [f"Via: SIP/2.0/UDP {A}:{P}",
            "  ;branch=z9hG4bK-fold-1",
            "Max-Forwards: 70",
            'From: "Alice"',
            " <sip:alice@sipview.test>;tag=fold-a",
            "To: <sip:bob@sipview.test>",
            "Call-ID: fold-1@sipview.test",
            "CSeq: 1 MESSAGE",
            "Subject: a subject that is",
            "\tfolded over two lines",
            "Content-Type: text/plain"]
    ab.send(sip(f"MESSAGE sip:bob@{B}:{P} SIP/2.0", fold, b"folded headers"))
    ab.send(sip("SIP/2.0 200 OK", [f"Via: SIP/2.0/UDP {A}:{P};branch=z9hG4bK-fold-1",
                                   'From: "Alice" <sip:alice@sipview.test>;tag=fold-a',
                                   "To: <sip:bob@sipview.test>;tag=fold-b",
                                   "Call-ID: fold-1@sipview.test", "CSeq: 1 MESSAGE"]), from_a=False)
    cap.wait(50)

    # 3. LF-only line endings
    lf = std_headers("OPTIONS", 1, "lf-only-1@sipview.test", f"SIP/2.0/UDP {A}:{P};branch=z9hG4bK-lf-1",
                     "<sip:alice@sipview.test>;tag=lf-a", "<sip:bob@sipview.test>",
                     extra=["Subject: LF-only line endings"])
    ab.send(sip(f"OPTIONS sip:bob@{B}:{P} SIP/2.0", lf, eol=b"\n"))
    ab.send(response(200, "OK", lf, to_tag="lf-b").replace(b"\r\n", b"\n"), from_a=False)
    cap.wait(50)

    # 4. whitespace before the colon
    ws = [f"Via : SIP/2.0/UDP {A}:{P};branch=z9hG4bK-wsp-1",
          "Max-Forwards\t: 70",
          "From   : <sip:alice@sipview.test>;tag=wsp-a",
          "To\t\t: <sip:bob@sipview.test>",
          "Call-ID  : wsp-1@sipview.test",
          "CSeq \t: 1 OPTIONS"]
    ab.send(sip(f"OPTIONS sip:bob@{B}:{P} SIP/2.0", ws))
    ab.send(sip("SIP/2.0 200 OK", [f"Via : SIP/2.0/UDP {A}:{P};branch=z9hG4bK-wsp-1",
                                   "From   : <sip:alice@sipview.test>;tag=wsp-a",
                                   "To\t\t: <sip:bob@sipview.test>;tag=wsp-b",
                                   "Call-ID  : wsp-1@sipview.test", "CSeq \t: 1 OPTIONS"]), from_a=False)
    cap.wait(50)

    # 5. bytes that are not UTF-8: Latin-1 display name and subject, 0xff in the body
    latin = [f"Via: SIP/2.0/UDP {A}:{P};branch=z9hG4bK-latin1-1".encode(),
             b"Max-Forwards: 70",
             b'From: "Jos\xe9 M\xfcller" <sip:jose@sipview.test>;tag=latin1-a',
             b"To: <sip:bob@sipview.test>",
             b"Call-ID: latin1-1@sipview.test",
             b"CSeq: 1 MESSAGE",
             b"Subject: caf\xe9 \xff\xfe broken \xc3(",
             b"Content-Type: text/plain; charset=iso-8859-1"]
    ab.send(sip(f"MESSAGE sip:bob@{B}:{P} SIP/2.0", latin, b"ol\xe9 \xff\xfe\x00\x01 binary tail\xff"))
    ab.send(sip("SIP/2.0 200 OK", [f"Via: SIP/2.0/UDP {A}:{P};branch=z9hG4bK-latin1-1".encode(),
                                   b'From: "Jos\xe9 M\xfcller" <sip:jose@sipview.test>;tag=latin1-a',
                                   b"To: <sip:bob@sipview.test>;tag=latin1-b",
                                   b"Call-ID: latin1-1@sipview.test", b"CSeq: 1 MESSAGE"]), from_a=False)
    cap.wait(50)

    # 6. IPv6 addresses in the Request-URI, Via, Contact and SDP (over IPv6)
    A6, B6 = "2001:db8::2", "2001:db8::1"
    v6 = UdpCall(cap, A6, B6, P, P)
    h6 = std_headers("INVITE", 1, "ipv6-1@sipview.test", f"SIP/2.0/UDP [{A6}]:{P};branch=z9hG4bK-v6-1",
                     '"Bob" <sip:bob@[2001:db8::2]>;tag=v6-a', f"<sip:alice@[{B6}]:{P}>",
                     f"<sip:bob@[{A6}]:{P}>", ["Content-Type: application/sdp"])
    v6.send(sip(f"INVITE sip:alice@[{B6}]:{P} SIP/2.0", h6, sdp(A6, 9601)))
    v6.send(response(100, "Trying", h6), from_a=False)
    v6.send(response(603, "Decline", h6, to_tag="v6-b"), from_a=False)
    v6.send(sip(f"ACK sip:alice@[{B6}]:{P} SIP/2.0",
                std_headers("ACK", 1, "ipv6-1@sipview.test", f"SIP/2.0/UDP [{A6}]:{P};branch=z9hG4bK-v6-1",
                            '"Bob" <sip:bob@[2001:db8::2]>;tag=v6-a', f"<sip:alice@[{B6}]:{P}>;tag=v6-b")))
    cap.wait(50)

    # 7. methods sipview does not know: KDMQ (Kamailio DMQ) and PING
    kd = std_headers("KDMQ", 1, "kdmq-1@sipview.test", f"SIP/2.0/UDP {A}:{P};branch=z9hG4bK-kdmq-1",
                     "<sip:dmq@sipview.test>;tag=kdmq-a", "<sip:dmq@sipview.test>",
                     extra=["Content-Type: text/plain"])
    ab.send(sip(f"KDMQ sip:htable@{B}:{P} SIP/2.0", kd, b"sync htable"))
    ab.send(response(200, "OK", kd, to_tag="kdmq-b"), from_a=False)
    pg = std_headers("PING", 1, "ping-1@sipview.test", f"SIP/2.0/UDP {A}:{P};branch=z9hG4bK-ping-1",
                     "<sip:alice@sipview.test>;tag=ping-a", "<sip:bob@sipview.test>")
    ab.send(sip(f"PING sip:bob@{B}:{P} SIP/2.0", pg))
    ab.send(response(405, "Method Not Allowed", pg, to_tag="ping-b",
                     extra=["Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE"]), from_a=False)
    cap.wait(50)

    # 8. a B2BUA: leg A alice -> b2bua (192.0.2.20), leg B b2bua -> bob
    #    (192.0.2.30) with X-Call-ID naming leg A's Call-ID
    bc = UdpCall(cap, B, C, P, P)
    leg_a = std_headers("INVITE", 1, "b2bua-leg-a@sipview.test", f"SIP/2.0/UDP {A}:{P};branch=z9hG4bK-b2a-1",
                        '"Alice" <sip:alice@sipview.test>;tag=b2a-a', "<sip:bob@sipview.test>",
                        f"<sip:alice@{A}:{P}>", ["Content-Type: application/sdp"])
    leg_b = std_headers("INVITE", 101, "b2bua-leg-b@sipview.test", f"SIP/2.0/UDP {B}:{P};branch=z9hG4bK-b2b-1",
                        '"Alice" <sip:alice@sipview.test>;tag=b2b-a', "<sip:bob@sipview.test>",
                        f"<sip:b2bua@{B}:{P}>", ["X-Call-ID: b2bua-leg-a@sipview.test",
                                                 "Content-Type: application/sdp"])
    ab.send(sip(f"INVITE sip:bob@{B}:{P} SIP/2.0", leg_a, sdp(A, 9801)))
    ab.send(response(100, "Trying", leg_a), from_a=False)
    bc.send(sip(f"INVITE sip:bob@{C}:{P} SIP/2.0", leg_b, sdp(B, 9802)))
    bc.send(response(200, "OK", leg_b, to_tag="b2b-b", extra=[f"Contact: <sip:bob@{C}:{P}>"],
                     body=sdp(C, 9803), ctype="application/sdp"), from_a=False)
    ab.send(response(200, "OK", leg_a, to_tag="b2a-b", extra=[f"Contact: <sip:b2bua@{B}:{P}>"],
                     body=sdp(B, 9804), ctype="application/sdp"), from_a=False)
    ab.send(sip(f"ACK sip:b2bua@{B}:{P} SIP/2.0",
                std_headers("ACK", 1, "b2bua-leg-a@sipview.test", f"SIP/2.0/UDP {A}:{P};branch=z9hG4bK-b2a-2",
                            '"Alice" <sip:alice@sipview.test>;tag=b2a-a', "<sip:bob@sipview.test>;tag=b2a-b")))
    bc.send(sip(f"ACK sip:bob@{C}:{P} SIP/2.0",
                std_headers("ACK", 101, "b2bua-leg-b@sipview.test", f"SIP/2.0/UDP {B}:{P};branch=z9hG4bK-b2b-2",
                            '"Alice" <sip:alice@sipview.test>;tag=b2b-a', "<sip:bob@sipview.test>;tag=b2b-b",
                            extra=["X-Call-ID: b2bua-leg-a@sipview.test"])))
    cap.wait(50)

    # 9. terminal escape sequences inside header values
    esc = std_headers("OPTIONS", 1, "escape-1@sipview.test", f"SIP/2.0/UDP {A}:{P};branch=z9hG4bK-esc-1",
                      '"\x1b[1mBold\x1b[0m" <sip:mallory@sipview.test>;tag=esc-a', "<sip:bob@sipview.test>",
                      extra=["User-Agent: evil\x1b[31mRED\x1b[0m\x1b]0;pwned\x07 phone",
                             "Subject: clear\x1b[2J\x1b[Hscreen\x08\x08\x7f"])
    ab.send(sip(f"OPTIONS sip:bob@{B}:{P} SIP/2.0", esc))
    ab.send(response(200, "OK", esc, to_tag="esc-b"), from_a=False)
    cap.wait(50)

    # 10. malformed but SIP-looking messages
    # 10a. no Call-ID at all
    ab.send(sip(f"OPTIONS sip:bob@{B}:{P} SIP/2.0",
                [f"Via: SIP/2.0/UDP {A}:{P};branch=z9hG4bK-bad-1", "From: <sip:alice@sipview.test>;tag=bad-a",
                 "To: <sip:bob@sipview.test>", "CSeq: 1 OPTIONS"]))
    # 10b. a garbage header line (no colon) and a line of binary junk
    ab.send(sip(f"NOTIFY sip:bob@{B}:{P} SIP/2.0",
                [f"Via: SIP/2.0/UDP {A}:{P};branch=z9hG4bK-bad-2", "From: <sip:alice@sipview.test>;tag=bad2-a",
                 "To: <sip:bob@sipview.test>;tag=bad2-b", "Call-ID: garbage-1@sipview.test",
                 "this line is not a header", b"\x00\x01\x02\xff junk", "CSeq: 1 NOTIFY",
                 "Event: dialog"]))
    # 10c. Content-Length larger than the body that is there
    ab.send(sip(f"MESSAGE sip:bob@{B}:{P} SIP/2.0",
                [f"Via: SIP/2.0/UDP {A}:{P};branch=z9hG4bK-bad-3", "From: <sip:alice@sipview.test>;tag=bad3-a",
                 "To: <sip:bob@sipview.test>", "Call-ID: badlen-1@sipview.test", "CSeq: 1 MESSAGE",
                 "Content-Type: text/plain", "Content-Length: 500"], b"only twenty bytes...",
                content_length=False))
    write_pcap("sip-parser-stress.pcap", LINKTYPE_ETHERNET, cap.packets)


# --------------------------------------------------------------------------
# damaged and derived files

def make_damaged_samples():
    save("not-a-capture.pcap", b"This is not a capture file.\nIt is plain text with a .pcap name,\n"
                               b"for testing how a capture reader reports a bad file.\n")
    # a capture with a header and no packets
    write_pcap("empty.pcap", LINKTYPE_ETHERNET, [])

    src = os.path.join(OUT, "udp-invite-mix.pcap")
    if not os.path.exists(src):
        print("skip: udp-invite-mix.pcap missing (run make-real-samples.sh first) -> no .gz / truncated copy")
        return
    data = open(src, "rb").read()
    gz = io.BytesIO()
    with gzip.GzipFile(filename="udp-invite-mix.pcap", fileobj=gz, mode="wb", mtime=0) as g:
        g.write(data)
    save("udp-invite-mix.pcap.gz", gz.getvalue())

    # keep the first 10 whole records and half of the 11th
    endian = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    pos, keep = 24, 10
    for _ in range(keep):
        caplen = struct.unpack(endian + "I", data[pos + 8:pos + 12])[0]
        pos += 16 + caplen
    caplen = struct.unpack(endian + "I", data[pos + 8:pos + 12])[0]
    save("truncated-udp-invite-mix.pcap", data[:pos + 16 + caplen // 2])


def make_hostile_text_sample():
    """One MESSAGE and its 200 whose text carries what must never reach a
    terminal raw: a right-to-left override and an isolate in the From
    display name, a C1 CSI (U+009B) in the User-Agent, and a literal
    backslash-e in the Subject (which must not print like an escaped ESC)."""
    cap = Capture()
    call = UdpCall(cap, "192.0.2.60", "192.0.2.61")
    h = std_headers("MESSAGE", 1, "hostile-text-1@sipview.test",
                    "SIP/2.0/UDP 192.0.2.60:5060;branch=z9hG4bK-hostile",
                    '"\u202eevil\u2066x" <sip:mallory@sipview.test>;tag=h-a', "<sip:bob@sipview.test>",
                    extra=["User-Agent: phone\u009b31m", "Subject: not an escape: \\e[31m",
                           "Content-Type: text/plain"])
    call.send(sip("MESSAGE sip:bob@192.0.2.61:5060 SIP/2.0", h, b"hi"))
    call.send(response(200, "OK", h, to_tag="h-b"), from_a=False)
    write_pcap("hostile-text.pcap", LINKTYPE_ETHERNET, cap.packets)


def make_tls_sample():
    """SIP over TLS on 5061, which sipview cannot read without the keys: a
    handshake's first records (ClientHello, ServerHello) and two records of
    application data, on one TCP connection. --summary must say why there
    are no calls."""
    cap = Capture()
    f = TcpFlow(cap, "192.0.2.70", "192.0.2.71", 40070, 5061)
    f.handshake()

    def record(kind, body):
        return struct.pack("!BBBH", kind, 3, 3, len(body)) + body

    f.send("C", struct.pack("!BBBH", 22, 3, 1, 60) + b"\x01\x00\x00\x38" + bytes(56))
    f.send("S", record(22, b"\x02\x00\x00\x46" + bytes(70)))
    f.send("C", record(23, bytes(180)))
    f.send("S", record(23, bytes(120)))
    f.close()
    write_pcap("tls-5061.pcap", LINKTYPE_ETHERNET, cap.packets)


# --------------------------------------------------------------------------
# SIP over SCTP (RFC 4168), from the published layouts of RFC 9260: a
# 12-byte common header (ports, verification tag, CRC32c over the packet),
# then chunks of type, flags, length, value, each padded to 4 bytes. A DATA
# chunk (type 0) carries TSN, stream id, stream sequence number and payload
# protocol identifier; its flags say whether it begins (B, 2) and ends (E, 1)
# a user message.

def _crc32c_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC32C = _crc32c_table()


def crc32c(data):
    c = 0xFFFFFFFF
    for byte in data:
        c = _CRC32C[(c ^ byte) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def sctp_chunk(kind, flags, value):
    chunk = struct.pack("!BBH", kind, flags, 4 + len(value)) + value
    return chunk + bytes(-len(chunk) % 4)


def sctp_data(tsn, stream, ssn, data, flags=3, ppid=0):
    return sctp_chunk(0, flags, struct.pack("!IHHI", tsn, stream, ssn, ppid) + data)


def sctp_packet(sport, dport, vtag, chunks):
    head = struct.pack("!HHII", sport, dport, vtag, 0)
    body = b"".join(chunks)
    crc = crc32c(head + body)
    # The checksum is stored little-endian (RFC 9260 appendix A).
    return head[:8] + struct.pack("<I", crc) + body


def make_sctp_sample():
    """A call and an OPTIONS over one SCTP association between two SIP
    servers (IMS style): the association set up (INIT, INIT ACK, COOKIE
    ECHO, COOKIE ACK), the INVITE alone, 100 and 180 bundled in one packet
    behind a SACK, the 200 OK's SDP body fragmented over three DATA chunks
    in three packets, ACK and an OPTIONS on another stream bundled, BYE and
    200 with PPID 0 and the OPTIONS' 200 with a non-zero PPID."""
    cap = Capture()
    a, b_ = "10.20.0.1", "10.20.0.2"
    tag_a, tag_b = 0x1A2B3C4D, 0x5E6F7081
    tsn = {True: 1000, False: 5000}
    ssn = {}

    def send(from_a, chunks, dt_us=200):
        s, d = (a, b_) if from_a else (b_, a)
        vtag = tag_b if from_a else tag_a
        pkt = ip_packet(s, d, 132, sctp_packet(5060, 5060, vtag, chunks), ident=0x3000 + len(cap.packets))
        cap.add(eth_ip(pkt, MAC_A if from_a else MAC_B, MAC_B if from_a else MAC_A), dt_us=dt_us)

    def data(from_a, msg, stream=0, flags=3, ppid=0, next_ssn=True):
        t = tsn[from_a]
        tsn[from_a] += 1
        key = (from_a, stream)
        n = ssn.get(key, 0)
        if next_ssn:
            ssn[key] = n + 1
        return sctp_data(t, stream, n, msg, flags, ppid)

    def sack(from_a):
        return sctp_chunk(3, 0, struct.pack("!IIHH", tsn[not from_a] - 1, 65535, 0, 0))

    init = struct.pack("!IIHHI", tag_a, 65535, 10, 10, tsn[True])
    send(True, [sctp_chunk(1, 0, init)])
    init_ack = struct.pack("!IIHHI", tag_b, 65535, 10, 10, tsn[False]) + \
        struct.pack("!HH", 7, 12) + b"cookie!!"
    send(False, [sctp_chunk(2, 0, init_ack)])
    send(True, [sctp_chunk(10, 0, b"cookie!!")])
    send(False, [sctp_chunk(11, 0, b"")])

    callid = "sctp-call-1@sipview.test"
    via = f"SIP/2.0/SCTP {a}:5060;branch=z9hG4bK-sctp-"
    frm = '"Core" <sip:+15551230001@ims.sipview.test>;tag=sctp-a'
    to = "<sip:+15551230002@ims.sipview.test>"
    inv_h = std_headers("INVITE", 1, callid, via + "inv", frm, to, f"<sip:core@{a}:5060;transport=sctp>",
                        ["Content-Type: application/sdp"])
    invite = sip(f"INVITE sip:+15551230002@{b_}:5060;transport=sctp SIP/2.0", inv_h, sdp(a, 7001))
    send(True, [data(True, invite)])
    send(False, [sack(False), data(False, response(100, "Trying", inv_h)),
                 data(False, response(180, "Ringing", inv_h, to_tag="sctp-b"))])
    ok = response(200, "OK", inv_h, to_tag="sctp-b", extra=[f"Contact: <sip:core@{b_}:5060;transport=sctp>"],
                  body=sdp(b_, 7002), ctype="application/sdp")
    third = len(ok) // 3
    parts = [ok[:third], ok[third:2 * third], ok[2 * third:]]
    send(False, [data(False, parts[0], flags=2, next_ssn=False)])
    send(False, [data(False, parts[1], flags=0, next_ssn=False)], dt_us=80)
    send(False, [data(False, parts[2], flags=1)], dt_us=80)
    to_b = f"{to};tag=sctp-b"
    ack = sip(f"ACK sip:core@{b_}:5060;transport=sctp SIP/2.0",
              std_headers("ACK", 1, callid, via + "ack", frm, to_b))
    opt_h = std_headers("OPTIONS", 1, "sctp-options-1@sipview.test", via + "opt",
                        "<sip:core@ims.sipview.test>;tag=sctp-o", "<sip:peer@ims.sipview.test>")
    options = sip(f"OPTIONS sip:peer@{b_}:5060;transport=sctp SIP/2.0", opt_h)
    send(True, [sack(True), data(True, ack), data(True, options, stream=1)])
    send(False, [data(False, response(200, "OK", opt_h, to_tag="sctp-p"), stream=1, ppid=39)])
    cap.wait(2000)
    bye_h = std_headers("BYE", 2, callid, via + "bye", frm, to_b)
    send(True, [data(True, sip(f"BYE sip:core@{b_}:5060;transport=sctp SIP/2.0", bye_h))])
    send(False, [sack(False), data(False, response(200, "OK", bye_h))])
    write_pcap("sctp-sip.pcap", LINKTYPE_ETHERNET, cap.packets)


def main():
    os.makedirs(OUT, exist_ok=True)
    make_hostile_text_sample()
    make_tls_sample()
    make_sctp_sample()
    make_fragment_samples()
    make_encapsulation_samples()
    make_tcp_samples()
    make_websocket_sample()
    make_stress_sample()
    make_damaged_samples()


if __name__ == "__main__":
    main()
