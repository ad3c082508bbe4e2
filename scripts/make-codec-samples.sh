#!/usr/bin/env bash
# make-codec-samples.sh - (re)make the real captures of calls whose audio is
# G.722 or Opus, for the audio export: samples/rtp-g722.pcap,
# rtp-opus.pcap, rtp-codec-mix.pcap and rtp-codec-reinvite.pcap, then
# rtp-opus-loss.pcap derived from rtp-opus.pcap.
#
#   1. Tones of known frequency are made with sox (-6 dBFS sines) and
#      encoded by other programs than sipview's decoders: G.711 µ-law by
#      sox, G.722 (64 kbit/s) by ffmpeg's own encoder, Opus by ffmpeg with
#      libopus (40 kbit/s, 20 ms frames, VoIP mode, in-band FEC on, full
#      band: libopus picks its hybrid mode for these tones);
#   2. tcpdump starts on lo with a filter naming only the sample's SIP and
#      media ports (SIP 5140-5147, media 6180-6208);
#   3. scripts/codec-call.py makes one real SIP call over UDP on loopback
#      (INVITE with an SDP offer, 100, 180, 200 with the answer, ACK, RTP
#      both ways paced every 20 ms, for some a re-INVITE, then BYE, 200);
#   4. tcpdump is stopped (SIGINT to its own pid) and the file is moved into
#      samples/.
# rtp-opus-loss.pcap is rtp-opus.pcap with packets of the caller's stream
# (127.0.0.1:6188 -> :6192, 151 packets) removed by editcap (every 15th,
# and the 3 after the 75th: a burst of 4; 13 in all) and the payloads of 2
# others (the 40th and the 110th) overwritten in place by an invalid Opus
# packet (TOC code 3 with a frame count of 0; same length, nothing else
# changes): loss to conceal and corrupt packets to skip.
# Then, if tshark is installed, the SIP messages, Call-IDs and RTP streams
# and packets of each file are checked against what the calls must produce.
#
# Needs: bash, python3, sox, ffmpeg (with libopus), tcpdump, editcap
# (tshark), and root (or CAP_NET_RAW) for capturing. About 25 s.
#
# Usage: scripts/make-codec-samples.sh [OUTDIR [SAMPLE...]]
#   OUTDIR defaults to samples/; SAMPLE names (e.g. rtp-opus.pcap) make only
#   those files (rtp-opus-loss.pcap is remade from OUTDIR/rtp-opus.pcap).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$(mkdir -p "${1:-$ROOT/samples}" && cd "${1:-$ROOT/samples}" && pwd)
[ $# -gt 0 ] && shift
ONLY=" $* "
WORK=$(mktemp -d /tmp/sipview-codec-samples.XXXXXX)

for tool in python3 sox ffmpeg tcpdump editcap; do
    command -v "$tool" >/dev/null || {
        echo "error: $tool not found (apt-get install python3 sox ffmpeg tcpdump tshark)" >&2
        exit 1
    }
done

TCPDUMP_PID=""
UAS_PID=""      # not used here (the calls are one process), for capture.sh
# shellcheck source=lib/capture.sh
. "$ROOT/scripts/lib/capture.sh"

# ---------------------------------------------------------------- tones
# tone NAME CODEC FREQ SECONDS: $WORK/NAME.ulaw, .g722 or .opus
tone() {
    local name=$1 codec=$2 freq=$3 secs=$4
    case "$codec" in
        ulaw)
            sox -n -r 8000 -c 1 -e u-law -t ul "$WORK/$name.ulaw" synth "$secs" sine "$freq" vol 0.5 ;;
        g722)
            sox -n -r 16000 -c 1 -b 16 "$WORK/$name.wav" synth "$secs" sine "$freq" vol 0.5
            ffmpeg -nostdin -hide_banner -loglevel error -y -i "$WORK/$name.wav" \
                -c:a g722 -f g722 "$WORK/$name.g722" ;;
        opus)
            sox -n -r 48000 -c 1 -b 16 "$WORK/$name.wav" synth "$secs" sine "$freq" vol 0.5
            ffmpeg -nostdin -hide_banner -loglevel error -y -i "$WORK/$name.wav" \
                -c:a libopus -b:a 40k -frame_duration 20 -application voip \
                -fec 1 -packet_loss 10 -cutoff 20000 -f ogg "$WORK/$name.opus" ;;
    esac
}
tone g722-1000 g722 1000 3
tone g722-5000 g722 5000 3
tone opus-1000 opus 1000 3
tone opus-10000 opus 10000 3
tone ulaw-1000-2s ulaw 1000 2
tone ulaw-2000-2s ulaw 2000 2
tone g722-5000-2s g722 5000 2
tone opus-3000-2s opus 3000 2
tone opus-6000-2s opus 6000 2

