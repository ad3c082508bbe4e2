#!/usr/bin/env python3
"""codec-call.py - one real SIP call over UDP on loopback whose two sides
send RTP in G.711, G.722 or Opus, for the codec samples that
scripts/make-codec-samples.sh captures with tcpdump.

Usage: scripts/codec-call.py PLAN MEDIA_DIR
  PLAN is one of the names in PLANS below; MEDIA_DIR holds the encoded
  tones that make-codec-samples.sh wrote (NAME.ulaw, NAME.g722: raw
  bitstreams; NAME.opus: Ogg Opus from ffmpeg, 20 ms packets).

The caller (UAC) and the callee (UAS) are two threads with their own SIP
and RTP sockets on 127.0.0.1: the UAC sends INVITE with an SDP offer, the
UAS answers 100, 180 and 200 with its SDP answer and starts its RTP when
the ACK comes; the UAC starts its own after the ACK. A plan with a second
phase has the UAC send a re-INVITE (CSeq 2, same dialog) with a new offer
once its first phase is sent; the UAS waits for its own sender, answers
200 with the new answer, and both send the second phase after the ACK.
Then the UAC hangs up: BYE, 200. Nothing is retransmitted (loopback does
not lose packets) and every wait is bounded.

RTP: 20 ms packets paced on the clock (time.monotonic), RFC 3550 headers
with fixed SSRCs, sequence numbers and timestamps, the marker bit on the
first packet of each phase. Timestamps advance by the codec's RTP clock:
160 per packet for PCMU and G.722 (8000 Hz, RFC 3551's G.722 quirk), 960
for Opus (48000 Hz, RFC 7587). A stream that goes on in the second phase
with the same SSRC keeps its sequence numbers and jumps its timestamps to
a new base. Python 3 standard library only.
"""

import os
import socket
import struct
import sys
import threading
import time

HOST = "127.0.0.1"
PTIME = 0.020

# Per codec: RTP clock ticks per 20 ms packet and how to cut the file.
TICKS = {"PCMU": 160, "G722": 160, "opus": 960}
RTPMAP = {
    "PCMU": (0, "PCMU/8000", None),
    "G722": (9, "G722/8000", None),
    # a dynamic payload type that nothing would guess from the number
    "opus": (107, "opus/48000/2", "minptime=10;useinbandfec=1"),
    "te8": (101, "telephone-event/8000", "0-16"),
    "te48": (101, "telephone-event/48000", "0-16"),
}


def stream(codec, media, ssrc, seq, ts):
    return {"codec": codec, "media": media, "ssrc": ssrc, "seq": seq, "ts": ts}


# name -> SIP ports, media ports, Call-ID and phases; a phase is
# (offer, answer, caller's stream, callee's stream); offer and answer list
# RTPMAP keys in preference order.
PLANS = {
    # G.722 both ways: the caller a 1 kHz tone, the callee 5 kHz (above
    # what G.711 carries).
    "g722": {
        "uas": 5140, "uac": 5141, "uas_media": 6184, "uac_media": 6180,
        "cid": "codec-g722-1@sipview.test",
        "phases": [
            (["G722", "PCMU", "te8"], ["G722", "te8"],
             stream("G722", "g722-1000", 0x6722CA11, 1000, 160000),
             stream("G722", "g722-5000", 0x6722CA22, 2000, 320000)),
        ],
    },
    # Opus both ways on payload type 107: the caller 1 kHz, the callee
    # 10 kHz (above what G.722 carries).
    "opus": {
        "uas": 5142, "uac": 5143, "uas_media": 6192, "uac_media": 6188,
        "cid": "codec-opus-1@sipview.test",
        "phases": [
            (["opus", "PCMU", "te48"], ["opus", "te48"],
             stream("opus", "opus-1000", 0x0905CA11, 3000, 480000),
             stream("opus", "opus-10000", 0x0905CA22, 4000, 960000)),
        ],
    },
    # One call, two codecs of two rates: the answer accepts PCMU and G.722,
    # the caller sends PCMU (1 kHz), the callee G.722 (5 kHz).
    "mix": {
        "uas": 5144, "uac": 5145, "uas_media": 6200, "uac_media": 6196,
        "cid": "codec-mix-1@sipview.test",
        "phases": [
            (["PCMU", "G722", "te8"], ["G722", "PCMU", "te8"],
             stream("PCMU", "ulaw-1000-2s", 0x0711CA11, 5000, 8000),
             stream("G722", "g722-5000-2s", 0x6722CA33, 6000, 16000)),
        ],
    },
    # A re-INVITE changes the codec: PCMU both ways (1 kHz and 2 kHz), then
    # Opus only (3 kHz and 6 kHz). The caller keeps its SSRC (sequence
    # numbers go on, timestamps jump to a 48 kHz base), the callee starts a
    # new one.
    "reinvite": {
        "uas": 5146, "uac": 5147, "uas_media": 6208, "uac_media": 6204,
        "cid": "codec-reinvite-1@sipview.test",
        "phases": [
            (["PCMU", "te8"], ["PCMU", "te8"],
             stream("PCMU", "ulaw-1000-2s", 0x0711CA44, 7000, 24000),
             stream("PCMU", "ulaw-2000-2s", 0x0711CA55, 8000, 32000)),
            (["opus", "te48"], ["opus", "te48"],
             stream("opus", "opus-3000-2s", 0x0711CA44, None, 4800000),
             stream("opus", "opus-6000-2s", 0x0905CA66, 9000, 9600000)),
        ],
    },
}


