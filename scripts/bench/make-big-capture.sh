#!/usr/bin/env bash
# make-big-capture.sh - make a large, real SIP capture for benchmarking.
#
# sipp's built-in `uas` and `uac` scenarios talk over UDP on loopback and
# tcpdump records them:
#   * UAS on 127.0.0.1:$UAS_PORT (default 5090), UAC on 127.0.0.1:$UAC_PORT
#     (default 5091); capture filter "udp port 5090 or udp port 5091", so
#     nothing else on lo ends up in the file;
#   * N_CALLS calls (-m), at $RATE calls/s (-r/-rp 1000), at most $LIMIT
#     calls in flight (-l 2000), no pause between ACK and BYE (-d 0);
#   * each call is 6 UDP packets when nothing is retransmitted:
#     INVITE, 180, 200, ACK, BYE, 200 (the built-in uas sends no 100 Trying);
#   * tcpdump -s 0 -B 65536 (64 MiB kernel buffer, so kernel drops are rare);
#     it is stopped with SIGINT (to its own pid) and its exit summary
#     (captured / received by filter / dropped by kernel) is reported;
#   * the file is checked with `capinfos -c` (packet count only).
# The big captures belong outside the repo (e.g. /work/bench-data/).
#
# sipp runs under `nice -n $SIPP_NICE` (default 10) and tcpdump under
# `nice -n $TCPDUMP_NICE` (default 5): the machine is shared, and the capture
# must not be starved more than the traffic generator.
#
# Needs root (or CAP_NET_RAW) for tcpdump; sipp (Debian: sip-tester), tcpdump,
# capinfos (Debian: tshark / wireshark-common).
#
# Usage: scripts/bench/make-big-capture.sh N_CALLS OUT.pcap
#   env: RATE (1000) LIMIT (2000) UAS_PORT (5090) UAC_PORT (5091)
#        SIPP_NICE (10) TCPDUMP_NICE (5)
# Exit status: 0 if the file is complete (every call succeeded and the file
# holds at least 6*N_CALLS packets), 2 if it was made but is short/has failed
# calls (see the report), 1 on error.
set -euo pipefail

