# Shared by the make-*-samples.sh scripts: tcpdump on
# loopback around a sipp run. Expects WORK (scratch dir) and OUT (samples
# dir), TCPDUMP_PID and UAS_PID set by the caller; sets CUR_NAME.
# shellcheck shell=bash

cleanup() {
    # stop only what this script started and is still waiting for, by pid
    if [ -n "$UAS_PID" ]; then kill "$UAS_PID" 2>/dev/null || true; fi
    if [ -n "$TCPDUMP_PID" ]; then kill -INT "$TCPDUMP_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

log() { printf '%s\n' "$*" >&2; }

# start_capture NAME IFACE LINKTYPE FILTER
#   LINKTYPE is passed to tcpdump -y (empty = interface default).
#   --immediate-mode: without it tcpdump (TPACKET_V3) may still hold the last
#   packets in a ring block when it is stopped, and they would be lost.
start_capture() {
    local name=$1 iface=$2 linktype=$3 filter=$4
    local args=(-i "$iface" -n -U --immediate-mode -Z root -w "$WORK/$name")
    [ -n "$linktype" ] && args+=(-y "$linktype")
    CUR_NAME=$name
    log "== $name: tcpdump ${args[*]} '$filter'"
    tcpdump "${args[@]}" "$filter" 2>"$WORK/$name.tcpdump.log" &
    TCPDUMP_PID=$!
    local i
    for i in $(seq 50); do
        grep -q 'listening on' "$WORK/$name.tcpdump.log" 2>/dev/null && return 0
        kill -0 "$TCPDUMP_PID" 2>/dev/null || break
        sleep 0.1
    done
    cat "$WORK/$name.tcpdump.log" >&2
    echo "error: tcpdump did not start" >&2
    exit 1
}

stop_capture() {
    sleep 1   # let the last packets (and any late retransmission) be written
    kill -INT "$TCPDUMP_PID"
    wait "$TCPDUMP_PID" || true
    TCPDUMP_PID=""
    sed 's/^/   tcpdump: /' "$WORK/$CUR_NAME.tcpdump.log" | grep -v 'listening on' >&2 || true
    mv -f "$WORK/$CUR_NAME" "$OUT/$CUR_NAME"
    chmod 644 "$OUT/$CUR_NAME"
}


# wanted NAME: true when NAME is to be made (ONLY holds the SAMPLE
# arguments as " a b "; none = all)
wanted() {
    local only=${ONLY:-}
    [ -z "${only// /}" ] || [[ "$only" == *" $1 "* ]]
}

# udp_filter PORT...: 'udp and (port A or port B ...)'
udp_filter() {
    local f="" p
    for p in "$@"; do f="${f:+$f or }port $p"; done
    printf 'udp and (%s)' "$f"
}

# check_samples EXPECTED: each line "FILE CALLS MESSAGES [STREAMS PACKETS]",
# checked against tshark (SIP messages by CSeq, calls by Call-ID and, when
# given, the rows and packets of -z rtp,streams); exits 1 when one differs.
check_samples() {
    if ! command -v tshark >/dev/null; then
        log "tshark not installed: samples not checked"
        return 0
    fi
    local bad=0 f calls msgs streams pkts got got_msgs got_calls table
    while read -r f calls msgs streams pkts; do
        wanted "$f" || continue
        # one value per SIP message (CSeq never contains a comma) and Call-IDs
        got_msgs=$(tshark -r "$OUT/$f" -Y sip -T fields -e sip.CSeq -E occurrence=a 2>/dev/null \
            | tr ',' '\n' | grep -c . || true)
        got_calls=$(tshark -r "$OUT/$f" -Y sip -T fields -e sip.Call-ID -E occurrence=a 2>/dev/null \
            | tr ',' '\n' | grep . | sort -u | wc -l)
        got="$got_calls calls, $got_msgs SIP messages"
        local want="$calls calls, $msgs SIP messages"
        if [ -n "$streams" ]; then
            # rows of the stream table: a start time, then addresses and ports
            table=$(tshark -q -z rtp,streams -r "$OUT/$f" 2>/dev/null | grep -E '^ +[0-9]+\.[0-9]+ ')
            # Pkts: the first number after the SSRC and the payload names
            # ("g711U, opus" for a stream that changed codec)
            got="$got, $(grep -c . <<<"$table" || true) RTP streams, $(awk '
                { for (i = 8; i <= NF; i++) if ($i ~ /^[0-9]+$/) { n += $i; break } }
                END { print n + 0 }' <<<"$table") RTP packets"
            want="$want, $streams RTP streams, $pkts RTP packets"
        fi
        if [ "$got" = "$want" ]; then
            log "ok   $f: $got ($(stat -c %s "$OUT/$f") bytes)"
        else
            log "FAIL $f: $got; expected $want"
            bad=1
        fi
    done <<<"$1"
    [ "$bad" = 0 ] || { echo "some samples are not as expected; run again" >&2; exit 1; }
}
