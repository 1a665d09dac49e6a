#!/usr/bin/env bash
# Relay benchmark: iperf3 TCP between two TunnelMesh/J nodes through the coordinator's relay, and through the direct
# UDP path, in the same namespaces in the same run; and the time of the first packet through a fresh relayed peer.
#
#   sudo bench/relay/run.sh path/to/tunnelmesh-VERSION.tar.gz
#
# Three namespaces: A and B are the hosts, wired to each other (10.200.0.1/.2, the direct path) and each to C
# (A 10.210.1.1 - C 10.210.1.2, B 10.210.2.1 - C 10.210.2.2), where the coordinator listens on 7443. Neither host
# can reach the other through C: relayed traffic goes A -> C -> B over two TCP links. The nodes join the
# coordinator (so its relay admits them) from a copy of their installation, so the nodes themselves run with peer
# files alone: first the peer's only endpoint is relay:KEY@C:7443, then it is replaced by the direct UDP endpoint.
# Environment: DURATION (s per iperf3 run, default 10), ROUNDS (default 2, relay and direct alternating; the median
# is printed), RELAY_QUEUE_BYTES (the relay transport's queue.bytes; default its own), PROFILE (a folder: the relayed
# one-stream run of round 1 is profiled with perf, per-thread CPU of the three JVMs is printed). A benchmark, not a
# test: nothing is asserted.
set -euo pipefail

DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-2}
PINGS=${PINGS:-20}
DIST=${1:?usage: bench/relay/run.sh path/to/tunnelmesh-VERSION.tar.gz}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../dataplane/lib.sh"
NSC=$RUN-c
PORT=51820
NET=10.203.0

require_root_and_tools ip wg iperf3 ping
if [[ -n ${PROFILE:-} ]]; then
    require_root_and_tools perf jcmd
    mkdir -p "$PROFILE"
    export TM_JAVA_EXTRA_OPTS="${TM_JAVA_EXTRA_OPTS:-} -XX:+PreserveFramePointer" # perf walks compiled Java frames
fi
trap 'cleanup; ip netns del "$NSC" 2>/dev/null || true' EXIT
LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)

fail() {
    echo "relay bench: $*" >&2
    tail -n 20 "$WORK"/*.log >&2 2>/dev/null || true
    exit 1
}

make_hosts
ip netns add "$NSC"
ip -n "$NSC" link set lo up
ip link add "${RUN}ca" netns "$NSA" type veth peer name "${RUN}ac" netns "$NSC"
ip link add "${RUN}cb" netns "$NSB" type veth peer name "${RUN}bc" netns "$NSC"
ip -n "$NSA" addr add 10.210.1.1/24 dev "${RUN}ca"
ip -n "$NSC" addr add 10.210.1.2/24 dev "${RUN}ac"
ip -n "$NSB" addr add 10.210.2.1/24 dev "${RUN}cb"
ip -n "$NSC" addr add 10.210.2.2/24 dev "${RUN}bc"
for l in "$NSA ${RUN}ca" "$NSC ${RUN}ac" "$NSB ${RUN}cb" "$NSC ${RUN}bc"; do
    set -- $l
    ip -n "$1" link set "$2" up
done

unpack() {
    mkdir -p "$WORK/$1"
    tar xzf "$DIST" -C "$WORK/$1"
    echo "$WORK/$1"/*/
}

# ---- the coordinator in C ---------------------------------------------------------------------------------------
HC=$(unpack coordinator)
start_in "$NSC" "$WORK/coordinator.log" "$HC/bin/tunnelmesh" coordinator --listen 0.0.0.0:7443 --stun-port 0
for _ in $(seq 100); do
    "$HC/bin/tunnelmesh" shell -c 'tm:coordinator' 2>/dev/null | grep -q '^state: running' && break
    sleep 0.2
done
COORD_KEY=$("$HC/bin/tunnelmesh" shell -c 'tm:coordinator' | awk '/^public key:/ {print $3}')
[[ -n $COORD_KEY ]] || fail "the coordinator did not start"
TOKEN=$("$HC/bin/tunnelmesh" shell -c 'tm:token-create --reusable' | tail -n 1 | tr -d '\r')