# call SAMPLE PLAN PORT...: capture one codec-call.py plan
call() {
    local sample=$1 plan=$2
    shift 2
    wanted "$sample" || return 0
    start_capture "$sample" lo "" "$(udp_filter "$@")"
    timeout 60 python3 "$ROOT/scripts/codec-call.py" "$plan" "$WORK"
    stop_capture
}

# ---------------------------------------------------------------- samples
# rtp-g722.pcap: offer G722 PCMU telephone-event, answer G722 (9, static)
# and telephone-event; G.722 both ways, 150 packets each (3 s): the caller
# 1 kHz, the callee 5 kHz.
call rtp-g722.pcap g722 5140 5141 6180 6184
# rtp-opus.pcap: offer and answer opus/48000/2 on payload type 107
# (fmtp useinbandfec=1) and telephone-event/48000; Opus both ways, 151
# packets each: the caller 1 kHz, the callee 10 kHz.
call rtp-opus.pcap opus 5142 5143 6188 6192
# rtp-codec-mix.pcap: the answer accepts G722 and PCMU; the caller sends
# PCMU (1 kHz), the callee G.722 (5 kHz), 100 packets each (2 s).
call rtp-codec-mix.pcap mix 5144 5145 6196 6200
# rtp-codec-reinvite.pcap: PCMU both ways for 2 s (1 kHz, 2 kHz), then a
# re-INVITE to Opus only and Opus both ways (3 kHz, 6 kHz), the caller on
# its first SSRC, the callee on a new one.
call rtp-codec-reinvite.pcap reinvite 5146 5147 6204 6208

# rtp-opus-loss.pcap (derived, see the header)
if wanted rtp-opus-loss.pcap; then
    frames=$(tshark -r "$OUT/rtp-opus.pcap" -d udp.port==6192,rtp \
        -Y 'rtp && udp.srcport==6188 && udp.dstport==6192' -T fields -e frame.number)
    drop=$(awk '{ n++ } n % 15 == 0 || (n > 75 && n <= 78) { print $1 }' <<<"$frames")
    corrupt=$(awk '{ n++ } n == 40 || n == 110 { print $1 }' <<<"$frames")
    python3 - "$OUT/rtp-opus.pcap" "$WORK/corrupt.pcap" $corrupt <<'EOF'
import struct, sys
src, dst, *which = sys.argv[1:]
which = {int(n) for n in which}
data = bytearray(open(src, "rb").read())
at, n = 24, 0
while at + 16 <= len(data):
    incl = struct.unpack_from("<I", data, at + 8)[0]
    n += 1
    if n in which:
        # Ethernet 14 + IPv4 20 + UDP 8 + RTP 12: the Opus payload
        payload = at + 16 + 14 + 20 + 8 + 12
        end = at + 16 + incl
        data[payload:end] = bytes([0x7B, 0x00]) + bytes(end - payload - 2)
    at += 16 + incl
open(dst, "wb").write(bytes(data))
EOF
    # shellcheck disable=SC2086
    editcap "$WORK/corrupt.pcap" "$OUT/rtp-opus-loss.pcap" $drop
    chmod 644 "$OUT/rtp-opus-loss.pcap"
    log "rtp-opus-loss.pcap: removed $(wc -w <<<"$drop") RTP packets, corrupted $(wc -w <<<"$corrupt")"
fi

# ---------------------------------------------------------------- check
# expected: file calls messages rtp_streams rtp_packets
EXPECTED="rtp-g722.pcap 1 7 2 300
rtp-opus.pcap 1 7 2 302
rtp-codec-mix.pcap 1 7 2 200
rtp-codec-reinvite.pcap 1 10 3 402
rtp-opus-loss.pcap 1 7 2 289"

check_samples "$EXPECTED"
