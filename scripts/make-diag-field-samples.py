#!/usr/bin/env python3
"""make-diag-field-samples.py - write the diagnosis samples that loopback
cannot give: public and private addresses on different hosts (NAT proven by a
server's received=, a proxy relaying private addresses, a B2BUA moving media
between the phones), the servers' own fingerprints (chan_sip's 401 -> 403,
PJSIP's 401 -> 401, SER's "nonce has changed"), and the transaction faults of
the field (a 2xx never ACKed over TCP, BYE instead of CANCEL, a 403 never
ACKed, a fast 603, Q.850 and Warning values, a scanner's OPTIONS).

Each file is a conversation as the servers named in it answer, written byte by
byte with the helpers of make_synthetic_samples.py (struct only, correct
checksums, fixed timestamps from 2026-01-01T00:00:00Z, the same bytes on every
run). Public addresses are documentation ones (198.51.100.0/24,
203.0.113.0/24); private ones are RFC 1918.

Usage: scripts/make-diag-field-samples.py [OUTDIR]   (default: samples/)
"""

import hashlib
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_synthetic_samples import (  # noqa: E402
    LINKTYPE_ETHERNET, TCP_ACK, TCP_PSH, TCP_SYN, Capture, Ident, eth_ip, ip_packet, sip, tcp, udp,
    write_pcap,
)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "samples")


def save(name, cap):
    write_pcap(os.path.join(OUT, name), LINKTYPE_ETHERNET, cap.packets)
    print(f"wrote {name} ({len(cap.packets)} packets)")


class Net:
    """UDP datagrams between any hosts of one capture."""

    def __init__(self, cap):
        self.cap = cap
        self.ident = Ident(0x2000)

    def send(self, src, dst, msg, dt_us=300):
        (s, sp), (d, dp) = src, dst
        pkt = ip_packet(s, d, 17, udp(s, d, sp, dp, msg), ident=self.ident())
        self.cap.add(eth_ip(pkt), dt_us=dt_us)


def headers(method, cseq, callid, vias, frm, to, contact=None, extra=()):
    h = [f"Via: {v}" for v in vias] + ["Max-Forwards: 70", f"From: {frm}", f"To: {to}",
                                        f"Call-ID: {callid}", f"CSeq: {cseq} {method}"]
    if contact:
        h.append(f"Contact: {contact}")
    return h + list(extra)


def request(method, uri, hdrs, body=""):
    if body:
        hdrs = hdrs + ["Content-Type: application/sdp"]
    return sip(f"{method} {uri} SIP/2.0", hdrs, body)


def answer(code, reason, req_hdrs, to_tag=None, extra=(), body="", via_params=""):
    """A response copying Via (the top one gets via_params), From, To,
    Call-ID and CSeq of the request."""
    h, top = [], True
    for line in req_hdrs:
        name = line.split(":", 1)[0].strip().lower()
        if name == "via":
            h.append(line + (via_params if top else ""))
            top = False
        elif name in ("from", "call-id", "cseq"):
            h.append(line)
        elif name == "to":
            h.append(line + (f";tag={to_tag}" if to_tag and ";tag=" not in line else ""))
    h += list(extra)
    if body:
        h.append("Content-Type: application/sdp")
    return sip(f"SIP/2.0 {code} {reason}", h, body)


def sdp(addr, port, codecs=((0, "PCMU/8000"), (8, "PCMA/8000")), direction="sendrecv", sess=1000):
    pts = " ".join(str(pt) for pt, _ in codecs)
    lines = ["v=0", f"o=- {sess} {sess} IN IP4 {addr}", "s=-", f"c=IN IP4 {addr}", "t=0 0",
             f"m=audio {port} RTP/AVP {pts}"]
    lines += [f"a=rtpmap:{pt} {name}" for pt, name in codecs]
    lines.append(f"a={direction}")
    return "\r\n".join(lines) + "\r\n"


