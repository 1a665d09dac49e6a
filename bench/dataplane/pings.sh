#!/usr/bin/env bash
# Idle ping RTT as a distribution, and the CPU each tunnel spends per ping: TunnelMesh/J against wireguard-go in
# the same two namespaces, alternating.
#
#   sudo bench/dataplane/pings.sh path/to/tunnelmesh-VERSION.tar.gz [path/to/other-build.tar.gz]
#
# With a second tarball, a second TunnelMesh/J pair of that build runs in the same namespaces and each round
# pings all three tunnels one after the other, so two builds are compared under the same machine noise (this
# VM's medians move by up to 2x between runs a few minutes apart; only same-run comparisons mean anything).
#
# Per round and tunnel: PINGS pings (default 600) at INTERVAL seconds (default 0.02) from A; prints median, p90,
# p99 and max RTT in ms, pings over 3 ms, and CPU time (utime+stime, both tunnel processes together) per ping in
# microseconds; then the ratio of the medians over all rounds. SETTLE (default 25 s after the tunnel answers),
# ROUNDS (default 3). TRAFFIC (default 10) seconds of iperf3 go through every tunnel before the first round: the
# RTT goal is for steady state, after the first 10 s of traffic, when the JIT has compiled the packet path
# (TRAFFIC=0 measures a tunnel that has carried nothing but these pings, i.e. code still being compiled).
# Averages hide the shape: a few scheduler-tick outliers (4 ms on a
# 250 Hz kernel) move an average of 600 pings by 0.03 ms. A benchmark, not a test: nothing is asserted.
set -euo pipefail

PINGS=${PINGS:-600}
INTERVAL=${INTERVAL:-0.02}
SETTLE=${SETTLE:-25}
ROUNDS=${ROUNDS:-3}
DIST=${1:?usage: pings.sh TARBALL [OTHER_TARBALL]}
OTHER=${2:-}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

require_root_and_tools ip wireguard-go wg ping iperf3
make_hosts
start_wireguard_go_pair 10.201.0 51820
start_tunnelmesh_pair "$DIST" 10.202.0 51821 || { echo "TunnelMesh/J tunnel did not come up: ${TM_FAILURE:-unknown}" >&2; exit 1; }
if [[ -n $OTHER ]]; then
    OWN_A=$TM_PID_A OWN_B=$TM_PID_B PAIR=t2
    start_tunnelmesh_pair "$OTHER" 10.203.0 51822 || { echo "second TunnelMesh/J tunnel did not come up: ${TM_FAILURE:-unknown}" >&2; exit 1; }
    OTHER_A=$TM_PID_A OTHER_B=$TM_PID_B TM_PID_A=$OWN_A TM_PID_B=$OWN_B
fi
sleep "$SETTLE"
TRAFFIC=${TRAFFIC:-10}
if [[ $TRAFFIC -gt 0 ]]; then
    start_in "$NSB" "$WORK/iperf-server.log" iperf3 -s
    sleep 0.3
    for addr in 10.201.0.2 10.202.0.2 ${OTHER:+10.203.0.2}; do
        ip netns exec "$NSA" iperf3 -c "$addr" -t "$TRAFFIC" >/dev/null 2>&1 || echo "warning: no iperf3 traffic through $addr" >&2
    done
    kill "$LAST_PID" 2>/dev/null || true
    sleep 2
fi

# $1 key (wg or tm), $2 label, $3 address, $4 $5 tunnel processes; prints one line, appends the median to
# $WORK/median-$1
pings() {
    local key=$1 label=$2 addr=$3 before after
    shift
    before=$(( $(cpu_ticks "$3") + $(cpu_ticks "$4") ))
    ip netns exec "$NSA" ping -c "$PINGS" -i "$INTERVAL" "$addr" >"$WORK/ping-$key.txt" || true
    after=$(( $(cpu_ticks "$3") + $(cpu_ticks "$4") ))
    awk -F'time=' '/time=/ {split($2, a, " "); print a[1]}' "$WORK/ping-$key.txt" | sort -g |
        awk -v l="$label" -v cpu="$(( after - before ))" -v hz="$CLK_TCK" -v out="$WORK/median-$key" '
            {v[NR] = $1; if ($1 > 3) slow++}
            END {
                if (NR == 0) {print l ": no replies"; exit}
                m = v[int((NR + 1) / 2)]
                printf "  %-13s median %.3f  p90 %.3f  p99 %.3f  max %.3f ms  over 3 ms: %d of %d  CPU %.0f us/ping\n",
                    l, m, v[int(NR * 0.9)], v[int(NR * 0.99)], v[NR], slow, NR, cpu / hz * 1e6 / NR
                print m >> out
            }'
}

for round in $(seq "$ROUNDS"); do
    echo "round $round of $ROUNDS, $(date -u +%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
    pings wg wireguard-go 10.201.0.2 "$WG_PID_A" "$WG_PID_B"
    if [[ -n $OTHER && $((round % 2)) -eq 0 ]]; then  # the two builds take turns at going first
        pings t2 "other build" 10.203.0.2 "$OTHER_A" "$OTHER_B"
        pings tm TunnelMesh/J 10.202.0.2 "$TM_PID_A" "$TM_PID_B"
    else
        pings tm TunnelMesh/J 10.202.0.2 "$TM_PID_A" "$TM_PID_B"
        [[ -z $OTHER ]] || pings t2 "other build" 10.203.0.2 "$OTHER_A" "$OTHER_B"
    fi
done
median_of() { sort -g "$WORK/median-$1" | awk '{v[NR] = $1} END {if (NR) print v[int((NR + 1) / 2)]}'; }
wg_median=$(median_of wg)
tm_median=$(median_of tm)
echo "median of the rounds' medians: wireguard-go $wg_median ms, TunnelMesh/J $tm_median ms, ours/wg-go $(ratio "$tm_median" "$wg_median")"
if [[ -n $OTHER ]]; then
    t2_median=$(median_of t2)
    echo "other build ($OTHER): $t2_median ms, other/wg-go $(ratio "$t2_median" "$wg_median"), other/first $(ratio "$t2_median" "$tm_median")"
fi
