#!/usr/bin/env bash
# Runs sipview's whole test suite, installing first what the tests use
# (tshark checks the sample counts; tcpdump, sipp and tmux serve the capture
# and terminal tests; sox decodes G.711 for tests/audio.rs; kamailio is the
# real HEP peer of tests/hep_kamailio.rs;
# libpcap-dev is what sipview links with).
# Works on a fresh Debian machine with Rust.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=lib/packages.sh
. scripts/lib/packages.sh

need tshark tshark
need tcpdump tcpdump
need sipp sip-tester
need tmux tmux
need sox sox
need kamailio kamailio
need_dev libpcap-dev
install_missing

cargo test --release "$@"