def digest(user, realm, nonce, uri, extra=""):
    resp = hashlib.md5(f"{user}:{realm}:{nonce}:{uri}".encode()).hexdigest()
    return (f'Digest username="{user}", realm="{realm}", nonce="{nonce}", uri="{uri}", '
            f'response="{resp}", algorithm=MD5{extra}')


def rtp(net, src, dst, ssrc, count, seq0=1, ts0=0, pt=0):
    """count G.711 packets of 20 ms, one way."""
    for n in range(count):
        hdr = struct.pack("!BBHII", 0x80, pt, (seq0 + n) & 0xFFFF, (ts0 + 160 * n) & 0xFFFFFFFF, ssrc)
        net.send(src, dst, hdr + b"\xff" * 160, dt_us=20_000 if n else 300)


def rtp_both(net, a, b_, count, ssrc_a=0x1111, ssrc_b=0x2222):
    for n in range(count):
        for src, dst, ssrc in ((a, b_, ssrc_a), (b_, a, ssrc_b)):
            hdr = struct.pack("!BBHII", 0x80, 0, n + 1, 160 * n, ssrc)
            net.send(src, dst, hdr + b"\xff" * 160, dt_us=10_000)


# --------------------------------------------------------------------------

def nat_proven():
    """A phone behind NAT registers and calls a public PJSIP Asterisk: it
    writes 192.168.1.50 in Via, Contact and SDP; its packets come from
    203.0.113.7:40123; the server's received=/rport= say so."""
    cap = Capture()
    net = Net(cap)
    phone, pbx = ("203.0.113.7", 40123), ("198.51.100.10", 5060)
    server = "Server: Asterisk PBX 18.20.0"
    frm = '"Alice" <sip:alice@198.51.100.10>;tag=nat-a1'
    contact = "<sip:alice@192.168.1.50:5060>"
    via = "SIP/2.0/UDP 192.168.1.50:5060;rport;branch=z9hG4bK-nat-"
    seen = ";received=203.0.113.7;rport=40123"
    cid = "nat-reg@192.168.1.50"
    reg = headers("REGISTER", 1, cid, [via + "r1"], frm, "<sip:alice@198.51.100.10>", contact,
                  ["Expires: 300", "User-Agent: Acme Phone 2.1"])
    net.send(phone, pbx, request("REGISTER", "sip:198.51.100.10", reg))
    nonce = "5f1e0a2b"
    chal = (f'WWW-Authenticate: Digest realm="asterisk", nonce="{nonce}", opaque="0d2f", '
            'algorithm=md5, qop="auth"')
    net.send(pbx, phone, answer(401, "Unauthorized", reg, "pj-1", [chal, server], via_params=seen))
    uri = "sip:198.51.100.10"
    reg2 = headers("REGISTER", 2, cid, [via + "r2"], frm, "<sip:alice@198.51.100.10>", contact,
                   ["Expires: 300", "User-Agent: Acme Phone 2.1",
                    "Authorization: " + digest("alice", "asterisk", nonce, uri,
                                               ', qop=auth, nc=00000001, cnonce="c1", opaque="0d2f"')])
    net.send(phone, pbx, request("REGISTER", uri, reg2), dt_us=4000)
    net.send(pbx, phone, answer(200, "OK", reg2, "pj-2",
                                [f"Contact: {contact};expires=300", server], via_params=seen))
    cap.wait(2000)
    cid = "nat-call@192.168.1.50"
    inv = headers("INVITE", 1, cid, [via + "i1"], frm, "<sip:200@198.51.100.10>", contact,
                  ["User-Agent: Acme Phone 2.1"])
    net.send(phone, pbx, request("INVITE", "sip:200@198.51.100.10", inv, sdp("192.168.1.50", 4000)))
    net.send(pbx, phone, answer(100, "Trying", inv, None, [server], via_params=seen))
    cap.wait(1500)
    ok = answer(200, "OK", inv, "pj-3", ["Contact: <sip:198.51.100.10:5060>", server],
                sdp("198.51.100.10", 12000), via_params=seen)
    net.send(pbx, phone, ok)
    to = "<sip:200@198.51.100.10>;tag=pj-3"
    net.send(phone, pbx, request("ACK", "sip:198.51.100.10:5060",
                                 headers("ACK", 1, cid, [via + "i2"], frm, to)))
    # the NAT maps the phone's RTP port 4000 to 40200
    rtp_both(net, ("203.0.113.7", 40200), ("198.51.100.10", 12000), 100)
    bye = headers("BYE", 2, cid, [via + "b1"], frm, to)
    net.send(phone, pbx, request("BYE", "sip:198.51.100.10:5060", bye))
    net.send(pbx, phone, answer(200, "OK", bye, None, [server], via_params=seen))
    save("diag-nat-proven.pcap", cap)


