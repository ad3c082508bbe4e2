#!/usr/bin/env bash
# bench-vs-sngrep.sh - time and memory of `sipview --summary` against sngrep
# reading the same capture files, in the same run.
#
# For each FILE:
#   * one untimed run of `sipview -I FILE --summary --format json` gives the
#     packet / SIP message / call counts, and one untimed run of
#     `sngrep -I FILE -N -l LIMIT` (not quiet) gives sngrep's "Dialog count";
#     both also warm the page cache;
#   * then RUNS (default 3) timed runs of each, interleaved
#     (sipview, sngrep, sipview, sngrep, ...) so that load from other processes
#     on the machine hits both alike:
#         sipview -I FILE --summary
#         sngrep  -I FILE -N -q -l LIMIT         (LIMIT default 1000000; sngrep's
#                                                 default limit is 20000 dialogs)
#     each under /usr/bin/time -f '%M' (max RSS, KiB), itself under bash's
#     `time` keyword for wall and CPU time with 1 ms resolution
#     (/usr/bin/time's %e/%U/%S have only 10 ms);
#   * reported: median wall time, max of the max-RSS values, median CPU time.
# With two or more files, sipview's growth factor (median time of the file
# with the most calls / that of the file with the fewest) is compared with the
# call ratio: the linearity target is growth <= 1.1 x call ratio.  The growth
# by minimum time and by CPU time is printed too: on a shared machine the
# median of a 0.2 s run is noisy (use RUNS=7 or more for that check).
#
# Notes on sngrep: in no-interface mode its main thread polls for the end of
# the capture every 500 ms, so its wall time is rounded *up* to a multiple of
# ~0.5 s; its CPU time (user+sys) is printed as well for that reason.
#
# sipview is built with `cargo build --release` (retried while the tree does
# not build, e.g. while someone is mid-edit), then copied to a temp dir so all
# runs use the same binary.  Set SIPVIEW=/path/to/sipview to skip the build.
#
# Usage: scripts/bench/bench-vs-sngrep.sh FILE...
#   env: RUNS (3) LIMIT (1000000) SIPVIEW (build) BUILD_RETRIES (10)
#        BUILD_RETRY_WAIT (60 s)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUNS=${RUNS:-3}
LIMIT=${LIMIT:-1000000}
BUILD_RETRIES=${BUILD_RETRIES:-10}
BUILD_RETRY_WAIT=${BUILD_RETRY_WAIT:-60}

die() { echo "error: $*" >&2; exit 1; }
log() { printf '%s\n' "$*" >&2; }

