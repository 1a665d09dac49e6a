#!/usr/bin/env bash
# Where the node's memory goes under iperf3: one TunnelMesh/J pair in two namespaces (the setup of run.sh),
# iperf3 TCP 1 stream then 4 streams through it, and for the sending node's JVM (namespace A):
#   - peak RSS (VmHWM) and its split into anonymous / file-backed pages (smaps_rollup)
#   - the JVM's Native Memory Tracking summary, taken in the middle of the 4-stream run
#   - threads, loaded classes, and the heap's use after the run
#
#   sudo TM_JAVA_OPTS="..." MALLOC_ARENA_MAX=2 bench/dataplane/memory.sh dist/target/tunnelmesh-VERSION.tar.gz
#
# TM_JAVA_OPTS (passed to both nodes as 'bin/tunnelmesh up' reads it) is the lever under study; NMT is added to
# it here (set NMT=off to measure without its own overhead, a few MiB). DURATION: seconds per iperf3 run (default 8).
# MEMSTAT=yes also lists the JIT compilations that took the most memory (they make the peak).
# SETTLE=N waits N seconds after the tunnel is up before the load (the peak then is printed apart).
# IDLE=N waits N seconds after the load (default 20) and prints both nodes' resident size then: the idle goal.
# A benchmark, not a test: it prints figures and asserts nothing. Cleans up like run.sh (see lib.sh).
set -euo pipefail

DURATION=${DURATION:-8}
NMT=${NMT:-summary}
DIST=${1:?usage: memory.sh path/to/tunnelmesh-VERSION.tar.gz}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

require_root_and_tools ip wg iperf3 ping jcmd
if [[ $NMT != off ]]; then
    # bin/tunnelmesh uses its built-in options only when TM_JAVA_OPTS is unset; NMT needs the options spelled out.
    : "${TM_JAVA_OPTS:?set TM_JAVA_OPTS to the options under study (NMT=off measures the built-in defaults)}"
    export TM_JAVA_OPTS="$TM_JAVA_OPTS -XX:NativeMemoryTracking=$NMT"
fi
if [[ ${MEMSTAT:-no} == yes ]]; then
    # the JIT's memory per compilation; the largest C2 compilations are printed at the end
    export TM_JAVA_OPTS="${TM_JAVA_OPTS:?MEMSTAT=yes needs TM_JAVA_OPTS} -XX:CompileCommand=quiet -XX:CompileCommand=memstat,*.*,collect"
fi
make_hosts
start_tunnelmesh_pair "$DIST" 10.202.0 51821 || { echo "tunnel did not come up: ${TM_FAILURE:-unknown}" >&2; tail -n 20 "$WORK"/tm-?.log >&2; exit 1; }
pid=$TM_PID_A
hwm_up=$(peak_rss_mib "$pid")
if [[ ${SETTLE:-0} -gt 0 ]]; then
    # Let start-up settle (its compilations, the first handshakes) before the load, to tell that peak apart.
    sleep "$SETTLE"
    hwm_settled=$(peak_rss_mib "$pid")
fi
rss_up="$(rss_mib "$pid") / $(rss_mib "$TM_PID_B")"
[[ $NMT == off ]] || jcmd "$pid" VM.native_memory summary >"$WORK/nmt-up.txt" 2>&1

# NMT summary in the middle of the 4-stream run, when the sender is busiest.
start_in "$NSB" "$WORK/iperf-server.log" iperf3 -s -B 10.202.0.2
IPERF_SERVER=$LAST_PID
sleep 0.3
tcp1=$(iperf_mbits 10.202.0.2 1)
hwm_tcp1=$(peak_rss_mib "$pid")
( sleep $((DURATION / 2)); [[ $NMT == off ]] || jcmd "$pid" VM.native_memory summary >"$WORK/nmt.txt" 2>&1 ) &
sampler=$!
tcp4=$(iperf_mbits 10.202.0.2 4)
wait "$sampler"
kill "$IPERF_SERVER" 2>/dev/null || true
IDLE=${IDLE:-20}
if [[ $IDLE -gt 0 ]]; then
    # What stays resident once the load has gone: both nodes idle IDLE seconds after the last iperf3 run.
    sleep "$IDLE"
    rss_idle="$(rss_mib "$pid") / $(rss_mib "$TM_PID_B")"
    [[ $NMT == off ]] || jcmd "$pid" VM.native_memory summary >"$WORK/nmt-idle.txt" 2>&1