def proxy_relay():
    """201 calls 101 through a Kamailio proxy on one LAN, no Record-Route:
    the relayed INVITE and 200 carry the phones' own Contact and SDP; ACK
    and BYE go straight between the phones. No NAT anywhere."""
    cap = Capture()
    net = Net(cap)
    a, px, b_ = ("10.1.0.11", 5060), ("10.1.0.2", 5060), ("10.1.0.12", 5060)
    cid = "relay-1@10.1.0.11"
    frm = "<sip:201@10.1.0.2>;tag=relay-a"
    via_a = "SIP/2.0/UDP 10.1.0.11:5060;branch=z9hG4bK-relay-a"
    via_p = "SIP/2.0/UDP 10.1.0.2:5060;branch=z9hG4bK-relay-p"
    inv_a = headers("INVITE", 1, cid, [via_a], frm, "<sip:101@10.1.0.2>", "<sip:201@10.1.0.11:5060>",
                    ["User-Agent: DeskPhone 5"])
    body_a = sdp("10.1.0.11", 16000)
    net.send(a, px, request("INVITE", "sip:101@10.1.0.2", inv_a, body_a))
    kam = "Server: kamailio (5.6.3 (x86_64/linux))"
    net.send(px, a, answer(100, "trying -- your call is important to us", inv_a, None, [kam]))
    inv_p = [f"Via: {via_p}"] + inv_a
    net.send(px, b_, request("INVITE", "sip:101@10.1.0.12:5060", inv_p, body_a))
    net.send(b_, px, answer(180, "Ringing", inv_p, "relay-b", ["Contact: <sip:101@10.1.0.12:5060>"]))
    net.send(px, a, answer(180, "Ringing", inv_a, "relay-b", ["Contact: <sip:101@10.1.0.12:5060>"]))
    cap.wait(800)
    body_b = sdp("10.1.0.12", 18000)
    net.send(b_, px, answer(200, "OK", inv_p, "relay-b", ["Contact: <sip:101@10.1.0.12:5060>"], body_b))
    net.send(px, a, answer(200, "OK", inv_a, "relay-b", ["Contact: <sip:101@10.1.0.12:5060>"], body_b))
    to = "<sip:101@10.1.0.2>;tag=relay-b"
    net.send(a, b_, request("ACK", "sip:101@10.1.0.12:5060",
                            headers("ACK", 1, cid, ["SIP/2.0/UDP 10.1.0.11:5060;branch=z9hG4bK-relay-ack"],
                                    frm, to)))
    rtp_both(net, ("10.1.0.11", 16000), ("10.1.0.12", 18000), 100)
    bye = headers("BYE", 1, cid, ["SIP/2.0/UDP 10.1.0.12:5060;branch=z9hG4bK-relay-bye"], to, frm)
    net.send(b_, a, request("BYE", "sip:201@10.1.0.11:5060", bye))
    net.send(a, b_, answer(200, "OK", bye))
    save("diag-proxy-relay.pcap", cap)