# ---- the two nodes: identity, membership (from a copy), relay server, peer file --------------------------------
declare -A HOME_OF PUB RELAY_VIA=([a]=10.210.1.2:7443 [b]=10.210.2.2:7443)
for side in a b; do
    if [[ $side == a ]]; then ns=$NSA; else ns=$NSB; fi
    h=$(unpack "node-$side")
    HOME_OF[$side]=$h
    "$h/bin/tunnelmesh" init --generate >"$WORK/init-$side.log" 2>&1 || fail "init --generate failed"
    PUB[$side]=$("$h/bin/tunnelmesh" pubkey 2>/dev/null)
    cp -a "$WORK/node-$side" "$WORK/join-$side"
    j=$(echo "$WORK/join-$side"/*/)
    ip netns exec "$ns" "$j/bin/tunnelmesh" join "$TOKEN" --name "node-$side" >"$WORK/join-$side.log" 2>&1 ||
        fail "join of node $side failed: $(tail -n 2 "$WORK/join-$side.log")"
    cp "$j/data/mesh.psk" "$WORK/mesh.psk"
    printf 'servers=%s=%s\nuse.coordinator=false\n%s' "${RELAY_VIA[$side]}" "$COORD_KEY" \
        "${RELAY_QUEUE_BYTES:+queue.bytes=$RELAY_QUEUE_BYTES$'\n'}" >"$h/config/io.tunnelmesh.transport.relay.cfg"
done

start_node() {
    local side=$1 ns=$2 addr=$3
    start_in "$ns" "$WORK/node-$side.log" "${HOME_OF[$side]}/bin/tunnelmesh" up --interface "tm${RUN}$side" \
        --address "$addr/24" --listen-port "$PORT" --psk-file "$WORK/mesh.psk"
    for _ in $(seq 100); do
        "${HOME_OF[$side]}/bin/tunnelmesh" shell -c 'tm:status' >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    fail "node $side did not answer tm:status within 10 s"
}
start_node a "$NSA" "$NET.1"
TM_LAUNCHER_A=$LAST_PID
start_node b "$NSB" "$NET.2"
TM_LAUNCHER_B=$LAST_PID
sleep 1 # the relay links open at bind

# $1 = side, $2 = the peer's endpoint
set_peer() {
    local side=$1 endpoint=$2 other addr
    if [[ $side == a ]]; then other=b; addr=$NET.2; else other=a; addr=$NET.1; fi
    "${HOME_OF[$side]}/bin/tunnelmesh" shell -c "tm:peer-remove ${PUB[$other]}" >/dev/null 2>&1 || true
    "${HOME_OF[$side]}/bin/tunnelmesh" shell -c "tm:peer-add ${PUB[$other]} --endpoint $endpoint --allowed-ips $addr/32" >/dev/null ||
        fail "tm:peer-add on $side failed"
}

relay_peers() {
    set_peer b "relay:${PUB[a]}@${RELAY_VIA[b]}"
    set_peer a "relay:${PUB[b]}@${RELAY_VIA[a]}"
}
direct_peers() {
    set_peer b "10.200.0.1:$PORT"
    set_peer a "10.200.0.2:$PORT"
}

# ---- the first packet through a fresh relayed peer ----------------------------------------------------------------
set_peer b "relay:${PUB[a]}@${RELAY_VIA[b]}"
t0=$(date +%s.%N)
set_peer a "relay:${PUB[b]}@${RELAY_VIA[a]}"
t1=$(date +%s.%N)
ip netns exec "$NSA" ping -c 1 -w 10 -i 0.01 "$NET.2" >/dev/null || fail "no ping through the relay within 10 s"
t2=$(date +%s.%N)
FIRST_MS=$(awk -v a="$t1" -v b="$t2" 'BEGIN {printf "%.0f", (b - a) * 1000}')
ADD_MS=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.0f", (b - a) * 1000}')
TM_PID_A=$(java_pid_of "$TM_LAUNCHER_A")
TM_PID_B=$(java_pid_of "$TM_LAUNCHER_B")
COORD_PID=$(java_pid_of "${STARTED[0]}")

# ---- throughput, relay and direct alternating ---------------------------------------------------------------------
declare -A R D
measure() {
    local -n out=$1
    local c0 c1 a0 a1 b0 b1 t0 t1 profiling=no perf_pid p
    [[ -n ${PROFILE:-} && $1 == R && $round == 1 ]] && profiling=yes
    if [[ $profiling == yes ]]; then
        for p in a b c; do thread_times "$(pid_of $p)" >"$WORK/threads-$p-0"; done
        perf record -e cpu-clock -F 999 -a -g -o "$PROFILE/perf.data" -- sleep "$DURATION" >"$WORK/perf.log" 2>&1 &
        perf_pid=$!
    fi
    c0=$(cpu_ticks "$COORD_PID"); a0=$(cpu_ticks "$TM_PID_A"); b0=$(cpu_ticks "$TM_PID_B"); t0=$(date +%s.%N)
    out[tcp1]+=" $(iperf_mbits "$NET.2" 1)"
    t1=$(date +%s.%N); c1=$(cpu_ticks "$COORD_PID"); a1=$(cpu_ticks "$TM_PID_A"); b1=$(cpu_ticks "$TM_PID_B")
    if [[ $profiling == yes ]]; then
        wait "$perf_pid" || true
        for p in a b c; do thread_times "$(pid_of $p)" >"$WORK/threads-$p-1"; done
        profile_report "$t0" "$t1" "${out[tcp1]##* }"
    fi
    out[cpu_c]+=" $(awk -v d="$((c1 - c0))" -v hz="$CLK_TCK" -v s="$t0" -v e="$t1" 'BEGIN {printf "%.0f", 100 * d / hz / (e - s)}')"
    out[cpu_a]+=" $(awk -v d="$((a1 - a0))" -v hz="$CLK_TCK" -v s="$t0" -v e="$t1" 'BEGIN {printf "%.0f", 100 * d / hz / (e - s)}')"
    out[cpu_b]+=" $(awk -v d="$((b1 - b0))" -v hz="$CLK_TCK" -v s="$t0" -v e="$t1" 'BEGIN {printf "%.0f", 100 * d / hz / (e - s)}')"
    out[tcp4]+=" $(iperf_mbits "$NET.2" 4)"
    out[rtt]+=" $(ip netns exec "$NSA" ping -c "$PINGS" -i 0.05 -q "$NET.2" | awk -F'/' '/^rtt|^round-trip/ {print $5}')"
}
pid_of() { case $1 in a) echo "$TM_PID_A" ;; b) echo "$TM_PID_B" ;; c) echo "$COORD_PID" ;; esac; }

# Per-thread CPU of node A (sender), node B and the coordinator (C) over the profiled run, and perf reports by
# process and by symbol per process in $PROFILE.
profile_report() {
    local t0=$1 t1=$2 mbits=$3 p
    {
        echo "relayed TCP 1 stream: $mbits Mbit/s, load $(cut -d' ' -f1-3 /proc/loadavg)"
        for p in a b c; do
            echo "JVM $p (pid $(pid_of $p)), threads busier than 1 %: % of wall time on a CPU, runnable but waiting"
            busy_threads "$WORK/threads-$p-0" "$WORK/threads-$p-1" "$t0" "$t1"
        done
    } | tee "$PROFILE/threads.txt" >&2
    for p in a b c; do jcmd "$(pid_of $p)" Compiler.perfmap >/dev/null 2>&1 || true; done
    perf report -i "$PROFILE/perf.data" --no-children --sort pid,dso --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' |
        head -40 >"$PROFILE/by-dso.txt" || true
    for p in a b c; do
        perf report -i "$PROFILE/perf.data" --pid "$(pid_of $p)" --no-children --sort pid,sym --stdio -g none 2>/dev/null |
            grep -v '^#' | grep -v '^$' | head -150 >"$PROFILE/jvm-$p.txt" || true
        perf report -i "$PROFILE/perf.data" --pid "$(pid_of $p)" --children --sort sym --stdio -g none 2>/dev/null |
            grep -v '^#' | grep -v '^$' | head -150 >"$PROFILE/jvm-$p-inclusive.txt" || true
        mv "/tmp/perf-$(pid_of $p).map" "$PROFILE/" 2>/dev/null || true
    done
    echo "perf reports in $PROFILE: by-dso.txt, jvm-{a,b,c}.txt (self, per thread), jvm-?-inclusive.txt, threads.txt" >&2
}

start_in "$NSB" "$WORK/iperf.log" iperf3 -s -B "$NET.2"
sleep 0.3
# warm-up through the relay (the JIT compiles the relay paths of both nodes and the coordinator), not measured
ip netns exec "$NSA" iperf3 -c "$NET.2" -t 3 -P 2 >/dev/null 2>&1 || true
for round in $(seq "$ROUNDS"); do
    echo "round $round of $ROUNDS" >&2
    relay_peers
    ip netns exec "$NSA" ping -c 1 -w 10 -i 0.01 "$NET.2" >/dev/null || fail "relay path does not answer"
    measure R
    for side in a b; do
        "${HOME_OF[$side]}/bin/tunnelmesh" shell -c 'tm:status' >"$WORK/status-relay-$side-$round.txt" 2>&1 || true
    done
    direct_peers
    ip netns exec "$NSA" ping -c 1 -w 10 -i 0.01 "$NET.2" >/dev/null || fail "direct path does not answer"
    measure D
done

# ---- a fresh peer with a direct and a relay candidate: first reply, then the move to the direct path --------------
# The node starts such a peer on the relay (its first packet goes at once) and probes the direct candidate meanwhile;
# `peers` is polled (one CLI run, ~0.3 s, per poll) while a ping keeps the session busy.
set_peer b "10.200.0.1:$PORT,relay:${PUB[a]}@${RELAY_VIA[b]}"
set_peer a "10.200.0.2:$PORT,relay:${PUB[b]}@${RELAY_VIA[a]}"
u1=$(date +%s.%N)
ip netns exec "$NSA" ping -c 1 -w 10 -i 0.01 "$NET.2" >/dev/null || fail "no first reply with both candidates"
u2=$(date +%s.%N)
ip netns exec "$NSA" ping -i 0.2 -w 20 -q "$NET.2" >/dev/null 2>&1 &
KEEP_BUSY=$!
UPGRADE_MS="not within 15 s"
for _ in $(seq 1 50); do
    if "${HOME_OF[a]}/bin/tunnelmesh" peers 2>/dev/null | grep -q "path: direct"; then
        UPGRADE_MS="$(awk -v a="$u2" -v b="$(date +%s.%N)" 'BEGIN {printf "%.0f", (b - a) * 1000}') ms"
        break
    fi
    (( $(date +%s) - ${u2%.*} >= 15 )) && break
done
kill "$KEEP_BUSY" 2>/dev/null || true
BOTH_FIRST_MS=$(awk -v a="$u1" -v b="$u2" 'BEGIN {printf "%.0f", (b - a) * 1000}')

STATUS=$("$HC/bin/tunnelmesh" shell -c 'tm:coordinator' | grep '^relay' || true)

echo
echo "Relay vs direct, $(nproc) cores, iperf3 ${DURATION}s per run, median of $ROUNDS rounds (alternating)," \
    "$(date -u +%FT%TZ), load average before: $LOAD_BEFORE, after: $(cut -d" " -f1-3 /proc/loadavg)"
printf '| %-36s | %10s | %10s | %12s |\n' metric direct relay "relay/direct"
printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..38})" "$(printf -- '-%.0s' {1..12})" "$(printf -- '-%.0s' {1..12})" "$(printf -- '-%.0s' {1..14})"
for k in tcp1 tcp4 rtt; do
    case $k in
        tcp1) label="TCP 1 stream (Mbit/s)" ;;
        tcp4) label="TCP 4 streams (Mbit/s)" ;;
        rtt) label="ping RTT avg after iperf3 (ms)" ;;
    esac
    # shellcheck disable=SC2086
    d=$(summary "$k" ${D[$k]})
    # shellcheck disable=SC2086
    r=$(summary "$k" ${R[$k]})
    printf '| %-36s | %10s | %10s | %12s |\n' "$label" "$d" "$r" "$(ratio "$r" "$d")"
done
# shellcheck disable=SC2086
printf '| %-36s | %10s | %10s | %12s |\n' "coordinator CPU, 1 stream (% of 1 core)" "$(summary cpu_c ${D[cpu_c]})" "$(summary cpu_c ${R[cpu_c]})" "-"
# shellcheck disable=SC2086
printf '| %-36s | %10s | %10s | %12s |\n' "node A / B CPU, 1 stream (% of 1 core)" "$(summary cpu_c ${D[cpu_a]}) / $(summary cpu_c ${D[cpu_b]})" \
    "$(summary cpu_c ${R[cpu_a]}) / $(summary cpu_c ${R[cpu_b]})" "-"
echo
echo "first packet through a fresh relayed peer: ${FIRST_MS} ms after tm:peer-add returned (the peer-add itself: ${ADD_MS} ms)"
echo "fresh peer with a direct and a relay candidate: first reply ${BOTH_FIRST_MS} ms after tm:peer-add returned," \
    "path: direct ${UPGRADE_MS} after that reply (relay→direct upgrade)"
echo "$STATUS"
echo "node drops after the relay runs of round 1 (tm:status):"
for side in a b; do
    grep -iE 'drop|transport' "$WORK/status-relay-$side-1.txt" | sed "s/^/  $side: /" || true
done
