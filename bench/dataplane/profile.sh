#!/usr/bin/env bash
# Where the CPU goes during one iperf3 stream through a TunnelMesh/J pair (the setup of run.sh, no wireguard-go):
# per-thread CPU of both nodes (from /proc/PID/task/*/stat) and, with perf installed, a system-wide perf profile
# (kernel and JIT-compiled Java frames, the latter named through the JVMs' perf maps).
#
#   sudo bench/dataplane/profile.sh dist/target/tunnelmesh-VERSION.tar.gz
#
# Environment: DURATION (s of the measured iperf3 run, default 10; a 5 s run before it lets the JIT compile the
# path), STREAMS (default 1), PERF=no (threads only), OUT (folder to keep perf.data and the reports, default
# /tmp/tm-profile). TM_JAVA_EXTRA_OPTS reaches the nodes' JVMs; -XX:+PreserveFramePointer is added so perf can walk
# through compiled Java frames. A benchmark, not a test: nothing is asserted.
set -euo pipefail

DURATION=${DURATION:-10}
STREAMS=${STREAMS:-1}
PERF=${PERF:-yes}
OUT=${OUT:-/tmp/tm-profile}
DIST=${1:?usage: profile.sh path/to/tunnelmesh-VERSION.tar.gz}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

require_root_and_tools ip wg iperf3 ping jcmd
[[ $PERF == no ]] || command -v perf >/dev/null || { echo "perf not found (Debian: linux-perf), or run with PERF=no" >&2; exit 2; }
export TM_JAVA_EXTRA_OPTS="${TM_JAVA_EXTRA_OPTS:-} -XX:+PreserveFramePointer"
mkdir -p "$OUT"
make_hosts
start_tunnelmesh_pair "$DIST" 10.202.0 51821 || { echo "tunnel did not come up: ${TM_FAILURE:-unknown}" >&2; exit 1; }
start_in "$NSB" "$WORK/iperf-server.log" iperf3 -s -B 10.202.0.2
sleep 0.3
DURATION=5 iperf_mbits 10.202.0.2 "$STREAMS" >/dev/null  # JIT warm-up

thread_times "$TM_PID_A" >"$WORK/a0"; thread_times "$TM_PID_B" >"$WORK/b0"
read -r _ idle0 < <(awk '/^cpu / {print "cpu", $5 + $6}' /proc/stat)
t0=$(date +%s.%N)
if [[ $PERF != no ]]; then
    perf record -e cpu-clock -F 999 -a -g -o "$OUT/perf.data" -- sleep "$DURATION" >"$WORK/perf.log" 2>&1 &
    perf_pid=$!
fi
mbits=$(iperf_mbits 10.202.0.2 "$STREAMS")
[[ $PERF == no ]] || wait "$perf_pid"
t1=$(date +%s.%N)
read -r _ idle1 < <(awk '/^cpu / {print "cpu", $5 + $6}' /proc/stat)
thread_times "$TM_PID_A" >"$WORK/a1"; thread_times "$TM_PID_B" >"$WORK/b1"

echo "TCP $STREAMS stream(s): $mbits Mbit/s, load $(cut -d' ' -f1-3 /proc/loadavg)," \
    "machine idle $(awk -v d="$((idle1 - idle0))" -v hz="$CLK_TCK" -v s="$t0" -v e="$t1" -v n="$(nproc)" 'BEGIN {printf "%.0f", 100 * d / hz / (e - s) / n}') %"
for side in a b; do
    pid=TM_PID_${side^^}
    echo "node $side (pid ${!pid}), per thread busier than 1 %: % of wall time on a CPU, and runnable but waiting for one"
    busy_threads "$WORK/${side}0" "$WORK/${side}1" "$t0" "$t1"
done

if [[ $PERF != no ]]; then
    jcmd "$TM_PID_A" Compiler.perfmap >/dev/null 2>&1 || true
    jcmd "$TM_PID_B" Compiler.perfmap >/dev/null 2>&1 || true
    perf report -i "$OUT/perf.data" --no-children --sort pid,dso --stdio 2>/dev/null | grep -v '^#' | grep -v '^$' | head -40 >"$OUT/by-dso.txt" || true
    for side in a b; do
        pid=TM_PID_${side^^}
        perf report -i "$OUT/perf.data" --pid "${!pid}" --no-children --sort pid,sym --stdio -g none 2>/dev/null |
            grep -v '^#' | grep -v '^$' | head -150 >"$OUT/node-$side.txt" || true
        perf report -i "$OUT/perf.data" --pid "${!pid}" --children --sort sym --stdio -g none 2>/dev/null |
            grep -v '^#' | grep -v '^$' | head -150 >"$OUT/node-$side-inclusive.txt" || true
    done
    # the maps name the compiled Java frames; perf looks for them in /tmp, which is left as it was
    mv /tmp/perf-"$TM_PID_A".map /tmp/perf-"$TM_PID_B".map "$OUT/" 2>/dev/null || true
    echo "perf reports in $OUT: by-dso.txt, node-a.txt, node-b.txt (self, per thread), node-?-inclusive.txt; perf.data"
    echo "  (for perf report -i $OUT/perf.data, copy $OUT/perf-*.map back to /tmp first)"
fi