def direct_media():
    """A chan_sip Asterisk bridges phone A (leg 1) and phone B (leg 2), then
    moves the media between the phones with a re-INVITE on each leg: the
    RTP flows A <-> B, never through Asterisk, and belongs to both legs."""
    cap = Capture()
    net = Net(cap)
    pa, pbx, pb = ("10.2.0.11", 5060), ("10.2.0.1", 5060), ("10.2.0.12", 5060)
    ua = "User-Agent: Asterisk PBX 13.38.3"
    media_a, media_b, media_x, media_y = ("10.2.0.11", 10000), ("10.2.0.12", 30000), 20000, 20002
    # leg 1: A -> Asterisk
    c1, f1 = "leg1@10.2.0.11", "<sip:300@10.2.0.1>;tag=dm-a"
    via_a = "SIP/2.0/UDP 10.2.0.11:5060;branch=z9hG4bK-dm-a"
    inv1 = headers("INVITE", 1, c1, [via_a + "1"], f1, "<sip:400@10.2.0.1>", "<sip:300@10.2.0.11>")
    net.send(pa, pbx, request("INVITE", "sip:400@10.2.0.1", inv1, sdp(*media_a)))
    net.send(pbx, pa, answer(100, "Trying", inv1, None, [ua]))
    # leg 2: Asterisk -> B
    c2, f2 = "5a1e3c2d@10.2.0.1", '"300" <sip:300@10.2.0.1>;tag=as1a2b3c4d'
    via_x = "SIP/2.0/UDP 10.2.0.1:5060;branch=z9hG4bK-dm-x"
    inv2 = headers("INVITE", 102, c2, [via_x + "1"], f2, "<sip:400@10.2.0.12>", "<sip:300@10.2.0.1>", [ua])
    net.send(pbx, pb, request("INVITE", "sip:400@10.2.0.12:5060", inv2, sdp("10.2.0.1", media_y)))
    net.send(pb, pbx, answer(180, "Ringing", inv2, "dm-b"))
    net.send(pbx, pa, answer(180, "Ringing", inv1, "as5e6f7a8b", [ua]))
    cap.wait(1200)
    net.send(pb, pbx, answer(200, "OK", inv2, "dm-b", ["Contact: <sip:400@10.2.0.12>"], sdp(*media_b)))
    t2 = "<sip:400@10.2.0.12>;tag=dm-b"
    net.send(pbx, pb, request("ACK", "sip:400@10.2.0.12",
                              headers("ACK", 102, c2, [via_x + "2"], f2, t2, extra=[ua])))
    net.send(pbx, pa, answer(200, "OK", inv1, "as5e6f7a8b", ["Contact: <sip:400@10.2.0.1>", ua],
                             sdp("10.2.0.1", media_x)))
    t1 = "<sip:400@10.2.0.1>;tag=as5e6f7a8b"
    net.send(pa, pbx, request("ACK", "sip:400@10.2.0.1", headers("ACK", 1, c1, [via_a + "2"], f1, t1)))
    cap.wait(300)
    # direct media: each phone is told the other's address
    re1 = headers("INVITE", 103, c1, [via_x + "r1"], t1, f1, "<sip:400@10.2.0.1>", [ua])
    net.send(pbx, pa, request("INVITE", "sip:300@10.2.0.11", re1, sdp(*media_b, sess=1001)))
    net.send(pa, pbx, answer(200, "OK", re1, None, ["Contact: <sip:300@10.2.0.11>"], sdp(*media_a, sess=1001)))
    net.send(pbx, pa, request("ACK", "sip:300@10.2.0.11", headers("ACK", 103, c1, [via_x + "r2"], t1, f1)))
    re2 = headers("INVITE", 104, c2, [via_x + "r3"], f2, t2, "<sip:300@10.2.0.1>", [ua])
    net.send(pbx, pb, request("INVITE", "sip:400@10.2.0.12", re2, sdp(*media_a, sess=1002)))
    net.send(pb, pbx, answer(200, "OK", re2, None, ["Contact: <sip:400@10.2.0.12>"], sdp(*media_b, sess=1002)))
    net.send(pbx, pb, request("ACK", "sip:400@10.2.0.12", headers("ACK", 104, c2, [via_x + "r4"], f2, t2)))
    rtp_both(net, media_a, media_b, 178)
    bye = headers("BYE", 2, c1, [via_a + "3"], f1, t1)
    net.send(pa, pbx, request("BYE", "sip:400@10.2.0.1", bye))
    net.send(pbx, pa, answer(200, "OK", bye, None, [ua]))
    bye2 = headers("BYE", 105, c2, [via_x + "b"], f2, t2, extra=[ua])
    net.send(pbx, pb, request("BYE", "sip:400@10.2.0.12", bye2))
    net.send(pb, pbx, answer(200, "OK", bye2))
    save("diag-direct-media.pcap", cap)