fi

echo "TM_JAVA_OPTS=${TM_JAVA_OPTS:-(built-in)}  MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-unset}  load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "TCP 1 stream $tcp1 Mbit/s, 4 streams $tcp4 Mbit/s; start: $(sed -n 's/.*runtime up in \([0-9.]* s\).*/\1/p' "$WORK"/tm-?.log | paste -sd/)"
echo "sender peak RSS (VmHWM) $(peak_rss_mib "$pid") MiB, receiver $(peak_rss_mib "$TM_PID_B") MiB;" \
    "sender's peak when the tunnel was up $hwm_up MiB,${hwm_settled:+ after SETTLE=$SETTLE s $hwm_settled MiB,}" \
    "after the 1-stream run $hwm_tcp1 MiB"
echo "RSS now (VmRSS) sender / receiver: when the tunnel was up${hwm_settled:+ and SETTLE had passed} $rss_up MiB${rss_idle:+, $IDLE s after the load $rss_idle MiB}"
awk '/^(Rss|Anonymous|Pss_File|Pss_Anon):/ {printf "  %s %.1f MiB", $1, $2 / 1024} END {print ""}' "/proc/$pid/smaps_rollup"
echo "  threads $(awk '/^Threads:/ {print $2}' "/proc/$pid/status")," \
    "classes loaded $(jcmd "$pid" PerfCounter.print 2>/dev/null | awk -F= '/java.cls.loadedClasses=/ {l=$2} /java.cls.unloadedClasses=/ {u=$2} END {print l - u}')"
jcmd "$pid" GC.heap_info 2>/dev/null | sed -n '2,4p' | sed 's/^/  /'
# Committed KiB per NMT category, and each category's peak where NMT reports one.
nmt_table() {
    awk '/^Total:/ {print "  " $0} /^ *malloc: .*peak/ {print "  " $0}
         /^-  *[A-Z]/ {sub(/^- */, ""); name=$0; sub(/ *\(.*/, "", name); match($0, /committed=[0-9]+KB/); c=substr($0, RSTART + 10, RLENGTH - 12)}
         /^ *\(/ && name != "" && /peak=[0-9]+KB/ {match($0, /peak=[0-9]+KB/); p[name] = (p[name] ? p[name] "," : "") substr($0, RSTART + 5, RLENGTH - 7)}
         /^ *$/ && name != "" {printf "  %-28s %8d  peak %s\n", name, c, p[name]; name=""}
         END {if (name != "") printf "  %-28s %8d  peak %s\n", name, c, p[name]}' "$1"
}
if [[ -s $WORK/nmt-up.txt ]]; then
    echo "NMT (committed KiB) when the tunnel was up${hwm_settled:+ and SETTLE had passed}:"
    nmt_table "$WORK/nmt-up.txt"
fi
if [[ -s $WORK/nmt.txt ]]; then
    echo "NMT (committed KiB) in the middle of the 4-stream run:"
    nmt_table "$WORK/nmt.txt"
fi
if [[ -s $WORK/nmt-idle.txt ]]; then
    echo "NMT (committed KiB) $IDLE s after the load:"
    nmt_table "$WORK/nmt-idle.txt"
fi
if [[ ${MEMSTAT:-no} == yes ]]; then
    echo "largest compilations (bytes of compiler memory, method):"
    jcmd "$pid" Compiler.memory 2>/dev/null | awk '$1 == "c1" || $1 == "c2" {print "  " $1, $2, $NF}' | sort -k2 -rn | head -n 6
fi
if [[ -n ${HOLD:-} ]]; then
    # Keeps both nodes up for HOLD seconds for a closer look (jcmd, /proc); the tunnel is 10.202.0.1 <-> .2.
    echo "holding $HOLD s: sender JVM $pid, receiver JVM $TM_PID_B, namespaces $NSA $NSB"
    sleep "$HOLD"
fi
