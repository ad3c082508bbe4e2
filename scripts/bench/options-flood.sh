#!/usr/bin/env bash
# options-flood.sh - a scanner's flood of OPTIONS, each with a new Call-ID,
# at a fixed rate on lo, against sipview capturing live: its peak memory,
# CPU, and what its message limit (-l, -R) did with the flood.
#
# A Python sender (standard library only) sends RATE OPTIONS/s for SECONDS
# seconds to 127.0.0.1:5199, paced in 10 ms batches; nothing answers, as
# with a scanner probing a box. sipview runs headless (`--stop-after ...
# --summary`) under /usr/bin/time for its peak RSS and CPU time; any
# arguments after SECONDS go to sipview (e.g. `-l 50000` or `-l 50000 -R`).
#
# Needs root, python3, /usr/bin/time (package time).
# Usage: scripts/bench/options-flood.sh [RATE [SECONDS [SIPVIEW ARGS...]]]
#   defaults: 10000 OPTIONS/s for 30 s, sipview's default limit
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RATE=${1:-10000}
SECS=${2:-30}
shift $(($# > 2 ? 2 : $#))
PORT=5199
WORK=$(mktemp -d /tmp/sipview-flood.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
BIN=${SIPVIEW:-$ROOT/target/release/sipview}
[ -x "$BIN" ] || (cd "$ROOT" && cargo build --release -q)

/usr/bin/time -f "%U %S %M" -o "$WORK/time" "$BIN" -i lo --stop-after $((SECS + 4)) \
    --summary --format json "$@" udp port $PORT >"$WORK/summary.json" 2>"$WORK/sipview.err" &
SV=$!
sleep 1.5
python3 - "$RATE" "$SECS" "$PORT" >"$WORK/sent" <<'PY'
import socket, sys, time
rate, secs, port = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
src = s.getsockname()[1]
batch = max(1, rate // 100)
sent, start = 0, time.monotonic()
while sent < rate * secs:
    for _ in range(batch):
        n = sent
        msg = (
            f"OPTIONS sip:100@127.0.0.1:{port} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP 127.0.0.1:{src};branch=z9hG4bK-flood-{n};rport\r\n"
            "Max-Forwards: 70\r\n"
            f"From: \"scanner\" <sip:100@127.0.0.1>;tag=flood-{n}\r\n"
            f"To: <sip:100@127.0.0.1:{port}>\r\n"
            f"Call-ID: flood-{n}@scanner.test\r\n"
            "CSeq: 1 OPTIONS\r\n"
            "User-Agent: friendly-scanner\r\n"
            "Content-Length: 0\r\n\r\n"
        ).encode()
        s.sendto(msg, ("127.0.0.1", port))
        sent += 1
    # Pace: batch k is due at k * 10 ms.
    due = start + (sent // batch) * 0.01
    delay = due - time.monotonic()
    if delay > 0:
        time.sleep(delay)
print(sent, round(time.monotonic() - start, 2))
PY
wait $SV || true

read -r SENT TOOK <"$WORK/sent"
read -r USER_S SYS_S MAX_KB <"$WORK/time"
seen=$(grep -o '"sip_messages": [0-9]*' "$WORK/summary.json" | grep -o '[0-9]*$')
calls=$(grep -o '"calls": [0-9]*' "$WORK/summary.json" | head -1 | grep -o '[0-9]*$')
wall=$((SECS + 4))
echo "flood: $SENT OPTIONS (each a new Call-ID) in ${TOOK} s = $(echo "$SENT / $TOOK" | bc) /s; sipview args: ${*:-(defaults)}"
echo "sipview kept: $seen SIP messages, $calls calls"
echo "sipview CPU: user ${USER_S}s + system ${SYS_S}s over ${wall}s wall = $(echo "($USER_S + $SYS_S) * 100 / $wall" | bc -l | cut -c1-5)% of one core; peak RSS $((MAX_KB / 1024)) MiB"
tail -1 "$WORK/sipview.err"
