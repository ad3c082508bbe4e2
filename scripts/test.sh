#!/usr/bin/env bash
# Runs sipview's whole test suite, installing first what the tests use
# (tshark checks the sample counts; tcpdump, sipp and tmux serve the capture
# and terminal tests; kamailio is the real HEP peer of tests/hep_kamailio.rs).
# Works on a fresh Debian machine with Rust.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

missing=()
command -v tshark >/dev/null 2>&1 || missing+=(tshark)
command -v tcpdump >/dev/null 2>&1 || missing+=(tcpdump)
command -v sipp >/dev/null 2>&1 || missing+=(sip-tester)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v kamailio >/dev/null 2>&1 || [ -x /usr/sbin/kamailio ] || missing+=(kamailio)
dpkg -s libpcap-dev >/dev/null 2>&1 || missing+=(libpcap-dev)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # The tests start their own kamailio on high ports; the package's
    # service (on 5060) is not wanted on a test box.
    if [[ " ${missing[*]} " == *" kamailio "* ]] && command -v systemctl >/dev/null 2>&1; then
        $sudo systemctl disable --now kamailio >/dev/null 2>&1 || true
    fi
fi

cargo test --release "$@"
