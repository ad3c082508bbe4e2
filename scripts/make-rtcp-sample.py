#!/usr/bin/env python3
"""make-rtcp-sample.py - write samples/rtp-rtcp.pcap: one SIP call whose
media carries RTCP sender reports with reception report blocks.

Usage: scripts/make-rtcp-sample.py [--downstream] [OUTFILE]
  (default: samples/rtp-rtcp.pcap, or samples/rtp-rtcp-downstream.pcap)

--downstream writes the same call with Call-ID rtp-downstream-1@sipview.test
in which 12 of the callee's packets (indices 100-111) are in the capture but
never reach the caller: lost after the capture point. The caller's report
blocks count them, the capture does not.

Python 3 standard library only (struct; no scapy). Deterministic: fixed
timestamps from 2026-01-01T00:00:00Z, fixed SSRCs and sequence numbers, and
the arrival jitter drawn from random.Random with a fixed seed, so two runs
write the same bytes. Classic pcap, Ethernet (zero MACs, as tcpdump writes
for the loopback interface), IPv4 127.0.0.1 only, correct IPv4 and UDP
checksums.

What the file holds (the figures the tests check are printed at the end):

  SIP over UDP, caller 127.0.0.1:5137 -> callee 127.0.0.1:5136,
  Call-ID rtp-rtcp-1@sipview.test:
    INVITE (SDP m=audio 6160 RTP/AVP 0 101), 100 Trying, 180 Ringing,
    200 OK (SDP m=audio 6164 RTP/AVP 0 101), ACK, ... BYE, 200 OK.
  RTP PCMU (payload type 0), 20 ms packets, 160-byte payloads (a quiet
  400 Hz tone), timestamps +160, for 5 s each way:
    caller 6160 -> callee 6164, SSRC 0xa11ce001, 250 packets sent, 5 of
    them lost on the way (never in the capture): 245 captured;
    callee 6164 -> caller 6160, SSRC 0xb0b0b002, 250 packets, none lost;
    its sequence numbers wrap through 65535 -> 0.
  Arrival jitter: every packet is captured up to 1.5 ms (caller's) or
  0.4 ms (callee's) after its nominal 20 ms slot.
  RTCP on port + 1 (6161 <-> 6165), RFC 3550 compound packets:
    caller: 4 x SR + SDES(CNAME), about one a second, each with one report
    block about the callee's SSRC; when hanging up SR + SDES + BYE;
    callee: 5 x SR + SDES(CNAME), each with one report block about the
    caller's SSRC; after the SIP BYE an RR + SDES + BYE (it has stopped
    sending by then).
  Report blocks are computed the way RFC 3550 A.3 and A.8 say, from what
  the capture shows the reporter received: fraction lost since its
  previous report, cumulative lost, extended highest sequence number,
  interarrival jitter in timestamp units (8000 Hz), LSR/DLSR from the
  last SR it received. SR sender info: NTP time of the capture timestamp,
  the RTP timestamp of that instant, packets and octets sent (the lost
  ones included: they were sent).

The capture is the receivers' view: a dropped packet was sent but never
arrived, so it is not in the file.
"""

import math
import os
import random
import struct
import sys

# The checksum and address helpers of the synthetic samples' script.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_synthetic_samples import csum, ip4  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARGS = [a for a in sys.argv[1:] if a != "--downstream"]
DOWNSTREAM = "--downstream" in sys.argv[1:]
DEFAULT_NAME = "rtp-rtcp-downstream.pcap" if DOWNSTREAM else "rtp-rtcp.pcap"
OUT = os.path.abspath(ARGS[0]) if ARGS else os.path.join(ROOT, "samples", DEFAULT_NAME)

BASE_US = 1767225600 * 1_000_000  # 2026-01-01T00:00:00Z, microseconds
NTP_UNIX_OFFSET = 2208988800       # seconds from 1900-01-01 to 1970-01-01

IP = "127.0.0.1"
CALLER_SIP, CALLEE_SIP = 5137, 5136
CALLER_RTP, CALLEE_RTP = 6160, 6164
CALL_ID = "rtp-downstream-1@sipview.test" if DOWNSTREAM else "rtp-rtcp-1@sipview.test"

CLOCK = 8000          # PCMU
FRAME = 160           # samples (and bytes) per 20 ms packet
PACKETS = 250         # 5 s each way

# caller's packets (0-based index in the sent order) lost before the callee
CALLER_DROPS = {60, 61, 130, 190, 245}
# callee's packets captured but lost afterwards, on the way to the caller
CALLEE_LOST_AFTER = set(range(100, 112)) if DOWNSTREAM else set()


# --------------------------------------------------------------------------
# bytes on the wire

