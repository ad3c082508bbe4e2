#!/usr/bin/env bash
# make-real-samples.sh - (re)make the *real* SIP captures in samples/.
#
# Every sample is made the same way, on loopback only:
#   1. tcpdump starts on lo (or "any") with a capture filter that matches only
#      this sample's ports, so nothing else ends up in the file;
#   2. one or more sipp pairs run one after the other: a UAS (-m 1) listening on
#      the sample's server port, then a UAC (-m 1) calling it from the sample's
#      client port; every sipp run is bounded (-m, -timeout, and `timeout`);
#   3. tcpdump is stopped (SIGINT to its own pid) and the file is moved into
#      samples/.
# Then, if tshark is installed, the number of SIP messages and distinct
# Call-IDs in each file is checked against what the scenarios must produce.
#
# Scenarios are in scripts/sipp/ (NAME-uac.xml / NAME-uas.xml). Call-IDs are
# fixed with -cid_str (e.g. "mix-call-1@sipview.test"), tags and branches are
# fixed in the scenarios, so apart from timestamps, TCP ports/sequence numbers
# and the digest cnonce/response, the files are the same on every run.
#
# Needs: bash, sipp (Debian package sip-tester), tcpdump, and root (or
# CAP_NET_RAW) for capturing. tshark is optional (used for the check only).
#
# Usage: scripts/make-real-samples.sh [OUTDIR]      (default OUTDIR: samples/)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCEN="$ROOT/scripts/sipp"
OUT=$(mkdir -p "${1:-$ROOT/samples}" && cd "${1:-$ROOT/samples}" && pwd)
WORK=$(mktemp -d /tmp/sipview-samples.XXXXXX)

for tool in sipp tcpdump; do
    command -v "$tool" >/dev/null || { echo "error: $tool not found (apt-get install sip-tester tcpdump)" >&2; exit 1; }
done

TCPDUMP_PID=""
UAS_PID=""      # the background sipp UAS, while it runs
# shellcheck source=lib/capture.sh
. "$ROOT/scripts/lib/capture.sh"

# run_pair CASE TRANSPORT LOCAL_IP REMOTE_HOST UAS_PORT UAC_PORT CID_PREFIX [UAC args...] [-- UAS args...]
#   CASE: scenario base name (scripts/sipp/CASE-uas.xml and CASE-uac.xml).
#   The UAS is started first and waited for; both exit codes are only logged
#   (a UAS whose peer vanishes on purpose ends with 1); the tshark check at the
#   end decides whether the sample is right.
run_pair() {
    local case=$1 transport=$2 ip=$3 rhost=$4 uas_port=$5 uac_port=$6 cid=$7
    shift 7
    local uac_extra=() uas_extra=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do uac_extra+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    uas_extra=("$@")
    local common=(-t "$transport" -i "$ip" -m 1 -nd -nostdin -timeout 20s -trace_err)
    (cd "$WORK" && exec timeout 40 sipp -sf "$SCEN/$case-uas.xml" "${common[@]}" -p "$uas_port" \
        ${uas_extra[@]+"${uas_extra[@]}"} >"$WORK/$case.uas.log" 2>&1) &
    UAS_PID=$!
    sleep 0.5
    local rc_uac=0 rc_uas=0
    (cd "$WORK" && exec timeout 40 sipp "$rhost:$uas_port" -sf "$SCEN/$case-uac.xml" "${common[@]}" \
        -p "$uac_port" -s bob -cid_str "$cid-%u@sipview.test" \
        ${uac_extra[@]+"${uac_extra[@]}"} >"$WORK/$case.uac.log" 2>&1) || rc_uac=$?
    wait "$UAS_PID" || rc_uas=$?
    UAS_PID=""
    log "   sipp $case over $transport $rhost:$uas_port <- $ip:$uac_port: uac rc=$rc_uac uas rc=$rc_uas"
    sleep 0.3
}

# The four INVITE flows of the *-invite-mix samples:
#   call     INVITE 100 180 200 ACK BYE 200                      (7 messages)
#   authcall INVITE 401 ACK INVITE(auth) 100 180 200 ACK BYE 200 (10)
#   busy     INVITE 100 486 ACK                                  (4)
#   cancel   INVITE 100 180 CANCEL 200 487 ACK                   (7)
invite_mix() { # TRANSPORT UAS_PORT UAC_PORT PREFIX
    local t=$1 sp=$2 cp=$3 p=$4
    run_pair call     "$t" 127.0.0.1 127.0.0.1 "$sp" "$cp" "$p-call"
    # digest uri = Request-URI of the INVITE; password of "bob" is "secret-bob"
    run_pair authcall "$t" 127.0.0.1 127.0.0.1 "$sp" "$cp" "$p-auth" -ap secret-bob -auth_uri "bob@127.0.0.1:$sp"
    run_pair busy     "$t" 127.0.0.1 127.0.0.1 "$sp" "$cp" "$p-busy"
    run_pair cancel   "$t" 127.0.0.1 127.0.0.1 "$sp" "$cp" "$p-cancel"
}