def auth_flow(name, server_line, realm, chal_extra, final, to_tag, cred_extra="", delay_ms=5,
              then_ok=False):
    """REGISTER -> 401 -> REGISTER with credentials -> `final` (and, with
    then_ok, one more retry that is accepted)."""
    cap = Capture()
    net = Net(cap)
    phone, srv = ("192.168.20.30", 5060), ("192.168.20.1", 5060)
    cid = f"{name}@192.168.20.30"
    frm = "<sip:1001@192.168.20.1>;tag=auth-a"
    to = "<sip:1001@192.168.20.1>"
    contact = "<sip:1001@192.168.20.30:5060>"
    via = "SIP/2.0/UDP 192.168.20.30:5060;branch=z9hG4bK-auth-"
    base = ["Expires: 3600", "User-Agent: DeskPhone 5"]
    reg = headers("REGISTER", 1, cid, [via + "1"], frm, to, contact, base)
    uri = "sip:192.168.20.1"
    net.send(phone, srv, request("REGISTER", uri, reg))
    nonce = "4a7b9c1d"
    chal = f'WWW-Authenticate: Digest realm="{realm}", nonce="{nonce}"{chal_extra}'
    net.send(srv, phone, answer(401, "Unauthorized", reg, to_tag + "1", [chal, server_line]))
    cap.wait(delay_ms)
    reg2 = headers("REGISTER", 2, cid, [via + "2"], frm, to, contact,
                   base + ["Authorization: " + digest("1001", realm, nonce, uri, cred_extra)])
    net.send(phone, srv, request("REGISTER", uri, reg2))
    code, reason, extra = final
    net.send(srv, phone, answer(code, reason, reg2, to_tag + "2", list(extra) + [server_line]))
    if then_ok:
        nonce2 = "8e2f6a0b"
        reg3 = headers("REGISTER", 3, cid, [via + "3"], frm, to, contact,
                       base + ["Authorization: " + digest("1001", realm, nonce2, uri, cred_extra)])
        net.send(phone, srv, request("REGISTER", uri, reg3), dt_us=2000)
        net.send(srv, phone, answer(200, "OK", reg3, to_tag + "3",
                                    [f"Contact: {contact};expires=3600", server_line]))
    save(name + ".pcap", cap)