class Wire:
    """Frames with their capture time (microseconds since BASE_US)."""

    def __init__(self):
        self.frames = []
        self.ident = 0x2200

    def udp(self, t_us, sport, dport, payload):
        length = 8 + len(payload)
        pseudo = ip4(IP) + ip4(IP) + struct.pack("!xBH", 17, length)
        hdr = struct.pack("!HHHH", sport, dport, length, 0)
        c = csum(pseudo + hdr + payload) or 0xFFFF
        udp = struct.pack("!HHHH", sport, dport, length, c) + payload
        self.ident = (self.ident + 1) & 0xFFFF
        iph = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), self.ident, 0x4000, 64, 17, 0,
                          ip4(IP), ip4(IP))
        iph = iph[:10] + struct.pack("!H", csum(iph)) + iph[12:]
        eth = b"\0" * 12 + struct.pack("!H", 0x0800)
        self.frames.append((t_us, len(self.frames), eth + iph + udp))

    def write(self, path):
        # Ordered by capture time; ties keep the order they were made in.
        frames = sorted(self.frames)
        out = bytearray(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        for t_us, _, data in frames:
            sec, usec = divmod(BASE_US + t_us, 1_000_000)
            out += struct.pack("<IIII", sec, usec, len(data), len(data)) + data
        with open(path, "wb") as f:
            f.write(out)
        return len(frames), len(out)


# --------------------------------------------------------------------------
# SIP

def sip(start, headers, body=""):
    lines = [start] + headers + [f"Content-Length: {len(body.encode())}", "", ""]
    return ("\r\n".join(lines) + body).encode()


def sdp(user, sess, port):
    return "".join(l + "\r\n" for l in [
        "v=0", f"o={user} {sess} {sess} IN IP4 {IP}", "s=sipview", f"c=IN IP4 {IP}", "t=0 0",
        f"m=audio {port} RTP/AVP 0 101", "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16", "a=sendrecv"])


FROM = '"Alice" <sip:alice@sipview.test>;tag=rtcp-uac-1'
TO = "<sip:bob@sipview.test>"
TO_TAGGED = TO + ";tag=rtcp-uas-1"
RURI = f"sip:bob@{IP}:{CALLEE_SIP}"
CALLER_CONTACT = f"Contact: <sip:alice@{IP}:{CALLER_SIP};transport=UDP>"
CALLEE_CONTACT = f"Contact: <sip:bob@{IP}:{CALLEE_SIP};transport=UDP>"


def via(branch):
    return f"Via: SIP/2.0/UDP {IP}:{CALLER_SIP};branch=z9hG4bK-rtcp-1-{branch};rport"


def request(method, branch, cseq, to, extra=(), body=""):
    return sip(f"{method} {RURI} SIP/2.0",
               [via(branch), "Max-Forwards: 70", f"From: {FROM}", f"To: {to}",
                f"Call-ID: {CALL_ID}", f"CSeq: {cseq} {method.split()[0]}", *extra], body)


def response(status, branch, cseq, method, to, extra=(), body=""):
    return sip(f"SIP/2.0 {status}",
               [via(branch), f"From: {FROM}", f"To: {to}", f"Call-ID: {CALL_ID}",
                f"CSeq: {cseq} {method}", *extra], body)


# --------------------------------------------------------------------------
# RTP

def ulaw(sample):
    """16-bit linear -> G.711 mu-law (the classic segment encoder)."""
    bias, clip = 0x84, 32635
    sign = 0x80 if sample < 0 else 0
    sample = min(abs(sample), clip) + bias
    exponent = 7
    mask = 0x4000
    while exponent > 0 and not sample & mask:
        exponent -= 1
        mask >>= 1
    mantissa = (sample >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


def tone(n, hz=400, amplitude=2000):
    """Payload of packet n: a quiet sine, continuous from packet to packet."""
    return bytes(ulaw(int(amplitude * math.sin(2 * math.pi * hz * (n * FRAME + i) / CLOCK)))
                 for i in range(FRAME))


class Sender:
    """One side's RTP stream as it was sent."""

    def __init__(self, ssrc, seq0, ts0, start_us, sport, dport, cname, max_delay_us, rng, drops=(),
                 lost_after=()):
        self.ssrc, self.seq0, self.ts0, self.start_us = ssrc, seq0, ts0, start_us
        self.sport, self.dport, self.cname = sport, dport, cname
        self.packets = []   # (index, capture time or None when lost, ext seq, rtp ts)
        self.lost_after = set(lost_after)   # captured, but never received
        for i in range(PACKETS):
            slot = start_us + i * 20_000
            arrival = slot + rng.randint(0, max_delay_us)
            self.packets.append((i, None if i in drops else arrival, seq0 + i, ts0 + i * FRAME))

    def emit(self, wire):
        for i, arrival, ext, ts in self.packets:
            if arrival is None:
                continue
            marker = 0x80 if i == 0 else 0
            hdr = struct.pack("!BBHII", 0x80, marker | 0, ext & 0xFFFF, ts & 0xFFFFFFFF, self.ssrc)
            wire.udp(arrival, self.sport, self.dport, hdr + tone(i))

    def sent_by(self, t_us):
        """Packets sent (dropped ones too) before t_us."""
        return sum(1 for i, _, _, _ in self.packets if self.start_us + i * 20_000 < t_us)

    def rtp_ts_at(self, t_us):
        """The RTP timestamp of the instant t_us on this sender's clock."""
        return (self.ts0 + round((t_us - self.start_us) * CLOCK / 1_000_000)) & 0xFFFFFFFF


class Receiver:
    """What one side knows of the other's stream, for its report blocks
    (RFC 3550 A.3 for the counts, A.8 for the jitter)."""

    def __init__(self, source):
        self.source = source
        self.expected_prior = 0
        self.received_prior = 0
        self.last_sr = None     # (middle 32 bits of its NTP time, capture time)

    def block(self, t_us):
        got = [(a, ext, ts) for i, a, ext, ts in self.source.packets
               if a is not None and a < t_us and i not in self.source.lost_after]
        if not got:
            return None
        base = min(ext for _, ext, _ in got)
        highest = max(ext for _, ext, _ in got)
        # The reporter's sequence numbers start at cycle 0: the extended
        # number is the highest 16-bit one plus 65536 per wrap since the first.
        cycles = (highest >> 16) - (base >> 16)
        ext_high = (cycles << 16) | (highest & 0xFFFF)
        expected = highest - base + 1
        received = len(got)
        lost = expected - received
        exp_int = expected - self.expected_prior
        rcv_int = received - self.received_prior
        self.expected_prior, self.received_prior = expected, received
        lost_int = exp_int - rcv_int
        fraction = 0 if exp_int == 0 or lost_int <= 0 else (lost_int << 8) // exp_int
        # Interarrival jitter over every packet received so far, in
        # timestamp units, smoothed by 1/16.
        jitter = 0.0
        prev = None
        for arrival, _, ts in got:
            transit = arrival * CLOCK / 1_000_000 - ts
            if prev is not None:
                jitter += (abs(transit - prev) - jitter) / 16
            prev = transit
        if self.last_sr is None:
            lsr, dlsr = 0, 0
        else:
            lsr, at = self.last_sr
            dlsr = (t_us - at) * 65536 // 1_000_000
        return struct.pack("!IIIIII", self.source.ssrc, (fraction << 24) | (lost & 0xFFFFFF),
                           ext_high, int(jitter), lsr, dlsr), (fraction, lost, int(jitter))


# --------------------------------------------------------------------------
# RTCP

def ntp(t_us):
    sec, usec = divmod(BASE_US + t_us, 1_000_000)
    return sec + NTP_UNIX_OFFSET, (usec << 32) // 1_000_000


def rtcp_header(count, ptype, body):
    assert len(body) % 4 == 0
    return struct.pack("!BBH", 0x80 | count, ptype, len(body) // 4) + body


def sdes(ssrc, cname):
    item = struct.pack("!BB", 1, len(cname)) + cname.encode()
    # The item list ends with a zero octet, then zeros up to a 32-bit boundary.
    chunk = struct.pack("!I", ssrc) + item + b"\0"
    chunk += b"\0" * (-len(chunk) % 4)
    return rtcp_header(1, 202, chunk)


def bye(ssrc):
    return rtcp_header(1, 203, struct.pack("!I", ssrc))


def report(wire, t_us, me, other_rx, sender_report, port_from, port_to, the_other_rx_of_me, end=False):
    """One compound packet from `me` at t_us: SR (or RR) with a block about
    the other side, SDES CNAME, and BYE when `end`. Returns a line of what
    the block says."""
    blk = other_rx.block(t_us)
    blocks = b"" if blk is None else blk[0]
    rc = 0 if blk is None else 1
    if sender_report:
        msw, lsw = ntp(t_us)
        sent = me.sent_by(t_us)
        info = struct.pack("!IIIII", msw, lsw, me.rtp_ts_at(t_us), sent, sent * FRAME)
        first = rtcp_header(rc, 200, struct.pack("!I", me.ssrc) + info + blocks)
        # The other side's next blocks quote this SR (LSR) and the delay since.
        the_other_rx_of_me.last_sr = (((msw & 0xFFFF) << 16) | (lsw >> 16), t_us)
    else:
        first = rtcp_header(rc, 201, struct.pack("!I", me.ssrc) + blocks)
    packet = first + sdes(me.ssrc, me.cname) + (bye(me.ssrc) if end else b"")
    wire.udp(t_us, port_from, port_to, packet)
    kind = "SR" if sender_report else "RR"
    what = "no block" if blk is None else "fraction %d, cumulative %d, jitter %d" % blk[1]
    return f"{t_us / 1e6:9.6f} {kind}{' + BYE' if end else ''} 0x{me.ssrc:08x} {port_from}->{port_to}: {what}"


def main():
    rng = random.Random(3550)
    wire = Wire()

    # SIP set-up, times in microseconds from the start of the capture.
    offer = sdp("alice", 3161, CALLER_RTP)
    answer = sdp("bob", 4161, CALLEE_RTP)
    ua = "User-Agent: sipview-samples make-rtcp-sample.py"
    server = "Server: sipview-samples make-rtcp-sample.py"
    sip_msgs = [
        (0, True, request("INVITE", "inv", 1, TO, [CALLER_CONTACT, ua, "Content-Type: application/sdp"], offer)),
        (310, False, response("100 Trying", "inv", 1, "INVITE", TO)),
        (1_450, False, response("180 Ringing", "inv", 1, "INVITE", TO_TAGGED, [CALLEE_CONTACT])),
        (500_120, False, response("200 OK", "inv", 1, "INVITE", TO_TAGGED,
                                  [CALLEE_CONTACT, server, "Content-Type: application/sdp"], answer)),
        (500_540, True, request("ACK", "ack", 1, TO_TAGGED, [CALLER_CONTACT])),
    ]

    # The callee talks from its 200 OK on, the caller from its ACK on.
    callee = Sender(0xB0B0B002, 65450, 3_000_000_000, 501_000, CALLEE_RTP, CALLER_RTP,
                    "bob@127.0.0.1", 400, rng, lost_after=CALLEE_LOST_AFTER)
    caller = Sender(0xA11CE001, 23000, 12_345_600, 520_600, CALLER_RTP, CALLEE_RTP,
                    "alice@127.0.0.1", 1_500, rng, CALLER_DROPS)
    callee.emit(wire)
    caller.emit(wire)
    at_callee = Receiver(caller)   # the callee's view of the caller's stream
    at_caller = Receiver(callee)

    # Report times: about once a second, a little off the whole second as
    # RFC 3550 6.3 randomises them. Built in time order, since each report
    # quotes the other side's last SR.
    caller_rtcp = [caller.start_us + d for d in (1_013_000, 2_021_000, 3_008_000, 4_017_000)]
    callee_rtcp = [callee.start_us + d for d in (806_000, 1_811_000, 2_797_000, 3_805_000, 4_802_000)]
    last_rtp = caller.start_us + (PACKETS - 1) * 20_000 + 5_000
    hangup = last_rtp + 15_000          # caller's RTCP BYE, then the SIP BYE
    events = sorted([(t, "caller") for t in caller_rtcp] + [(t, "callee") for t in callee_rtcp])
    lines = []
    for t, who in events:
        if who == "caller":
            lines.append(report(wire, t, caller, at_caller, True, CALLER_RTP + 1, CALLEE_RTP + 1, at_callee))
        else:
            lines.append(report(wire, t, callee, at_callee, True, CALLEE_RTP + 1, CALLER_RTP + 1, at_caller))
    lines.append(report(wire, hangup, caller, at_caller, True, CALLER_RTP + 1, CALLEE_RTP + 1,
                        at_callee, end=True))
    sip_msgs.append((hangup + 900, True, request("BYE", "bye", 2, TO_TAGGED, [CALLER_CONTACT])))
    sip_msgs.append((hangup + 1_100, False, response("200 OK", "bye", 2, "BYE", TO_TAGGED)))
    # The callee has stopped sending: its last compound is an RR.
    lines.append(report(wire, hangup + 1_600, callee, at_callee, False, CALLEE_RTP + 1,
                        CALLER_RTP + 1, at_caller, end=True))
    for t, from_caller, msg in sip_msgs:
        if from_caller:
            wire.udp(t, CALLER_SIP, CALLEE_SIP, msg)
        else:
            wire.udp(t, CALLEE_SIP, CALLER_SIP, msg)

    frames, size = wire.write(OUT)
    print(f"wrote {OUT} ({frames} frames, {size} bytes)")
    for s, name in ((caller, "caller"), (callee, "callee")):
        got = sum(1 for p in s.packets if p[1] is not None)
        print(f"  {name} RTP 0x{s.ssrc:08x}: {PACKETS} sent, {got} captured, {PACKETS - got} lost"
              f" before the capture, {len(s.lost_after)} after it")
    for line in lines:
        print("  " + line)


if __name__ == "__main__":
    main()
