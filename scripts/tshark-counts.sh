#!/usr/bin/env bash
# tshark-counts.sh - what tshark sees in every capture in samples/.
#
# Writes samples/tshark-counts.tsv with the columns
#   file  tshark_decode_args  calls  messages
# and samples/tshark-malformed.tsv with the columns
#   file  malformed_frames  sip_expert_frames  sip_expert_messages
#
# How counting is done (tshark's own defaults otherwise: TCP desegmentation
# on, IPv4/IPv6 defragmentation on, SIP heuristics on; the only extra options
# are the ones in the tshark_decode_args column):
#
#   tshark -n -r FILE ARGS -Y sip -T fields -E occurrence=a -E aggregator=US \
#          -e sip.Request-Line -e sip.Status-Line -e sip.Call-ID
#
#   -E occurrence=a prints *every* occurrence of a field in a frame, joined
#   by the aggregator (here the ASCII unit separator 0x1f, which no SIP line
#   contains). So a TCP segment or WebSocket frame that carries three SIP
#   messages gives three Status-Line values, and a message reassembled from
#   several TCP segments or IP fragments is counted once, in the frame that
#   completes it.
#   messages = number of Request-Line occurrences + number of Status-Line
#              occurrences (one of the two per SIP PDU tshark recognised);
#   calls    = number of distinct sip.Call-ID values (a message whose Call-ID
#              tshark cannot find adds no call).
#
#   malformed_frames    = frames matching `_ws.malformed`;
#   sip_expert_frames   = frames matching `sip && _ws.expert`;
#   sip_expert_messages = the distinct _ws.expert.message texts of those
#                         frames, joined with " | ".
#
# The file that is not a capture (not-a-capture.pcap) is skipped. For a
# truncated file tshark reads up to the damage and exits non-zero; the counts
# of what it read are recorded anyway.
#
# Usage: scripts/tshark-counts.sh [SAMPLES_DIR]
# With COUNTS_ONLY=1 only tshark-counts.tsv is written (the test suite uses
# this to check that the committed counts are still what tshark says).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=${1:-$ROOT/samples}
command -v tshark >/dev/null || { echo "error: tshark not found (apt-get install tshark)" >&2; exit 1; }

US=$'\x1f'

# extra tshark arguments per file (none needed for most: ports 5060, 5062,
# 5080, 6060 and 80 are all found by tshark's port table or SIP heuristics)
decode_args() {
    case "$1" in
        # tshark 4.0 does not put out-of-order TCP segments back in order
        # unless asked to
        tcp-out-of-order.pcap) echo "-o tcp.reassemble_out_of_order:TRUE" ;;
        *) echo "" ;;
    esac
}

# print "calls<TAB>messages" for a file
count() {
    local f=$1; shift
    tshark -n -r "$f" "$@" -Y sip -T fields -E occurrence=a -E aggregator="$US" \
        -e sip.Request-Line -e sip.Status-Line -e sip.Call-ID 2>/dev/null \
    | awk -F'\t' -v us="$US" '
        function items(s,   n, a, i, c) {
            if (s == "") return 0
            n = split(s, a, us); c = 0
            for (i = 1; i <= n; i++) if (a[i] != "") c++
            return c
        }
        {
            msgs += items($1) + items($2)
            if ($3 != "") { n = split($3, a, us); for (i = 1; i <= n; i++) if (a[i] != "") ids[a[i]] = 1 }
        }
        END { c = 0; for (k in ids) c++; printf "%d\t%d\n", c, msgs + 0 }'
}

malformed() {
    local f=$1; shift
    local m e msgs
    m=$(tshark -n -r "$f" "$@" -Y '_ws.malformed' 2>/dev/null | wc -l)
    e=$(tshark -n -r "$f" "$@" -Y 'sip && _ws.expert' 2>/dev/null | wc -l)
    msgs=$(tshark -n -r "$f" "$@" -Y 'sip && _ws.expert' -T fields -E occurrence=a -E aggregator="$US" \
            -e _ws.expert.message 2>/dev/null | tr "$US" '\n' | grep . | sort -u | paste -sd'|' - \
            | sed 's/|/ | /g' || true)
    printf '%s\t%s\t%s\n' "$m" "$e" "$msgs"
}

out="$DIR/tshark-counts.tsv"
mal="$DIR/tshark-malformed.tsv"
printf 'file\ttshark_decode_args\tcalls\tmessages\n' >"$out.tmp"
printf 'file\tmalformed_frames\tsip_expert_frames\tsip_expert_messages\n' >"$mal.tmp"

for path in "$DIR"/*.pcap "$DIR"/*.pcapng "$DIR"/*.pcap.gz; do
    [ -e "$path" ] || continue
    f=$(basename "$path")
    [ "$f" = not-a-capture.pcap ] && continue
    args=$(decode_args "$f")
    # shellcheck disable=SC2086  # args is a list of words on purpose
    printf '%s\t%s\t%s\n' "$f" "$args" "$(count "$path" $args)" >>"$out.tmp"
    if [ "${COUNTS_ONLY:-0}" != 1 ]; then
        # shellcheck disable=SC2086
        printf '%s\t%s\n' "$f" "$(malformed "$path" $args)" >>"$mal.tmp"
    fi
done

mv "$out.tmp" "$out"
if [ "${COUNTS_ONLY:-0}" = 1 ]; then rm -f "$mal.tmp"; else mv "$mal.tmp" "$mal"; fi
column -t -s $'\t' "$out" 2>/dev/null || cat "$out"