def ogg_packets(data):
    """The packets of an Ogg stream (one logical stream), in order."""
    packets, cur, at = [], b"", 0
    while at + 27 <= len(data):
        if data[at:at + 4] != b"OggS":
            raise ValueError("not an Ogg page at %d" % at)
        nsegs = data[at + 26]
        lacing = data[at + 27:at + 27 + nsegs]
        body = at + 27 + nsegs
        for n in lacing:
            cur += data[body:body + n]
            body += n
            if n < 255:
                packets.append(cur)
                cur = b""
        at = body
    return packets


def frames(media_dir, name):
    """The 20 ms payloads of one encoded tone."""
    for ext, size in ((".ulaw", 160), (".g722", 160)):
        path = os.path.join(media_dir, name + ext)
        if os.path.exists(path):
            data = open(path, "rb").read()
            return [data[i:i + size] for i in range(0, len(data) - size + 1, size)]
    data = open(os.path.join(media_dir, name + ".opus"), "rb").read()
    packets = ogg_packets(data)
    if not packets or not packets[0].startswith(b"OpusHead"):
        raise ValueError(name + ".opus: no OpusHead")
    return packets[2:]  # after OpusHead and OpusTags


def sdp(user, version, port, keys):
    pts = [RTPMAP[k][0] for k in keys]
    lines = [
        "v=0",
        "o=%s 4711 %d IN IP4 %s" % (user, version, HOST),
        "s=sipview",
        "c=IN IP4 " + HOST,
        "t=0 0",
        "m=audio %d RTP/AVP %s" % (port, " ".join(str(p) for p in pts)),
    ]
    for k in keys:
        pt, rtpmap, fmtp = RTPMAP[k]
        lines.append("a=rtpmap:%d %s" % (pt, rtpmap))
        if fmtp:
            lines.append("a=fmtp:%d %s" % (pt, fmtp))
    lines += ["a=ptime:20", "a=sendrecv"]
    return "\r\n".join(lines) + "\r\n"


def message(start, headers, body=""):
    head = [start] + headers
    if body:
        head.append("Content-Type: application/sdp")
    head.append("Content-Length: %d" % len(body.encode()))
    return ("\r\n".join(head) + "\r\n\r\n" + body).encode()


class Sender(threading.Thread):
    """Sends one stream's packets every 20 ms from `sock` to `dest`."""

    def __init__(self, sock, dest, spec, payloads, state):
        super().__init__(daemon=True)
        self.sock, self.dest, self.spec, self.payloads = sock, dest, spec, payloads
        self.state = state  # per SSRC: next sequence number

    def run(self):
        s = self.spec
        pt = RTPMAP[s["codec"]][0]
        seq = s["seq"] if s["seq"] is not None else self.state[s["ssrc"]]
        start = time.monotonic()
        for i, payload in enumerate(self.payloads):
            delay = start + i * PTIME - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            ts = (s["ts"] + i * TICKS[s["codec"]]) & 0xFFFFFFFF
            marker = 0x80 if i == 0 else 0
            header = struct.pack("!BBHII", 0x80, marker | pt, seq & 0xFFFF, ts, s["ssrc"])
            self.sock.sendto(header + payload, self.dest)
            seq += 1
        self.state[s["ssrc"]] = seq