def no_ack_tcp():
    """An INVITE over TCP answered 200 OK; the caller never ACKs: the 2xx is
    resent (the answering side retransmits a 2xx on any transport) and the
    callee hangs up with BYE 32 s later."""
    cap = Capture()
    a, b_ = "10.3.0.11", "10.3.0.12"
    ap, bp = 45012, 5060
    seq = {"C": 1000, "S": 5000}
    ident = Ident(0x3000)

    def pkt(side, flags, payload=b""):
        s, d, sp, dp = (a, b_, ap, bp) if side == "C" else (b_, a, bp, ap)
        other = "S" if side == "C" else "C"
        seg = tcp(s, d, sp, dp, seq[side], seq[other], flags, payload)
        cap.add(eth_ip(ip_packet(s, d, 6, seg, ident=ident())), dt_us=300)
        seq[side] += len(payload) + (1 if flags & TCP_SYN else 0)

    pkt("C", TCP_SYN)
    seq["S"] -= 0
    pkt("S", TCP_SYN | TCP_ACK)
    pkt("C", TCP_ACK)
    cid = "noack-tcp@10.3.0.11"
    frm = "<sip:alice@10.3.0.11>;tag=nat-tcp-a"
    via = "SIP/2.0/TCP 10.3.0.11:45012;branch=z9hG4bK-noack-tcp"
    inv = headers("INVITE", 1, cid, [via], frm, "<sip:bob@10.3.0.12>",
                  "<sip:alice@10.3.0.11:45012;transport=tcp>")
    pkt("C", TCP_ACK | TCP_PSH, request("INVITE", "sip:bob@10.3.0.12;transport=tcp", inv, sdp(a, 7000)))
    pkt("S", TCP_ACK | TCP_PSH, answer(100, "Trying", inv))
    pkt("S", TCP_ACK | TCP_PSH, answer(180, "Ringing", inv, "noack-b"))
    cap.wait(900)
    ok = answer(200, "OK", inv, "noack-b", ["Contact: <sip:bob@10.3.0.12:5060;transport=tcp>"], sdp(b_, 9000))
    for wait in (0, 500, 1000, 2000, 4000):
        cap.wait(wait)
        pkt("S", TCP_ACK | TCP_PSH, ok)
        pkt("C", TCP_ACK)
    cap.wait(32_000 - 7_500)
    bye = headers("BYE", 1, cid, ["SIP/2.0/TCP 10.3.0.12:5060;branch=z9hG4bK-noack-bye"],
                  "<sip:bob@10.3.0.12>;tag=noack-b", frm)
    pkt("S", TCP_ACK | TCP_PSH, request("BYE", "sip:alice@10.3.0.11:45012;transport=tcp", bye))
    pkt("C", TCP_ACK | TCP_PSH, answer(200, "OK", bye))
    save("diag-no-ack-tcp.pcap", cap)


