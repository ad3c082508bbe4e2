#!/usr/bin/env bash
# Runs sipview on a shipped capture: the ladder of a call that meets a digest
# challenge, then its diagnosis. Installs libpcap-dev, libopus-dev and
# pkg-config first when they are missing (sipview links with libpcap, and
# with libopus for Opus audio export). Works on a fresh Debian machine with
# Rust.
# Extra arguments replace the default ones: scripts/try.sh -I samples/X --list
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=lib/packages.sh
. scripts/lib/packages.sh

need pkg-config pkg-config
need_dev libpcap-dev
need_dev libopus-dev
install_missing

if [ $# -gt 0 ]; then
    exec cargo run --release -q -- "$@"
fi
cargo run --release -q -- -I samples/udp-invite-mix.pcap --flow udp-auth-1@sipview.test
cargo run --release -q -- -I samples/diag-auth-chan-sip.pcap --explain 1 | sed -n '/^#1 /q;p'
