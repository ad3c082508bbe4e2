#!/usr/bin/env bash
# Runs sipview's whole test suite, installing first what the tests use
# (tshark checks the sample counts; tcpdump, sipp and tmux serve the capture
# and terminal tests). Works on a fresh Debian machine with Rust.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

missing=()
command -v tshark >/dev/null 2>&1 || missing+=(tshark)
command -v tcpdump >/dev/null 2>&1 || missing+=(tcpdump)
command -v sipp >/dev/null 2>&1 || missing+=(sip-tester)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
dpkg -s libpcap-dev >/dev/null 2>&1 || missing+=(libpcap-dev)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cargo test --release "$@"