def bound(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((HOST, port))
    s.settimeout(30)
    return s


def recv_sip(sock, want):
    """The next SIP message on `sock` whose first line contains `want`."""
    while True:
        data, peer = sock.recvfrom(65535)
        text = data.decode(errors="replace")
        if want in text.split("\r\n", 1)[0]:
            return text, peer


def header(text, name):
    for line in text.split("\r\n"):
        if line.lower().startswith(name.lower() + ":"):
            return line
    raise ValueError("no %s header" % name)


def uas(plan, media_dir, sip, rtp, state, failures):
    try:
        caller = (HOST, plan["uac_media"])
        sender = None
        tag = ";tag=codec-uas-1"
        for n, (_, answer, _, callee) in enumerate(plan["phases"], 1):
            invite, peer = recv_sip(sip, "INVITE")
            if sender:
                sender.join(30)
            echo = [header(invite, h) for h in ("Via", "From")]
            to = header(invite, "To")
            if n == 1:
                to += tag
            echo += [to, header(invite, "Call-ID"), header(invite, "CSeq")]
            contact = "Contact: <sip:bob@%s:%d;transport=UDP>" % (HOST, plan["uas"])
            if n == 1:
                sip.sendto(message("SIP/2.0 100 Trying", echo), peer)
                sip.sendto(message("SIP/2.0 180 Ringing", echo + [contact]), peer)
            body = sdp("bob", n, plan["uas_media"], answer)
            sip.sendto(message("SIP/2.0 200 OK", echo + [contact, "Server: sipview-samples codec-call.py"], body), peer)
            recv_sip(sip, "ACK")
            sender = Sender(rtp, caller, callee, frames(media_dir, callee["media"]), state)
            sender.start()
        bye, peer = recv_sip(sip, "BYE")
        echo = [header(bye, h) for h in ("Via", "From", "To", "Call-ID", "CSeq")]
        sip.sendto(message("SIP/2.0 200 OK", echo), peer)
        if sender:
            sender.join(30)
    except Exception as e:  # reported by the main thread
        failures.append("uas: %r" % e)


def uac(plan, media_dir, sip, rtp, state):
    callee_sip = (HOST, plan["uas"])
    callee_media = (HOST, plan["uas_media"])
    cid = plan["cid"]
    frm = 'From: "Alice" <sip:alice@sipview.test>;tag=codec-uac-1'
    contact = "Contact: <sip:alice@%s:%d;transport=UDP>" % (HOST, plan["uac"])
    uri = "sip:bob@%s:%d" % callee_sip
    to = "To: <sip:bob@sipview.test>"
    sender = None
    for n, (offer, _, caller, _) in enumerate(plan["phases"], 1):
        via = "Via: SIP/2.0/UDP %s:%d;branch=z9hG4bK-codec-%d-inv;rport" % (HOST, plan["uac"], n)
        common = [via, "Max-Forwards: 70", frm, to, "Call-ID: " + cid]
        body = sdp("alice", n, plan["uac_media"], offer)
        sip.sendto(message("INVITE %s SIP/2.0" % uri, common + ["CSeq: %d INVITE" % n, contact,
                                                           "User-Agent: sipview-samples codec-call.py"], body),
                   callee_sip)
        ok, _ = recv_sip(sip, "200 OK")
        to = header(ok, "To")
        ack_via = via.replace("-inv", "-ack")
        sip.sendto(message("ACK %s SIP/2.0" % uri,
                           [ack_via, "Max-Forwards: 70", frm, to, "Call-ID: " + cid, "CSeq: %d ACK" % n, contact]),
                   callee_sip)
        sender = Sender(rtp, callee_media, caller, frames(media_dir, caller["media"]), state)
        sender.start()
        sender.join(30)
        time.sleep(0.1)
    n = len(plan["phases"]) + 1
    via = "Via: SIP/2.0/UDP %s:%d;branch=z9hG4bK-codec-bye;rport" % (HOST, plan["uac"])
    sip.sendto(message("BYE %s SIP/2.0" % uri,
                       [via, "Max-Forwards: 70", frm, to, "Call-ID: " + cid, "CSeq: %d BYE" % n, contact]),
               callee_sip)
    recv_sip(sip, "200 OK")


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in PLANS:
        sys.exit("usage: codec-call.py {%s} MEDIA_DIR" % ",".join(PLANS))
    plan, media_dir = PLANS[sys.argv[1]], sys.argv[2]
    state, failures = {}, []
    uas_sip, uas_rtp = bound(plan["uas"]), bound(plan["uas_media"])
    uac_sip, uac_rtp = bound(plan["uac"]), bound(plan["uac_media"])
    t = threading.Thread(target=uas, args=(plan, media_dir, uas_sip, uas_rtp, state, failures), daemon=True)
    t.start()
    uac(plan, media_dir, uac_sip, uac_rtp, state)
    t.join(30)
    if failures or t.is_alive():
        sys.exit("codec-call.py: %s" % (failures or "the UAS did not finish"))


if __name__ == "__main__":
    main()