usage() { echo "usage: $0 N_CALLS OUT.pcap" >&2; exit 1; }
[ $# -eq 2 ] || usage
N=$1
OUT=$2
[[ "$N" =~ ^[1-9][0-9]*$ ]] || { echo "error: N_CALLS must be a positive integer, got '$N'" >&2; exit 1; }

RATE=${RATE:-1000}
LIMIT=${LIMIT:-2000}
UAS_PORT=${UAS_PORT:-5090}
UAC_PORT=${UAC_PORT:-5091}
SIPP_NICE=${SIPP_NICE:-10}
TCPDUMP_NICE=${TCPDUMP_NICE:-5}

for tool in sipp tcpdump capinfos timeout nice; do
    command -v "$tool" >/dev/null || {
        echo "error: $tool not found (apt-get install sip-tester tcpdump tshark coreutils)" >&2
        exit 1
    }
done

OUT_DIR=$(dirname -- "$OUT")
mkdir -p -- "$OUT_DIR"
OUT=$(cd "$OUT_DIR" && pwd)/$(basename -- "$OUT")
WORK=$(mktemp -d /tmp/sipview-bigcap.XXXXXX)
FILTER="udp port $UAS_PORT or udp port $UAC_PORT"

log() { printf '%s\n' "$*" >&2; }

# The UDP ports must be free, or sipp fails / something else gets captured.
if command -v ss >/dev/null && ss -uan | awk '{print $4}' | grep -Eq ":($UAS_PORT|$UAC_PORT)\$"; then
    echo "error: UDP port $UAS_PORT or $UAC_PORT already in use (set UAS_PORT/UAC_PORT)" >&2
    exit 1
fi

TCPDUMP_PID=""
UAS_PID=""
UAC_PID=""
cleanup() {
    # stop only what this script started and is still running, by pid
    [ -n "$UAC_PID" ] && kill "$UAC_PID" 2>/dev/null || true
    [ -n "$UAS_PID" ] && kill "$UAS_PID" 2>/dev/null || true
    [ -n "$TCPDUMP_PID" ] && kill -INT "$TCPDUMP_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Generous upper bound for the whole sipp run: N/RATE seconds plus slack.
SIPP_TIMEOUT=$(( N / RATE + 120 ))

# --- 1. tcpdump -------------------------------------------------------------
# -Z root: keep root so the file can be written anywhere (tcpdump otherwise
# drops to the tcpdump user after opening the device).
log "== tcpdump -i lo -n -s 0 -B 65536 -w $OUT '$FILTER'"
rm -f -- "$OUT"
nice -n "$TCPDUMP_NICE" tcpdump -i lo -n -s 0 -B 65536 -Z root -w "$WORK/cap.pcap" "$FILTER" \
    2>"$WORK/tcpdump.log" &
TCPDUMP_PID=$!
for _ in $(seq 100); do
    grep -q 'listening on' "$WORK/tcpdump.log" 2>/dev/null && break
    kill -0 "$TCPDUMP_PID" 2>/dev/null || break
    sleep 0.1
done
if ! grep -q 'listening on' "$WORK/tcpdump.log"; then
    cat "$WORK/tcpdump.log" >&2
    echo "error: tcpdump did not start" >&2
    exit 1
fi

# --- 2. sipp UAS, then UAC ---------------------------------------------------
# -m N on the UAS too: it exits once it has handled N calls.  -nostdin: no
# keyboard; the screen goes to a log file.
log "== sipp -sn uas -i 127.0.0.1 -p $UAS_PORT -m $N"
START=$(date +%s.%N)
nice -n "$SIPP_NICE" timeout "$((SIPP_TIMEOUT + 30))" \
    sipp -sn uas -i 127.0.0.1 -p "$UAS_PORT" -t u1 -m "$N" -nostdin \
    -trace_stat -stf "$WORK/uas-stat.csv" -fd 3600 \
    >"$WORK/uas.out" 2>&1 &
UAS_PID=$!
# wait for the UAS to bind its port
for _ in $(seq 50); do
    ss -uan 2>/dev/null | awk '{print $4}' | grep -Eq ":$UAS_PORT\$" && break
    kill -0 "$UAS_PID" 2>/dev/null || break
    sleep 0.1
done
kill -0 "$UAS_PID" 2>/dev/null || { cat "$WORK/uas.out" >&2; echo "error: sipp UAS did not start" >&2; exit 1; }

log "== sipp -sn uac 127.0.0.1:$UAS_PORT -p $UAC_PORT -m $N -r $RATE -rp 1000 -l $LIMIT -d 0"
nice -n "$SIPP_NICE" timeout "$SIPP_TIMEOUT" \
    sipp -sn uac "127.0.0.1:$UAS_PORT" -i 127.0.0.1 -p "$UAC_PORT" -t u1 \
    -m "$N" -r "$RATE" -rp 1000 -l "$LIMIT" -d 0 -nostdin \
    -trace_stat -stf "$WORK/uac-stat.csv" -fd 3600 \
    >"$WORK/uac.out" 2>&1 &
UAC_PID=$!
UAC_RC=0
wait "$UAC_PID" || UAC_RC=$?
UAC_PID=""
# The UAS finishes with the last BYE; give it a moment, then stop it.
UAS_RC=0
for _ in $(seq 100); do kill -0 "$UAS_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$UAS_PID" 2>/dev/null; then
    log "   (UAS still running after the UAC finished: stopping it)"
    kill "$UAS_PID" 2>/dev/null || true
fi
wait "$UAS_PID" || UAS_RC=$?
UAS_PID=""
END=$(date +%s.%N)

# --- 3. stop tcpdump ----------------------------------------------------------
# Wait > tcpdump's 1 s buffer timeout, so the last (partly filled) ring block
# is handed to tcpdump before it is told to stop.
sleep 2
kill -INT "$TCPDUMP_PID"
TCPDUMP_RC=0
wait "$TCPDUMP_PID" || TCPDUMP_RC=$?
TCPDUMP_PID=""
mv -f "$WORK/cap.pcap" "$OUT"
chmod 644 "$OUT"

# --- 4. report ----------------------------------------------------------------
# sipp's final stat line: the last line of the -stf CSV has
# SuccessfulCall(C) and FailedCall(C) (cumulative) columns.
csv_col() {  # csv_col FILE COLUMN_NAME -> value in the last row
    [ -s "$1" ] || { echo "?"; return; }
    awk -F';' -v name="$2" 'NR==1 { for (i = 1; i <= NF; i++) if ($i == name) c = i }
                            END { print (c ? $c : "?") }' "$1"
}
OK_CALLS=$(csv_col "$WORK/uac-stat.csv" 'SuccessfulCall(C)')
FAILED_CALLS=$(csv_col "$WORK/uac-stat.csv" 'FailedCall(C)')
RETRANS=$(csv_col "$WORK/uac-stat.csv" 'Retransmissions(C)')
UAS_RETRANS=$(csv_col "$WORK/uas-stat.csv" 'Retransmissions(C)')

tcpdump_num() { sed -n "s/^\([0-9][0-9]*\) packets\{0,1\} $1.*/\1/p" "$WORK/tcpdump.log" | tail -1; }
CAPTURED=$(tcpdump_num captured)
RECEIVED=$(tcpdump_num 'received by filter')
DROPPED=$(tcpdump_num 'dropped by kernel')

PACKETS=$(capinfos -c -M "$OUT" | awk -F: '/Number of packets/ { gsub(/ /, "", $2); print $2 }')
EXPECTED=$(( 6 * N ))
SIZE=$(stat -c %s "$OUT")

printf '\n%s\n' "== $OUT"
printf '  calls requested      %s\n' "$N"
printf '  sipp uac             rc=%s  successful=%s  failed=%s  retransmissions=%s (uas retransmissions=%s)\n' \
    "$UAC_RC" "$OK_CALLS" "$FAILED_CALLS" "$RETRANS" "$UAS_RETRANS"
printf '  sipp run time        %.1f s (uas rc=%s)\n' "$(awk -v a="$START" -v b="$END" 'BEGIN { print b - a }')" "$UAS_RC"
printf '  tcpdump              rc=%s  captured=%s  received_by_filter=%s  dropped_by_kernel=%s\n' \
    "$TCPDUMP_RC" "${CAPTURED:-?}" "${RECEIVED:-?}" "${DROPPED:-?}"
printf '  capinfos packets     %s (expected >= %s = 6 x calls)\n' "$PACKETS" "$EXPECTED"
printf '  file size            %s bytes (%.1f MiB)\n' "$SIZE" "$(awk -v s="$SIZE" 'BEGIN { print s / 1048576 }')"
if [ "$UAC_RC" -ne 0 ]; then
    sed -n '/Statistics Screen/,$p' "$WORK/uac.out" | tail -30 | sed 's/^/  uac: /' >&2 || true
fi

if [ "$UAC_RC" -ne 0 ] || [ "${DROPPED:-1}" != 0 ] || [ "$PACKETS" -lt "$EXPECTED" ]; then
    echo "warning: capture is not clean (failed calls, kernel drops or missing packets)" >&2
    exit 2
fi
echo "ok"
