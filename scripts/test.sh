#!/usr/bin/env bash
# Runs sipview's whole test suite, installing first what the tests use
# (tshark checks the sample counts; tcpdump, sipp and tmux serve the capture
# and terminal tests; sox decodes G.711 for tests/audio.rs; kamailio is the
# real HEP peer of tests/hep_kamailio.rs;
# libpcap-dev and libopus-dev are what sipview links with, found through
# pkg-config).
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
need pkg-config pkg-config
need_dev libpcap-dev
need_dev libopus-dev
install_missing

cargo test --release "$@"
