#!/usr/bin/env bash
# make-vxlan-sample.sh - real sipp calls across a VXLAN tunnel between two
# network namespaces, captured on the outer (underlay) side: every SIP and
# RTP packet in the file is an Ethernet frame inside UDP 4789, as a cloud
# traffic mirror or a datacenter overlay delivers it.
#
#   sv-a (198.51.100.1 on veth sv-va) <--veth--> sv-b (198.51.100.2 on sv-vb)
#   vx0 in each: VXLAN VNI 42, dstport 4789; overlay 192.0.2.1 / 192.0.2.2
#   sipp uas (built-in uac_pcap's peer: the `uas` scenario) in sv-b on
#   192.0.2.2:5060, sipp uac in sv-a from 192.0.2.1:5061, 3 calls;
#   tcpdump -i sv-va in sv-a, filter "udp port 4789".
#
# With PORT set (e.g. PORT=8472, Linux's VXLAN port before the IANA one),
# the tunnel uses that port and the file is vxlan-PORT-sipp.pcap, with
# Call-IDs vxlan-PORT-N: read it with `--vxlan-port PORT`.
#
# Needs root (namespaces, tcpdump), iproute2, sipp (sip-tester), tcpdump.
# Usage: sudo [PORT=N] scripts/make-vxlan-sample.sh [OUTDIR]   (default: samples/)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$(cd "${1:-$ROOT/samples}" && pwd)
PORT=${PORT:-4789}
if [ "$PORT" = 4789 ]; then NAME=vxlan; else NAME=vxlan-$PORT; fi
A=sv-a B=sv-b
cleanup() {
    [ -n "${TCPDUMP_PID:-}" ] && kill -INT "$TCPDUMP_PID" 2>/dev/null || true
    sleep 0.5
    ip netns del "$A" 2>/dev/null || true
    ip netns del "$B" 2>/dev/null || true
}
trap cleanup EXIT
cleanup
ip netns add "$A"
ip netns add "$B"
ip link add sv-va type veth peer name sv-vb
ip link set sv-va netns "$A"
ip link set sv-vb netns "$B"
for ns in "$A" "$B"; do ip -n "$ns" link set lo up; done
ip -n "$A" addr add 198.51.100.1/24 dev sv-va
ip -n "$B" addr add 198.51.100.2/24 dev sv-vb
ip -n "$A" link set sv-va up
ip -n "$B" link set sv-vb up
ip -n "$A" link add vx0 type vxlan id 42 local 198.51.100.1 remote 198.51.100.2 dstport "$PORT" dev sv-va
ip -n "$B" link add vx0 type vxlan id 42 local 198.51.100.2 remote 198.51.100.1 dstport "$PORT" dev sv-vb
ip -n "$A" addr add 192.0.2.1/24 dev vx0
ip -n "$B" addr add 192.0.2.2/24 dev vx0
ip -n "$A" link set vx0 up
ip -n "$B" link set vx0 up

FILE="$OUT/$NAME-sipp.pcap"
ip netns exec "$A" tcpdump -i sv-va -n -U --immediate-mode -w "$FILE" udp port "$PORT" 2>/dev/null &
TCPDUMP_PID=$!
sleep 1
ip netns exec "$B" timeout 30 sipp -sn uas -i 192.0.2.2 -p 5060 -m 3 -nd -bg > /tmp/uas.log 2>&1 || true
ip netns exec "$A" timeout 30 sipp -sn uac 192.0.2.2:5060 -i 192.0.2.1 -p 5061 -m 3 -r 5 -d 200 \
    -cid_str "$NAME-%u@sipview.test" -nostdin > /tmp/uac.log 2>&1 || true
sleep 1
kill -INT "$TCPDUMP_PID"
wait "$TCPDUMP_PID" 2>/dev/null || true
TCPDUMP_PID=
echo "wrote $FILE"
