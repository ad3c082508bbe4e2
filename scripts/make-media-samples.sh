#!/usr/bin/env bash
# make-media-samples.sh - (re)make the real rtp-*.pcap captures in samples/:
# calls with RTP, made the way make-diag-samples.sh makes its captures, on
# loopback only:
#   1. tcpdump starts on lo with a capture filter that matches only this
#      sample's SIP and media ports (SIP in 5130-5135, media in 6130-6158),
#      so nothing else ends up in the file;
#   2. sipp pairs run one after the other: a UAS (-m 1) listening on the
#      sample's SIP port, then a UAC (-m 1) calling it; every sipp run is
#      bounded (-m, -timeout, and `timeout`). Media ports are fixed with -mp
#      (sipp also binds -mp + 2 for video, hence the steps of 4);
#   3. tcpdump is stopped (SIGINT to its own pid) and the file is moved into
#      samples/.
# Then, if tshark is installed, the SIP messages, Call-IDs and RTP streams
# and packets of each file are checked against what the scenarios must
# produce.
#
# The media is what sipp's built-in uac_pcap scenario plays: the G.711
# A-law capture (236 packets, about 7 s, SSRC 0xDEE0EE8F) and the RFC 2833
# capture of the key 1 (10 packets, SSRC 0x0E05384E) shipped by the Debian
# package sip-tester in /usr/share/sip-tester/. sipp rewrites their
# addresses and ports and keeps their RTP headers and timing.
#
# Scenarios: scripts/sipp/rtp-*.xml (uac_pcap with fixed tags and
# branches). Call-IDs are fixed with -cid_str, so the SIP payloads are
# byte-identical on every run; only timestamps change.
#
# Needs: bash, sipp (sip-tester), tcpdump, and root (or CAP_NET_RAW) for
# capturing. tshark is optional (used for the check only). Takes about 35 s.
#
# Usage: scripts/make-media-samples.sh [OUTDIR [SAMPLE...]]
#   OUTDIR defaults to samples/; SAMPLE names (e.g. rtp-one-way.pcap) make
#   only those files.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCEN="$ROOT/scripts/sipp"
OUT=$(mkdir -p "${1:-$ROOT/samples}" && cd "${1:-$ROOT/samples}" && pwd)
[ $# -gt 0 ] && shift
ONLY=" $* "
WORK=$(mktemp -d /tmp/sipview-media-samples.XXXXXX)
PCAPS=/usr/share/sip-tester

for tool in sipp tcpdump; do
    command -v "$tool" >/dev/null || { echo "error: $tool not found (apt-get install sip-tester tcpdump)" >&2; exit 1; }
done
for f in g711a.pcap dtmf_2833_1.pcap; do
    [ -r "$PCAPS/$f" ] || { echo "error: $PCAPS/$f not found (apt-get install sip-tester)" >&2; exit 1; }
done

TCPDUMP_PID=""
UAS_PID=""      # the background sipp UAS, while it runs
# shellcheck source=lib/capture.sh
. "$ROOT/scripts/lib/capture.sh"


# run_media_pair UAS_XML UAS_PORT UAS_MEDIA UAC_XML UAC_PORT UAC_MEDIA CID
#   UDP over 127.0.0.1, called user bob; the Call-ID is CID-1@sipview.test.
#   The UAS is started first and waited for; both exit codes are only
#   logged: the tshark check at the end decides whether the sample is right.
run_media_pair() {
    local uas=$1 uas_port=$2 uas_media=$3 uac=$4 uac_port=$5 uac_media=$6 cid=$7
    local common=(-t u1 -i 127.0.0.1 -mi 127.0.0.1 -m 1 -nd -nostdin -timeout 30s -trace_err)
    (cd "$WORK" && exec timeout 50 sipp -sf "$SCEN/$uas.xml" "${common[@]}" -p "$uas_port" -mp "$uas_media" \
        >"$WORK/$cid.uas.log" 2>&1) &
    UAS_PID=$!
    sleep 0.5
    local rc_uac=0 rc_uas=0
    (cd "$WORK" && exec timeout 50 sipp "127.0.0.1:$uas_port" -sf "$SCEN/$uac.xml" "${common[@]}" \
        -p "$uac_port" -mp "$uac_media" -s bob -cid_str "$cid-%u@sipview.test" \
        >"$WORK/$cid.uac.log" 2>&1) || rc_uac=$?
    wait "$UAS_PID" || rc_uas=$?
    UAS_PID=""
    log "   sipp $uac :$uac_port (media :$uac_media) -> $uas :$uas_port (media :$uas_media), $cid: uac rc=$rc_uac uas rc=$rc_uas"
    sleep 0.3
}


# ---------------------------------------------------------------- samples

# rtp-g711-dtmf.pcap (SIP 5130/5131, media 6130/6134): audio both ways and
# the key 1 as RFC 2833 events. Offer and answer: PCMA + telephone-event.
#   INVITE -> 180 -> 200 -> ACK -> BYE -> 200                          (6)
#   RTP caller -> callee: PCMA 236 packets, then 10 event packets (own
#   SSRC, the end packet three times); callee -> caller: PCMA 236 packets
if wanted rtp-g711-dtmf.pcap; then
    start_capture rtp-g711-dtmf.pcap lo "" "$(udp_filter 5130 5131 6130 6134)"
    run_media_pair rtp-uas 5130 6134 rtp-uac 5131 6130 rtp-g711-dtmf
    stop_capture
fi

# rtp-one-way.pcap (SIP 5132/5133, media 6138/6142 and 6146/6150):
#   call rtp-one-way-1: the callee answers PCMA only (no telephone-event)
#   and sends nothing; the caller plays the audio and the key 1 anyway
#   INVITE -> 180 -> 200 -> ACK -> BYE -> 200                          (6)
#   call rtp-silent-1: answered, then no RTP either way for 2 s
#   INVITE -> 180 -> 200 -> ACK -> BYE -> 200                          (6)
if wanted rtp-one-way.pcap; then
    start_capture rtp-one-way.pcap lo "" "$(udp_filter 5132 5133 6138 6142 6146 6150)"
    run_media_pair rtp-one-way-uas 5132 6142 rtp-uac 5133 6138 rtp-one-way
    run_media_pair rtp-one-way-uas 5132 6150 rtp-silent-uac 5133 6146 rtp-silent
    stop_capture
fi

# rtp-nat.pcap (SIP 5134/5135, media 6154 and 6158): the caller's SDP
# announces 127.0.0.2:6154 but its RTP leaves from 127.0.0.1:6154; the
# callee plays its audio to the announced 127.0.0.2:6154, where nothing
# listens (the loopback interface carries all of 127/8, so it is captured).
#   INVITE -> 180 -> 200 -> ACK -> BYE -> 200                          (6)
if wanted rtp-nat.pcap; then
    start_capture rtp-nat.pcap lo "" "$(udp_filter 5134 5135 6154 6158)"
    run_media_pair rtp-uas 5134 6158 rtp-nat-uac 5135 6154 rtp-nat
    stop_capture
fi

# rtp-shared-port.pcap (SIP 5136-5138, media 6162, 6166, 6170): two calls at
# once to one UAS, which answers both with one media port (6162), as sipp
# and PBXs that reuse ports do. The second caller starts 1 s after the
# first, so its 200 OK announces 6162 again while the first call's audio
# flows to and from it; each call's streams must stay with their call.
#   per call: INVITE -> 180 -> 200 -> ACK -> BYE -> 200                (6)
#   per call: PCMA both ways (236 packets each) and the key 1 (10 event
#   packets) from the caller
if wanted rtp-shared-port.pcap; then
    start_capture rtp-shared-port.pcap lo "" "$(udp_filter 5136 5137 5138 6162 6166 6170)"
    common=(-t u1 -i 127.0.0.1 -mi 127.0.0.1 -nd -nostdin -timeout 30s -trace_err)
    (cd "$WORK" && exec timeout 50 sipp -sf "$SCEN/rtp-uas.xml" "${common[@]}" -m 2 -p 5136 -mp 6162 \
        >"$WORK/shared.uas.log" 2>&1) &
    UAS_PID=$!
    sleep 0.5
    uacs=()
    for leg in a:5137:6166 b:5138:6170; do
        IFS=: read -r name port media <<<"$leg"
        (cd "$WORK" && exec timeout 50 sipp 127.0.0.1:5136 -sf "$SCEN/rtp-uac.xml" "${common[@]}" -m 1 \
            -p "$port" -mp "$media" -s bob -cid_str "rtp-shared-$name-%u@sipview.test" \
            >"$WORK/shared.$name.log" 2>&1) &
        uacs+=($!)
        sleep 1
    done
    for pid in "${uacs[@]}"; do wait "$pid" || log "   sipp uac rc=$?"; done
    wait "$UAS_PID" || log "   sipp uas rc=$?"
    UAS_PID=""
    stop_capture
fi

# ---------------------------------------------------------------- check
# expected: file calls messages rtp_streams rtp_packets
EXPECTED="rtp-g711-dtmf.pcap 1 6 3 482
rtp-one-way.pcap 2 12 2 246
rtp-nat.pcap 1 6 2 472
rtp-shared-port.pcap 2 12 6 964"

check_samples "$EXPECTED"
