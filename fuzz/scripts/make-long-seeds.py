#!/usr/bin/env python3
"""Seeds past the framer's thresholds: long lines, big and lying bodies.

Writes the same streams to seeds/sip_parser/long-* and, behind 8 bytes
that seed the chunking, to seeds/stream_framer/long-*. Each stays under
256 KiB so that `-max_len=262144` keeps it whole.

    python3 fuzz/scripts/make-long-seeds.py fuzz/seeds
"""
import os
import sys


def options(n, body=b"", length=None):
    length = len(body) if length is None else length
    return (
        b"OPTIONS sip:ping@example.net SIP/2.0\r\n"
        b"Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK-long-%d\r\n"
        b"From: <sip:fuzz@example.net>;tag=a%d\r\n"
        b"To: <sip:ping@example.net>\r\n"
        b"Call-ID: long-%d@192.0.2.1\r\n"
        b"CSeq: %d OPTIONS\r\n"
        b"Content-Length: %d\r\n\r\n" % (n, n, n, n, length)
    ) + body


def messages(first, count):
    return b"".join(options(first + i) for i in range(count))


STREAMS = {
    # A 100 KB header line inside a message, then 3 messages.
    "long-header-line": options(0)[:-4] + b"\r\nX-Long: " + b"A" * 100_000
    + b"\r\n\r\n" + messages(1, 3),
    # 100 KB without any line end before the first start line.
    "long-junk-line": b"\x16\x03" * 50_000 + b"\r\n" + messages(1, 3),
    # A Content-Length the stream never delivers, then valid messages.
    "lying-length": options(0, b"v=0\r\n", 999_999_999) + messages(1, 5),
    # A 200 KB body that is delivered, then one message.
    "big-body": options(0, b"a" * 200_000) + messages(1, 1),
    # Start lines with no blank line between them.
    "start-lines": b"OPTIONS sip:x@y SIP/2.0\r\n" * 8_000 + messages(1, 2),
    # Headers past the 64 KB cap in many ordinary lines.
    "many-headers": options(0)[:-4] + b"\r\n"
    + b"".join(b"X-H%d: %s\r\n" % (i, b"v" * 60) for i in range(1_300))
    + b"\r\n" + messages(1, 2),
}


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "fuzz/seeds"
    for name, stream in STREAMS.items():
        assert len(stream) + 8 <= 262_144, (name, len(stream))
        for target, prefix in (("sip_parser", b""), ("stream_framer", b"\x35\x00\x00\x00\x91\x00\x00\x07")):
            folder = os.path.join(root, target)
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, name), "wb") as f:
                f.write(prefix + stream)
    # The framer target also starts from the hand-written streams.
    for hand in ("hand-stream-two", "hand-lf-badlen", "hand-compact"):
        src = os.path.join(root, "sip_parser", hand)
        if os.path.exists(src):
            with open(src, "rb") as f, open(os.path.join(root, "stream_framer", hand), "wb") as g:
                g.write(b"\x02\x00\x00\x00\x00\x00\x00\x00" + f.read())


if __name__ == "__main__":
    main()