[ $# -ge 1 ] || die "usage: $0 FILE..."
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"
for f in "$@"; do
    [ -f "$f" ] && [ -r "$f" ] || die "cannot read capture file: $f"
done

[ -x /usr/bin/time ] || die "/usr/bin/time not found (apt-get install time); it is needed for max RSS"
for tool in sngrep jq awk sort; do
    command -v "$tool" >/dev/null || die "$tool not found (apt-get install $tool)"
done

WORK=$(mktemp -d /tmp/sipview-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# --- sipview binary -------------------------------------------------------------
if [ -n "${SIPVIEW:-}" ]; then
    [ -x "$SIPVIEW" ] || die "SIPVIEW=$SIPVIEW is not executable"
    cp "$SIPVIEW" "$WORK/sipview"
else
    command -v cargo >/dev/null || die "cargo not found (or set SIPVIEW=/path/to/sipview)"
    attempt=1
    until (cd "$ROOT" && nice -n 10 cargo build --release --quiet --bin sipview) 2>"$WORK/build.log"; do
        if [ "$attempt" -ge "$BUILD_RETRIES" ]; then
            tail -30 "$WORK/build.log" >&2
            die "cargo build --release failed $attempt times"
        fi
        log "cargo build --release failed (attempt $attempt/$BUILD_RETRIES; someone mid-edit?), retrying in ${BUILD_RETRY_WAIT}s:"
        grep -m3 -E '^error' "$WORK/build.log" | sed 's/^/   /' >&2 || true
        sleep "$BUILD_RETRY_WAIT"
        attempt=$((attempt + 1))
    done
    cp "$ROOT/target/release/sipview" "$WORK/sipview"
fi
SV="$WORK/sipview"
"$SV" --version >/dev/null 2>&1 || die "the sipview binary does not run"

# --- measuring ------------------------------------------------------------------
now_ns() { date +%s%N; }

# measure OUTFILE CMD... -> appends "wall_s rss_kib cpu_s" to OUTFILE
# Wall and CPU (user+sys) times come from bash's `time` keyword (ms
# resolution; /usr/bin/time's %e/%U/%S have only 10 ms), max RSS from
# /usr/bin/time's %M (KiB).
measure() {
    local out=$1; shift
    local rc=0 wall user sys rss TIMEFORMAT='%3R %3U %3S'
    { time /usr/bin/time -o "$WORK/time.txt" -f '%M' "$@" >/dev/null 2>"$WORK/cmd.err" </dev/null || rc=$?; } 2>"$WORK/bash-time.txt"
    if [ "$rc" -ne 0 ]; then
        cat "$WORK/cmd.err" >&2
        die "command failed (exit $rc): $*"
    fi
    read -r wall user sys <"$WORK/bash-time.txt"
    rss=$(tail -1 "$WORK/time.txt")
    awk -v w="$wall" -v m="$rss" -v u="$user" -v s="$sys" \
        'BEGIN { printf "%.3f %d %.3f\n", w, m, u + s }' >>"$out"
}

median_col() { awk -v c="$2" '{ print $c }' "$1" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
min_col()    { awk -v c="$2" 'NR == 1 || $c < m { m = $c } END { print m }' "$1"; }
max_col()    { awk -v c="$2" 'NR == 1 || $c > m { m = $c } END { print m }' "$1"; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "load average before: $LOAD_BEFORE  (nproc $(nproc))"
log "sipview: $SV (built from $ROOT, git $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')$(cd "$ROOT" && git diff --quiet 2>/dev/null || echo '+dirty'))"
log "sngrep:  $(sngrep -V 2>/dev/null | head -1)"

RESULTS="$WORK/results.tsv"
: >"$RESULTS"
i=0
for f in "$@"; do
    i=$((i + 1))
    log "== $f"
    json=$("$SV" -I "$f" --summary --format json) || die "sipview --summary failed on $f"
    packets=$(jq -r '.packets' <<<"$json")
    msgs=$(jq -r '.sip_messages' <<<"$json")
    calls=$(jq -r '.calls' <<<"$json")
    truncated=$(jq -r '.truncated // empty' <<<"$json")
    [ -n "$truncated" ] && log "   warning: sipview stopped early on this file: $truncated"
    # sngrep's own count: not quiet, "\rDialog count: N" lines
    sng_calls=$(sngrep -I "$f" -N -l "$LIMIT" </dev/null 2>/dev/null | tr '\r' '\n' \
                | sed -n 's/^Dialog count: \([0-9][0-9]*\).*/\1/p' | tail -1)
    sng_calls=${sng_calls:-?}
    log "   packets $packets, sip messages $msgs, calls: sipview $calls, sngrep $sng_calls"

    : >"$WORK/sv.$i"; : >"$WORK/sg.$i"
    for r in $(seq "$RUNS"); do
        measure "$WORK/sv.$i" "$SV" -I "$f" --summary
        measure "$WORK/sg.$i" sngrep -I "$f" -N -q -l "$LIMIT"
        log "   run $r: sipview $(tail -1 "$WORK/sv.$i")   sngrep $(tail -1 "$WORK/sg.$i")   (wall s, max RSS KiB, cpu s)"
    done
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
        "$f" "$packets" "$msgs" "$calls" "$sng_calls" \
        "$(median_col "$WORK/sv.$i" 1)" "$(median_col "$WORK/sg.$i" 1)" \
        "$(max_col "$WORK/sv.$i" 2)" "$(max_col "$WORK/sg.$i" 2)" \
        "$(median_col "$WORK/sv.$i" 3)" "$(median_col "$WORK/sg.$i" 3)" \
        "$(min_col "$WORK/sv.$i" 1)" "$(min_col "$WORK/sg.$i" 1)" >>"$RESULTS"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
log "load average after:  $LOAD_AFTER"

# --- report -----------------------------------------------------------------------
echo
echo "sipview vs sngrep: median of $RUNS runs (wall time), max RSS over the runs"
echo "(load average before/after: $LOAD_BEFORE / $LOAD_AFTER on $(nproc) cores)"
awk -F'\t' '
    BEGIN {
        h = "%-28s %9s %8s %10s %10s %7s %11s %10s %7s\n"
        printf h, "file", "packets", "calls", "sipview s", "sngrep s", "speed x", "sipview MiB", "sngrep MiB", "mem x"
    }
    {
        n = split($1, p, "/"); name = p[n]
        printf "%-28s %9d %8d %10.3f %10.3f %7.1f %11.1f %10.1f %7.1f\n",
            name, $2, $4, $6, $7, ($6 > 0 ? $7 / $6 : 0), $8 / 1024, $9 / 1024, ($8 > 0 ? $9 / $8 : 0)
    }' "$RESULTS"
echo
echo "details: sip messages, sngrep's own dialog count, median CPU seconds (user+sys)"
awk -F'\t' '
    BEGIN { printf "%-28s %12s %13s %13s %13s %12s\n", "file", "sip msgs", "sngrep calls", "sipview cpu", "sngrep cpu", "cpu ratio" }
    {
        n = split($1, p, "/"); name = p[n]
        printf "%-28s %12d %13s %13.2f %13.2f %12s\n", name, $3, $5, $10, $11,
            ($10 > 0 ? sprintf("%.1f", $11 / $10) : "n/a")
        if ($5 != "?" && $5 != $4) mismatch = mismatch "  note: " name ": sngrep counts " $5 " dialogs, sipview " $4 " calls\n"
    }
    END { printf "%s", mismatch }' "$RESULTS"

if [ $# -ge 2 ]; then
    echo
    echo "linearity (sipview wall time; target: time growth <= 1.1 x call growth)"
    sort -t$'\t' -k4,4g "$RESULTS" | awk -F'\t' '
        NR == 1 { sc = $4; st = $6; su = $10; sg = $7; sm = $12; n = split($1, p, "/"); sname = p[n]; next }
        {
            n = split($1, p, "/"); name = p[n]
            cr = (sc > 0 ? $4 / sc : 0); tr = (st > 0 ? $6 / st : 0)
            verdict = (tr <= 1.1 * cr ? "OK" : "FAIL")
            printf "  %s vs %s: calls x%.2f, sipview median time x%.2f (limit x%.2f) -> %s\n", name, sname, cr, tr, 1.1 * cr, verdict
            printf "      (also: sipview min time x%s, sipview cpu time x%s, sngrep time x%s)\n",
                (sm > 0 ? sprintf("%.2f", $12 / sm) : "n/a"),
                (su > 0 ? sprintf("%.2f", $10 / su) : "n/a"), (sg > 0 ? sprintf("%.2f", $7 / sg) : "n/a")
        }'
fi
