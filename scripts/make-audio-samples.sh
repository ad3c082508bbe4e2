#!/usr/bin/env bash
# make-audio-samples.sh - (re)make samples/rtp-g711-loss.pcap: the real
# loopback capture samples/rtp-g711-dtmf.pcap (sipp's own G.711 A-law
# capture played by uac_pcap across lo, see make-media-samples.sh) with RTP
# packets of one direction removed, to test that exported audio keeps its
# length (silence where packets were lost) and that the MOS drops.
#
# Removed, from the stream 127.0.0.1:6134 -> 127.0.0.1:6130 (the callee's
# audio, 236 packets): every 10th packet of it (the 10th, 20th, ...) and
# a burst of the 5 packets following the 100th: 28 packets, 11.9 %.
# The frames are found with tshark and deleted with editcap (both from the
# Wireshark tools); nothing else in the file changes.
#
# Needs: tshark, editcap. Usage: scripts/make-audio-samples.sh [OUTDIR]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$(mkdir -p "${1:-$ROOT/samples}" && cd "${1:-$ROOT/samples}" && pwd)
IN="$ROOT/samples/rtp-g711-dtmf.pcap"
for tool in tshark editcap; do
    command -v "$tool" >/dev/null || { echo "error: $tool not found (apt-get install tshark)" >&2; exit 1; }
done
frames=$(tshark -r "$IN" -d udp.port==6130,rtp -d udp.port==6134,rtp \
    -Y 'rtp && udp.srcport==6134 && udp.dstport==6130 && rtp.p_type==8' -T fields -e frame.number \
    | awk '{ n++ } n % 10 == 0 || (n > 100 && n <= 105) { print $1 }')
# shellcheck disable=SC2086
editcap "$IN" "$OUT/rtp-g711-loss.pcap" $frames
echo "rtp-g711-loss.pcap: removed $(echo $frames | wc -w) RTP packets"
