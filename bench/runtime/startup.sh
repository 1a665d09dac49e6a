#!/usr/bin/env bash
# Whole-process start-up of the runtime, measured from outside as an operator sees it:
#   t_up    = from exec of 'bin/tunnelmesh up' to its 'runtime up' line (printed once the control socket listens)
#   t_shell = one 'bin/tunnelmesh shell -c lb' round trip against the running daemon (JVM start included)
# Usage: bench/runtime/startup.sh [RUNS]   (needs a built dist: mvn -B -q install -DskipTests)
# ARCHIVE=yes: first records a class-data archive in one 'up' run (-XX:ArchiveClassesAtExit), then alternates runs
# that map it read-only with runs that do not, and prints both (what a read-only archive for 'up' would win).
# The node waits for an identity, so no TUN is opened and no root is needed.
set -euo pipefail
RUNS=${1:-7}
here=$(cd "$(dirname "$0")/../.." && pwd)
tarball=$(ls "$here"/dist/target/tunnelmesh-*.tar.gz | head -1)
work=$(mktemp -d /tmp/tm-startup.XXXXXX)
trap 'pkill -f "$work/.*/tm-launcher.jar" 2>/dev/null || true; rm -rf "$work"' EXIT
tar xzf "$tarball" -C "$work"
home=$(ls -d "$work"/tunnelmesh-*)
bundles=$(ls "$home"/bundle/*.jar | wc -l)

now_ms() { date +%s%3N; }

run_once() {
    local start end pid
    start=$(now_ms)
    TM_JAVA_EXTRA_OPTS="${TM_JAVA_EXTRA_OPTS:-} ${1:-}" "$home/bin/tunnelmesh" up > "$work/up.log" 2>&1 &
    pid=$!
    # the launcher prints its 'runtime up' line once the control socket exists; poll cheaply for it
    for _ in $(seq 1 3000); do
        if grep -q 'runtime up' "$work/up.log" 2>/dev/null; then break; fi
        sleep 0.005
    done
    end=$(now_ms)
    local s1 s2
    s1=$(now_ms); "$home/bin/tunnelmesh" shell -c lb > /dev/null; s2=$(now_ms)
    "$home/bin/tunnelmesh" shell -c 'stop 0' > /dev/null 2>&1 || true
    wait "$pid" || true
    echo "$((end - start)) $((s2 - s1)) $(grep -o 'runtime up in [0-9.]* s' "$work/up.log" | grep -o '[0-9.]*')"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

run_once > /dev/null   # warm-up: the client commands' class-data archive in data/, the page cache
: > "$work/results"
if [[ ${ARCHIVE:-} == yes ]]; then
    run_once "-XX:ArchiveClassesAtExit=$home/data/up.jsa" > /dev/null
    [[ -s $home/data/up.jsa ]] || { echo "no archive was recorded; see $work/up.log" >&2; exit 1; }
    : > "$work/archived"
    for _ in $(seq 1 "$RUNS"); do
        run_once >> "$work/results"
        run_once "-XX:SharedArchiveFile=$home/data/up.jsa -Xlog:cds=off -Xlog:cds+dynamic=off" >> "$work/archived"
    done
    echo "archive recorded by one 'up' run: $(($(stat -c %s "$home/data/up.jsa") / 1048576)) MiB"
    with=$(cut -d' ' -f1 "$work/archived" | median)
    echo "daemon up with it mapped read-only, ms:            median $with  all: $(cut -d' ' -f1 "$work/archived" | tr '\n' ' ')"
    echo "with / without it (runs alternating):              $(awk -v a="$with" -v b="$(cut -d' ' -f1 "$work/results" | median)" 'BEGIN {printf "%.2f", a / b}')"
else
    for _ in $(seq 1 "$RUNS"); do run_once >> "$work/results"; done
fi
echo "bundles: $bundles, runs: $RUNS, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "daemon up (exec to 'runtime up' line), ms:         median $(cut -d' ' -f1 "$work/results" | median)  all: $(cut -d' ' -f1 "$work/results" | tr '\n' ' ')"
echo "launcher's own 'runtime up in', s:                  median $(cut -d' ' -f3 "$work/results" | median)"
echo "shell -c lb round trip, ms:                         median $(cut -d' ' -f2 "$work/results" | median)  all: $(cut -d' ' -f2 "$work/results" | tr '\n' ' ')"