# ---------------------------------------------------------------- samples
# udp-register-auth.pcap: registrar 127.0.0.1:5060, UA 127.0.0.1:5061.
# Three users (alice, bob, carol), each REGISTER -> 401 -> REGISTER(auth) -> 200.
start_capture udp-register-auth.pcap lo "" 'udp and (port 5060 or port 5061)'
(cd "$WORK" && exec timeout 60 sipp -sf "$SCEN/reg-uas.xml" -t u1 -i 127.0.0.1 -p 5060 -m 3 -nd -nostdin \
    -timeout 30s -trace_err >"$WORK/reg.uas.log" 2>&1) &
UAS_PID=$!
sleep 0.5
for u in alice bob carol; do
    rc=0
    (cd "$WORK" && exec timeout 40 sipp 127.0.0.1:5060 -sf "$SCEN/reg-uac.xml" -t u1 -i 127.0.0.1 -p 5061 -m 1 \
        -nd -nostdin -timeout 20s -trace_err -s "$u" -ap "secret-$u" -auth_uri sipview.test \
        -cid_str "reg-$u-%u@sipview.test" >"$WORK/reg.uac.$u.log" 2>&1) || rc=$?
    log "   sipp REGISTER $u: uac rc=$rc"
    sleep 0.2
done
rc=0; wait "$UAS_PID" || rc=$?
UAS_PID=""
log "   sipp registrar rc=$rc"
stop_capture

# udp-invite-mix.pcap: UAS 127.0.0.1:5062, UAC 127.0.0.1:5063 (UDP).
start_capture udp-invite-mix.pcap lo "" 'udp and (port 5062 or port 5063)'
invite_mix u1 5062 5063 udp
stop_capture

# tcp-invite-mix.pcap: same flows over TCP (one connection per flow), UAS on
# the non-standard port 5080, UAC bound to 5081.
start_capture tcp-invite-mix.pcap lo "" 'tcp and port 5080'
invite_mix t1 5080 5081 tcp
stop_capture

# sll2-any.pcap / sll-any.pcap: basic UDP call captured on the "any" device as
# Linux cooked v2 / v1 (tcpdump -i any -y LINUX_SLL2 / LINUX_SLL).
start_capture sll2-any.pcap any LINUX_SLL2 'udp and (port 5064 or port 5065)'
run_pair call u1 127.0.0.1 127.0.0.1 5064 5065 sll2-call
stop_capture

start_capture sll-any.pcap any LINUX_SLL 'udp and (port 5066 or port 5067)'
run_pair call u1 127.0.0.1 127.0.0.1 5066 5067 sll-call
stop_capture

# ipv6-udp.pcap: basic call over UDP on [::1] (UAS [::1]:5068, UAC [::1]:5069).
start_capture ipv6-udp.pcap lo "" 'ip6 and udp and (port 5068 or port 5069)'
run_pair call u1 ::1 '[::1]' 5068 5069 v6-call
stop_capture

# udp-no-answer.pcap: retransmissions, UAS on the non-standard port 6060.
#  noanswer: the UAS never answers; the UAC sends the INVITE and 4
#            retransmissions (T1=200 ms: +0.2 +0.6 +1.4 +3.0 s), then gives up.
#  noack:    the UAS answers 100 + 200 OK but no ACK ever comes; it sends the
#            200 OK and 3 retransmissions (T1=250 ms), then gives up.
start_capture udp-no-answer.pcap lo "" 'udp and (port 6060 or port 6061)'
run_pair noanswer u1 127.0.0.1 127.0.0.1 6060 6061 noanswer -max_invite_retrans 4
run_pair noack    u1 127.0.0.1 127.0.0.1 6060 6061 noack -- -max_retrans 3
stop_capture

# ---------------------------------------------------------------- check
# expected: file calls messages
EXPECTED="udp-register-auth.pcap 3 12
udp-invite-mix.pcap 4 28
tcp-invite-mix.pcap 4 28
sll2-any.pcap 1 7
sll-any.pcap 1 7
ipv6-udp.pcap 1 7
udp-no-answer.pcap 2 11"

check_samples "$EXPECTED"
