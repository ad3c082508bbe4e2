#!/usr/bin/env bash
# make-diag-samples.sh - (re)make the real diag-*.pcap captures in samples/:
# one small capture per call-diagnosis rule (failed authentication, refused
# registration, 404/484, codec problems, Q.850 hangup cause, timeouts and
# loops, NAT, missing ACK, DTMF, a registration's refreshes over time).
#
# Made exactly like the captures of make-real-samples.sh, on loopback only:
#   1. tcpdump starts on lo with a capture filter that matches only this
#      sample's ports (each sample has its own ports in 5100-5126), so nothing
#      else ends up in the file;
#   2. one or more sipp pairs run one after the other: a UAS (-m 1) listening
#      on the sample's server port, then a UAC (-m 1) calling it from the
#      sample's client port; every sipp run is bounded (-m, -timeout, and
#      `timeout`);
#   3. tcpdump is stopped (SIGINT to its own pid) and the file is moved into
#      samples/.
# Then, if tshark is installed, the number of SIP messages and distinct
# Call-IDs in each file is checked against what the scenarios must produce.
#
# Scenarios: scripts/sipp/diag-NAME-uac.xml / diag-NAME-uas.xml. Call-IDs are
# fixed with -cid_str (e.g. "diag-auth-repeat-1@sipview.test"), tags and
# branches are fixed in the scenarios, and sipp's digest cnonce is its first
# unseeded rand() (6b8b4567), so the SIP payloads are byte-identical on every
# run; only timestamps change.
#
# Needs: bash, sipp (Debian package sip-tester), tcpdump, and root (or
# CAP_NET_RAW) for capturing. tshark is optional (used for the check only).
# Takes about 95 s (diag-no-ack.pcap alone waits 32 s for an ACK,
# diag-register-timeline.pcap takes 20 s).
#
# Usage: scripts/make-diag-samples.sh [OUTDIR [SAMPLE...]]
#   OUTDIR defaults to samples/; SAMPLE names (e.g. diag-nat.pcap) make only
#   those files.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCEN="$ROOT/scripts/sipp"
OUT=$(mkdir -p "${1:-$ROOT/samples}" && cd "${1:-$ROOT/samples}" && pwd)
[ $# -gt 0 ] && shift
ONLY=" $* "
WORK=$(mktemp -d /tmp/sipview-diag-samples.XXXXXX)

for tool in sipp tcpdump; do
    command -v "$tool" >/dev/null || { echo "error: $tool not found (apt-get install sip-tester tcpdump)" >&2; exit 1; }
done

TCPDUMP_PID=""
UAS_PID=""      # the background sipp UAS, while it runs
# shellcheck source=lib/capture.sh
. "$ROOT/scripts/lib/capture.sh"


# run_pair CASE UAS_PORT UAC_PORT CID_PREFIX SERVICE [UAC args...] [-- UAS args...]
#   CASE: scenario base name (scripts/sipp/CASE-uas.xml and CASE-uac.xml);
#   SERVICE: the called user (sipp -s: Request-URI and To).
#   UDP over 127.0.0.1; the Call-ID is CID_PREFIX-1@sipview.test.
#   SIPP_TIMEOUT (seconds, default 20) bounds each sipp run.
#   The UAS is started first and waited for; both exit codes are only logged;
#   the tshark check at the end decides whether the sample is right.
run_pair() {
    local case=$1 uas_port=$2 uac_port=$3 cid=$4 service=$5
    shift 5
    local uac_extra=() uas_extra=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do uac_extra+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    uas_extra=("$@")
    local t=${SIPP_TIMEOUT:-20}
    local common=(-t u1 -i 127.0.0.1 -m 1 -nd -nostdin -timeout "${t}s" -trace_err)
    (cd "$WORK" && exec timeout $((t + 20)) sipp -sf "$SCEN/$case-uas.xml" "${common[@]}" -p "$uas_port" \
        ${uas_extra[@]+"${uas_extra[@]}"} >"$WORK/$case.uas.log" 2>&1) &
    UAS_PID=$!
    sleep 0.5
    local rc_uac=0 rc_uas=0
    (cd "$WORK" && exec timeout $((t + 20)) sipp "127.0.0.1:$uas_port" -sf "$SCEN/$case-uac.xml" "${common[@]}" \
        -p "$uac_port" -s "$service" -cid_str "$cid-%u@sipview.test" \
        ${uac_extra[@]+"${uac_extra[@]}"} >"$WORK/$case.uac.log" 2>&1) || rc_uac=$?
    wait "$UAS_PID" || rc_uas=$?
    UAS_PID=""
    log "   sipp $case 127.0.0.1:$uas_port <- :$uac_port ($cid): uac rc=$rc_uac uas rc=$rc_uas"
    sleep 0.3
}


# ---------------------------------------------------------------- samples
# Users: alice calls bob (carol in diag-auth-repeat); digest passwords are
# "secret-USER" (the registrar checks them with sipp verifyauth).

# diag-auth-repeat.pcap (5100/5101): the credentials are challenged again.
#   INVITE -> 401 -> ACK -> INVITE(Authorization) -> 401 -> ACK      (6)
if wanted diag-auth-repeat.pcap; then
    start_capture diag-auth-repeat.pcap lo "" "$(udp_filter 5100 5101)"
    run_pair diag-auth-repeat 5100 5101 diag-auth-repeat bob \
        -au carol -ap secret-carol -auth_uri "bob@127.0.0.1:5100"
    stop_capture
fi

# diag-auth-rejected.pcap (5102/5103): wrong password.
#   REGISTER -> 401 -> REGISTER(Authorization) -> 403                  (4)
#   INVITE -> 407 -> ACK -> INVITE(Proxy-Authorization) -> 403 -> ACK  (6)
if wanted diag-auth-rejected.pcap; then
    start_capture diag-auth-rejected.pcap lo "" "$(udp_filter 5102 5103)"
    run_pair diag-register 5102 5103 diag-auth-rejected-reg alice \
        -au alice -ap wrong-password -auth_uri sipview.test
    run_pair diag-proxy-auth 5102 5103 diag-auth-rejected-inv bob \
        -au alice -ap wrong-password -auth_uri "bob@127.0.0.1:5102"
    stop_capture
fi

# diag-register-max-contacts.pcap (registrar 5104, phones 5105 and 5106): two
# phones register the same AoR (alice, right password) from different
# Contacts, each with its own Call-ID; the registrar keeps one contact
# (max_contacts=1): the first gets 200, the second 403.
#   REGISTER -> 401 -> REGISTER(Authorization) -> 200 (Contact;expires=3600)
#   REGISTER -> 401 -> REGISTER(Authorization) -> 403 Forbidden        (8)
if wanted diag-register-max-contacts.pcap; then
    start_capture diag-register-max-contacts.pcap lo "" "$(udp_filter 5104 5105 5106)"
    (cd "$WORK" && exec timeout 40 sipp -sf "$SCEN/diag-register-uas.xml" -t u1 -i 127.0.0.1 -p 5104 -m 2 \
        -nd -nostdin -timeout 20s -trace_err >"$WORK/maxc.uas.log" 2>&1) &
    UAS_PID=$!
    sleep 0.5
    for dev in a:5105 b:5106; do
        rc=0
        (cd "$WORK" && exec timeout 40 sipp 127.0.0.1:5104 -sf "$SCEN/diag-register-uac.xml" -t u1 -i 127.0.0.1 \
            -p "${dev#*:}" -m 1 -nd -nostdin -timeout 20s -trace_err -s alice -au alice -ap secret-alice \
            -auth_uri sipview.test -cid_str "diag-max-contacts-phone-${dev%%:*}-%u@sipview.test" \
            >"$WORK/maxc.uac.${dev%%:*}.log" 2>&1) || rc=$?
        log "   sipp REGISTER phone ${dev%%:*} from :${dev#*:}: uac rc=$rc"
        sleep 0.5
    done
    rc=0; wait "$UAS_PID" || rc=$?
    UAS_PID=""
    log "   sipp registrar rc=$rc"
    stop_capture
fi

# diag-not-found.pcap (5108/5109):
#   INVITE sip:9999 -> 404 Not Found -> ACK                            (3)
#   INVITE sip:12   -> 484 Address Incomplete -> ACK                   (3)
if wanted diag-not-found.pcap; then
    start_capture diag-not-found.pcap lo "" "$(udp_filter 5108 5109)"
    run_pair diag-reject 5108 5109 diag-not-found-404 9999 -key subject "no such extension" -- -set code 404
    run_pair diag-reject 5108 5109 diag-not-found-484 12 -key subject "dialled too few digits" -- -set code 484
    stop_capture
fi

# diag-codec.pcap (5110/5111):
#   INVITE (PCMU, PCMA, telephone-event) -> 488 Not Acceptable Here -> ACK (3)
#   INVITE (PCMU) -> 200 (answer: G729 only) -> ACK -> BYE -> 200       (5)
if wanted diag-codec.pcap; then
    start_capture diag-codec.pcap lo "" "$(udp_filter 5110 5111)"
    run_pair diag-reject 5110 5111 diag-codec-488 bob -key subject "callee has no codec in common" -- -set code 488
    run_pair diag-codec-mismatch 5110 5111 diag-codec-mismatch bob
    stop_capture
fi

# diag-hangupcause.pcap (5112/5113):
#   INVITE -> 100 -> 503 (X-Asterisk-HangupCause: Normal Circuit Congestion,
#   X-Asterisk-HangupCauseCode: 34) -> ACK                             (4)
if wanted diag-hangupcause.pcap; then
    start_capture diag-hangupcause.pcap lo "" "$(udp_filter 5112 5113)"
    run_pair diag-hangupcause 5112 5113 diag-hangupcause 0155501234
    stop_capture
fi

# diag-timeouts.pcap (5114/5115), five Call-IDs:
#   INVITE -> 100 -> 408 Request Timeout -> ACK                        (4)
#   OPTIONS (Max-Forwards: 0) -> 483 Too Many Hops                     (2)
#   INVITE -> 482 Loop Detected -> ACK                                 (3)
#   INVITE (Session-Expires: 60) -> 422 (Min-SE: 90) -> ACK            (3)
#   BYE (unknown dialog) -> 481 Call/Transaction Does Not Exist        (2)
if wanted diag-timeouts.pcap; then
    start_capture diag-timeouts.pcap lo "" "$(udp_filter 5114 5115)"
    run_pair diag-reject 5114 5115 diag-timeouts-408 bob -key subject "nobody answers" -- -set code 408
    run_pair diag-max-forwards 5114 5115 diag-timeouts-483 bob
    run_pair diag-reject 5114 5115 diag-timeouts-482 bob -key subject "request comes back to the proxy" -- -set code 482
    run_pair diag-session-timer 5114 5115 diag-timeouts-422 bob
    run_pair diag-unknown-dialog 5114 5115 diag-timeouts-481 bob
    stop_capture
fi

# diag-nat.pcap (5116/5117): caller with private Via/Contact/SDP
# (192.168.1.50:5060), packets from 127.0.0.1:5117; the callee adds
# rport=5117;received=127.0.0.1 and answers with c=IN IP4 10.0.0.9.
#   INVITE -> 100 -> 180 -> 200 -> ACK -> BYE -> 200                   (7)
if wanted diag-nat.pcap; then
    start_capture diag-nat.pcap lo "" "$(udp_filter 5116 5117)"
    run_pair diag-nat 5116 5117 diag-nat bob -- -key peer_port 5117
    stop_capture
fi

# diag-no-ack.pcap (5118/5119): the caller never ACKs. The callee retransmits
# the 200 OK at +0.5, 1.5, 3.5, 7.5, 11.5, ... 27.5 s (T1 = 500 ms, doubling
# up to T2 = 4 s: 9 retransmissions); at +31.5 s, when sipp gives up on it
# (~64*T1 = 32 s), the callee sends BYE instead of a 10th retransmission.
#   INVITE -> 100 -> 180 -> 200 x 10 -> BYE -> 200                     (15)
if wanted diag-no-ack.pcap; then
    start_capture diag-no-ack.pcap lo "" "$(udp_filter 5118 5119)"
    SIPP_TIMEOUT=60 run_pair diag-no-ack 5118 5119 diag-no-ack bob -- -max_retrans 20
    stop_capture
fi

# diag-dtmf.pcap (5120/5121): offer PCMU + telephone-event, answer PCMU only.
#   INVITE -> 200 -> ACK -> BYE -> 200                                 (5)
if wanted diag-dtmf.pcap; then
    start_capture diag-dtmf.pcap lo "" "$(udp_filter 5120 5121)"
    run_pair diag-dtmf 5120 5121 diag-dtmf bob
    stop_capture
fi

# diag-dtmf-info.pcap (5186/5187): offer and answer PCMU + telephone-event,
# then the key 5 as SIP INFO (application/dtmf-relay).
#   INVITE -> 200 -> ACK -> INFO -> 200 -> BYE -> 200                  (7)
if wanted diag-dtmf-info.pcap; then
    start_capture diag-dtmf-info.pcap lo "" "$(udp_filter 5186 5187)"
    run_pair diag-dtmf-info 5186 5187 diag-dtmf-info bob
    stop_capture
fi

# diag-dtmf-nopath.pcap (5188/5189): offer and answer G.729 only, no
# telephone-event: no DTMF path but in-band tones through G.729.
#   INVITE -> 200 -> ACK -> BYE -> 200                                 (5)
if wanted diag-dtmf-nopath.pcap; then
    start_capture diag-dtmf-nopath.pcap lo "" "$(udp_filter 5188 5189)"
    run_pair diag-dtmf-nopath 5188 5189 diag-dtmf-nopath bob
    stop_capture
fi

# diag-register-timeline.pcap (registrar 5122; alice's phone 5123, then
# 5124; bob's phone 5125 -> 5126, where nothing listens): a registration
# over time. Registrar diag-regtimeline-uas.xml (Min-Expires 5, no auth);
# alice (Call-ID diag-regtl-1@sipview.test, CSeq 1..6):
#   REGISTER Expires: 2 -> 423 (Min-Expires: 5); REGISTER Expires: 5 -> 200
#   (Contact ...;expires=5); +3 s refresh -> 200 (on time); +7 s refresh ->
#   200 (late: the binding expired 2 s before); +0.5 s refresh with Contact
#   port 5999 -> 200 (contact changed)                                (10)
#   new sipp run from :5124, same -cid_str (same Call-ID), CSeq 6, Contact
#   on 5124 -> 200 (source address changed)                            (2)
# bob (Call-ID diag-regtl-2@sipview.test): REGISTER to :5126, never
#   answered; retransmitted at +0.5, 1.5, 3.5 s; bob gives up at +5 s (4)
if wanted diag-register-timeline.pcap; then
    start_capture diag-register-timeline.pcap lo "" "$(udp_filter 5122 5123 5124 5125 5126)"
    run_pair diag-regtimeline 5122 5123 diag-regtl alice -- -set nreg 5
    (cd "$WORK" && exec timeout 40 sipp -sf "$SCEN/diag-regtimeline-uas.xml" -t u1 -i 127.0.0.1 -p 5122 -m 1 \
        -nd -nostdin -timeout 20s -trace_err -set nreg 1 >"$WORK/regtl.uas.moved.log" 2>&1) &
    UAS_PID=$!
    sleep 0.5
    rc=0
    (cd "$WORK" && exec timeout 40 sipp 127.0.0.1:5122 -sf "$SCEN/diag-regtimeline-once-uac.xml" -t u1 -i 127.0.0.1 \
        -p 5124 -m 1 -nd -nostdin -timeout 20s -trace_err -s alice -key regcseq 6 \
        -cid_str "diag-regtl-%u@sipview.test" >"$WORK/regtl.uac.moved.log" 2>&1) || rc=$?
    log "   sipp REGISTER alice from :5124 (diag-regtl): uac rc=$rc"
    rc=0; wait "$UAS_PID" || rc=$?
    UAS_PID=""
    log "   sipp registrar rc=$rc"
    sleep 0.3
    # no UAS on 5126: the REGISTER is never answered
    rc=0
    (cd "$WORK" && exec timeout 40 sipp 127.0.0.1:5126 -sf "$SCEN/diag-regtimeline-once-uac.xml" -t u1 -i 127.0.0.1 \
        -p 5125 -m 1 -nd -nostdin -timeout 20s -trace_err -s bob -key regcseq 1 \
        -cid_str "diag-regtl-2@sipview.test" >"$WORK/regtl.uac.bob.log" 2>&1) || rc=$?
    log "   sipp REGISTER bob from :5125 to :5126 (nobody there): uac rc=$rc"
    stop_capture
fi

# ---------------------------------------------------------------- check
# expected: file calls messages
EXPECTED="diag-auth-repeat.pcap 1 6
diag-auth-rejected.pcap 2 10
diag-register-max-contacts.pcap 2 8
diag-not-found.pcap 2 6
diag-codec.pcap 2 8
diag-hangupcause.pcap 1 4
diag-timeouts.pcap 5 14
diag-nat.pcap 1 7
diag-no-ack.pcap 1 15
diag-dtmf.pcap 1 5
diag-dtmf-info.pcap 1 7
diag-dtmf-nopath.pcap 1 5
diag-register-timeline.pcap 2 16"

check_samples "$EXPECTED"