def invite_faults():
    """Calls from a phone (10.4.0.11) to a proxy (10.4.0.1), one fault each."""
    cap = Capture()
    net = Net(cap)
    ph, px = ("10.4.0.11", 5060), ("10.4.0.1", 5060)
    kam = "Server: kamailio (5.6.3 (x86_64/linux))"
    n = [0]

    def call(tag, to_user="bob", body=None):
        n[0] += 1
        cid = f"fault-{tag}@10.4.0.11"
        frm = f"<sip:alice@10.4.0.1>;tag=f-{tag}"
        h = headers("INVITE", 1, cid, [f"SIP/2.0/UDP 10.4.0.11:5060;branch=z9hG4bK-f-{tag}"], frm,
                    f"<sip:{to_user}@10.4.0.1>", "<sip:alice@10.4.0.11:5060>")
        net.send(ph, px, request("INVITE", f"sip:{to_user}@10.4.0.1", h, body or sdp("10.4.0.11", 8000)))
        return cid, frm, h

    def in_dialog(method, cid, frm, to, cseq, tag):
        return headers(method, cseq, cid, [f"SIP/2.0/UDP 10.4.0.11:5060;branch=z9hG4bK-f-{tag}"], frm, to)

    def register(user, phone, callid, tag, to_tag):
        """REGISTER from `phone` for `user`, answered 200 by the proxy."""
        host = phone[0]
        reg = headers("REGISTER", 1, callid, [f"SIP/2.0/UDP {host}:5060;branch=z9hG4bK-f-{tag}"],
                      f"<sip:{user}@10.4.0.1>;tag=f-{tag}", f"<sip:{user}@10.4.0.1>",
                      f"<sip:{user}@{host}:5060>", ["Expires: 600"])
        net.send(phone, px, request("REGISTER", "sip:10.4.0.1", reg))
        net.send(px, phone, answer(200, "OK", reg, to_tag,
                                   [f"Contact: <sip:{user}@{host}:5060>;expires=600", kam]))

    # a. the phone registers (answered on these sockets), then an INVITE that is never answered
    register("alice", ph, "fault-reg@10.4.0.11", "reg", "r1")
    cap.wait(100)
    cid, frm, h = call("silent")
    inv = request("INVITE", "sip:bob@10.4.0.1", h, sdp("10.4.0.11", 8000))
    for wait in (500, 1000, 2000, 4000):
        cap.wait(wait)
        net.send(ph, px, inv)
    cap.wait(1000)
    # b. ringing, then BYE where CANCEL was due
    cid, frm, h = call("byecancel")
    net.send(px, ph, answer(100, "Trying", h, None, [kam]))
    net.send(px, ph, answer(180, "Ringing", h, "b1", [kam]))
    cap.wait(2000)
    bye = in_dialog("BYE", cid, frm, "<sip:bob@10.4.0.1>;tag=b1", 2, "byecancel-bye")
    net.send(ph, px, request("BYE", "sip:bob@10.4.0.1", bye))
    net.send(px, ph, answer(481, "Call/Transaction Does Not Exist", bye, None, [kam]))
    cap.wait(500)
    # c. 403 never ACKed (resent), then a BYE answered 200
    cid, frm, h = call("forbidden")
    net.send(px, ph, answer(100, "Trying", h, None, [kam]))
    no = answer(403, "Forbidden", h, "c1", [kam])
    net.send(px, ph, no)
    cap.wait(500)
    net.send(px, ph, no)
    cap.wait(300)
    bye = in_dialog("BYE", cid, frm, "<sip:bob@10.4.0.1>;tag=c1", 2, "forbidden-bye")
    net.send(ph, px, request("BYE", "sip:bob@10.4.0.1", bye))
    net.send(px, ph, answer(200, "OK", bye, None, [kam]))
    cap.wait(500)
    # d. 603 from the proxy 12 ms after the INVITE, nothing rang
    cid, frm, h = call("decline", to_user="900")
    net.send(px, ph, answer(603, "Decline", h, "d1", [kam]), dt_us=12_000)
    net.send(ph, px, request("ACK", "sip:900@10.4.0.1",
                             in_dialog("ACK", cid, frm, "<sip:900@10.4.0.1>;tag=d1", 1, "decline")))
    cap.wait(500)
    # e. 480 with Q.850 cause 20; carol registers only afterwards
    cid, frm, h = call("absent", to_user="carol")
    net.send(px, ph, answer(100, "Trying", h, None, [kam]))
    net.send(px, ph, answer(480, "Temporarily Unavailable", h, "e1",
                            ['Reason: Q.850;cause=20;text="Subscriber absent"', kam]), dt_us=40_000)
    net.send(ph, px, request("ACK", "sip:carol@10.4.0.1",
                             in_dialog("ACK", cid, frm, "<sip:carol@10.4.0.1>;tag=e1", 1, "absent")))
    cap.wait(3000)
    register("carol", ("10.4.0.22", 5060), "fault-carol@10.4.0.22", "carol", "r2")
    cap.wait(500)
    # f. 488 with a Warning: a usable offer (G.729 only) the far end cannot take
    cid, frm, h = call("codec", body=sdp("10.4.0.11", 8002, codecs=((18, "G729/8000"),)))
    net.send(px, ph, answer(488, "Not Acceptable Here", h, "f1",
                            ['Warning: 305 10.4.0.1 "Incompatible media format"', kam]))
    net.send(ph, px, request("ACK", "sip:bob@10.4.0.1",
                             in_dialog("ACK", cid, frm, "<sip:bob@10.4.0.1>;tag=f1", 1, "codec")))
    cap.wait(500)
    # g. a scanner's OPTIONS from the internet, answered 404
    scan = ("203.0.113.66", 5071)
    opt = headers("OPTIONS", 1, "scan-1@203.0.113.66", ["SIP/2.0/UDP 203.0.113.66:5071;branch=z9hG4bK-scan"],
                  '"sipvicious" <sip:100@203.0.113.66>;tag=scan-1', "<sip:100@10.4.0.1>", None,
                  ["User-Agent: friendly-scanner"])
    net.send(scan, px, request("OPTIONS", "sip:100@10.4.0.1", opt))
    net.send(px, scan, answer(404, "Not Found", opt, "g1", [kam]))
    save("diag-invite-faults.pcap", cap)


