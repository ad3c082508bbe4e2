#!/usr/bin/env bash
# live-rate.sh - sipview capturing live on lo at a fixed SIP message rate:
# CPU used and anything lost, against tcpdump capturing the same traffic.
#
# sipp's built-in uac/uas make RATE calls/s for SECONDS seconds (6 messages a
# call: INVITE, 180, 200, ACK, BYE, 200), so RATE=334 is about 2,000 SIP
# messages/s. sipview runs headless (`--stop-after ... --summary`) under
# /usr/bin/time, which gives its user+system CPU time; tcpdump records the
# same ports; both files' message counts are compared.
#
# Needs root, sipp (sip-tester), tcpdump, /usr/bin/time (package time).
# Usage: scripts/bench/live-rate.sh [RATE [SECONDS]]   (defaults 334, 20)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RATE=${1:-334}
SECS=${2:-20}
UAS=6090
UAC=6091
WORK=$(mktemp -d /tmp/sipview-live-rate.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
FILTER="udp port $UAS or udp port $UAC"
BIN=${SIPVIEW:-$ROOT/target/release/sipview}
[ -x "$BIN" ] || (cd "$ROOT" && cargo build --release -q)

tcpdump -i lo -n -U -B 65536 -Z root -w "$WORK/tcpdump.pcap" "$FILTER" 2>"$WORK/tcpdump.log" &
TD=$!
/usr/bin/time -f "%U %S %M" -o "$WORK/time" "$BIN" -i lo --stop-after $((SECS + 6)) \
    --summary --format json $FILTER >"$WORK/summary.json" 2>"$WORK/sipview.err" &
SV=$!
sleep 1.5
sipp -sn uas -i 127.0.0.1 -p $UAS -nostdin -bg >/dev/null 2>&1 || true
sleep 0.5
timeout $((SECS + 30)) sipp 127.0.0.1:$UAS -sn uac -i 127.0.0.1 -p $UAC -r "$RATE" -d 0 \
    -m $((RATE * SECS)) -l 4000 -nostdin >/dev/null 2>&1 || true
pkill -f "sipp -sn uas -i 127.0.0.1 -p $UAS" || true
wait $SV || true
kill -INT $TD; wait $TD || true

read -r USER_S SYS_S MAX_KB <"$WORK/time"
live=$(grep -o '"sip_messages": [0-9]*' "$WORK/summary.json" | grep -o '[0-9]*$')
dumped=$("$BIN" -I "$WORK/tcpdump.pcap" --summary --format json | grep -o '"sip_messages": [0-9]*' | grep -o '[0-9]*$')
wall=$((SECS + 6))
echo "rate: $RATE calls/s x 6 = $((RATE * 6)) SIP messages/s for ${SECS} s"
echo "sipview: $live SIP messages; tcpdump file: $dumped SIP messages; lost: $((dumped - live))"
echo "sipview CPU: user ${USER_S}s + system ${SYS_S}s over ${wall}s wall = $(echo "($USER_S + $SYS_S) * 100 / $wall" | bc -l | cut -c1-5)% of one core; peak RSS $((MAX_KB / 1024)) MiB"
tail -1 "$WORK/sipview.err"