def rtp_stops():
    """A call whose callee's RTP stops after 5 s while the caller's goes on
    for 12 s more: one-way audio for the rest of the call."""
    cap = Capture()
    net = Net(cap)
    a, b_ = ("10.5.0.11", 5060), ("10.5.0.12", 5060)
    cid = "rtp-stops@10.5.0.11"
    frm = "<sip:alice@10.5.0.12>;tag=st-a"
    inv = headers("INVITE", 1, cid, ["SIP/2.0/UDP 10.5.0.11:5060;branch=z9hG4bK-st-1"], frm,
                  "<sip:bob@10.5.0.12>", "<sip:alice@10.5.0.11:5060>")
    net.send(a, b_, request("INVITE", "sip:bob@10.5.0.12", inv, sdp("10.5.0.11", 4100)))
    net.send(b_, a, answer(180, "Ringing", inv, "st-b"))
    cap.wait(500)
    net.send(b_, a, answer(200, "OK", inv, "st-b", ["Contact: <sip:bob@10.5.0.12:5060>"], sdp("10.5.0.12", 4200)))
    to = "<sip:bob@10.5.0.12>;tag=st-b"
    net.send(a, b_, request("ACK", "sip:bob@10.5.0.12:5060",
                            headers("ACK", 1, cid, ["SIP/2.0/UDP 10.5.0.11:5060;branch=z9hG4bK-st-2"], frm, to)))
    rtp_both(net, ("10.5.0.11", 4100), ("10.5.0.12", 4200), 250)
    rtp(net, ("10.5.0.11", 4100), ("10.5.0.12", 4200), 0x1111, 600, seq0=251, ts0=250 * 160)
    bye = headers("BYE", 2, cid, ["SIP/2.0/UDP 10.5.0.11:5060;branch=z9hG4bK-st-3"], frm, to)
    net.send(a, b_, request("BYE", "sip:bob@10.5.0.12:5060", bye))
    net.send(b_, a, answer(200, "OK", bye))
    save("diag-rtp-stops.pcap", cap)


def main():
    rtp_stops()
    nat_proven()
    proxy_relay()
    direct_media()
    auth_flow("diag-auth-chan-sip", "Server: Asterisk PBX 11.25.3", "asterisk",
              ", algorithm=MD5", (403, "Forbidden", ()), "as0a1b2c3")
    auth_flow("diag-auth-pjsip", "Server: Asterisk PBX 18.20.0", "asterisk",
              ', opaque="77aa", algorithm=md5, qop="auth"',
              (401, "Unauthorized", ['WWW-Authenticate: Digest realm="asterisk", nonce="9d8c7b6a", '
                                     'opaque="77ab", algorithm=md5, qop="auth"']),
              "pj-", cred_extra=', qop=auth, nc=00000001, cnonce="c0ffee", opaque="77aa"')
    auth_flow("diag-auth-stale", "Server: Sip EXpress router (0.9.6 (i386/linux))", "sipview.test",
              "", (401, "nonce has changed", ['WWW-Authenticate: Digest realm="sipview.test", '
                                              'nonce="8e2f6a0b"']),
              "ser-", delay_ms=17_200, then_ok=True)
    no_ack_tcp()
    invite_faults()


if __name__ == "__main__":
    main()
