#!/usr/bin/env bash
# Two builds of TunnelMesh/J in the same two namespaces, measured alternately in the same run: iperf3 TCP 1 and 4
# streams, ping RTT, CPU of each node while iperf3 ran. On this shared machine a figure moves by 2x between runs
# minutes apart, so only builds measured side by side, taking turns, can be compared.
#
#   sudo ROUNDS=6 bench/dataplane/ab.sh old.tar.gz new.tar.gz
#
# Each round measures both builds, the one going first alternating; every line carries the load average. It ends
# with the median per build and metric (CPU also per Gbit/s carried, steadier under load), the ratio new/old, and how many rounds each build won. Environment:
# DURATION (s per iperf3 run, default 8), PINGS (default 40), ROUNDS (default 6), OLD_EXTRA / NEW_EXTRA (JVM
# options for one build's nodes only, added to TM_JAVA_EXTRA_OPTS). A benchmark, not a test: nothing is asserted.
set -euo pipefail

DURATION=${DURATION:-8}
PINGS=${PINGS:-40}
ROUNDS=${ROUNDS:-6}
OLD=${1:?usage: ab.sh OLD_TARBALL NEW_TARBALL}
NEW=${2:?usage: ab.sh OLD_TARBALL NEW_TARBALL}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

require_root_and_tools ip wg iperf3 ping
make_hosts
BASE_EXTRA=${TM_JAVA_EXTRA_OPTS:-}
export TM_JAVA_EXTRA_OPTS="$BASE_EXTRA ${OLD_EXTRA:-}"
start_tunnelmesh_pair "$OLD" 10.202.0 51821 || { echo "old build's tunnel did not come up: ${TM_FAILURE:-unknown}" >&2; exit 1; }
OLD_A=$TM_PID_A OLD_B=$TM_PID_B
PAIR=t2
export TM_JAVA_EXTRA_OPTS="$BASE_EXTRA ${NEW_EXTRA:-}"
start_tunnelmesh_pair "$NEW" 10.203.0 51822 || { echo "new build's tunnel did not come up: ${TM_FAILURE:-unknown}" >&2; exit 1; }
NEW_A=$TM_PID_A NEW_B=$TM_PID_B
declare -A O N

# $1 array name, $2 label, $3 address, $4 $5 processes; measures and prints this round's samples
measure_build() {
    local -n m=$1
    measure_tunnel "$1" "$3" "$4" "$5"
    # CPU per throughput (% of a core per Gbit/s over both iperf3 runs): steadier than either under load
    local gbits
    gbits=$(awk -v a="$(last "${m[tcp1]}")" -v b="$(last "${m[tcp4]}")" 'BEGIN {print (a + b) / 2000}')
    m[eff_a]+=" $(awk -v c="$(last "${m[cpu_a]}")" -v g="$gbits" 'BEGIN {printf "%.1f", (g > 0 ? c / g : 0)}')"
    m[eff_b]+=" $(awk -v c="$(last "${m[cpu_b]}")" -v g="$gbits" 'BEGIN {printf "%.1f", (g > 0 ? c / g : 0)}')"
    printf '  %-4s tcp1 %6s  tcp4 %6s Mbit/s  rtt %6s/%6s ms  cpu %4s/%4s %%  rss %6s/%6s MiB  load %s\n' "$2" \
        "$(last "${m[tcp1]}")" "$(last "${m[tcp4]}")" "$(last "${m[rtt_cold]}")" "$(last "${m[rtt]}")" \
        "$(last "${m[cpu_a]}")" "$(last "${m[cpu_b]}")" "$(last "${m[rss_a]}")" "$(last "${m[rss_b]}")" \
        "$(cut -d' ' -f1-3 /proc/loadavg)"
}
last() { echo "${1##* }"; }

echo "old: $OLD"
echo "new: $NEW"
for round in $(seq "$ROUNDS"); do
    echo "round $round of $ROUNDS, $(date -u +%TZ)"
    if ((round % 2)); then
        measure_build O old 10.202.0.2 "$OLD_A" "$OLD_B"
        measure_build N new 10.203.0.2 "$NEW_A" "$NEW_B"
    else
        measure_build N new 10.203.0.2 "$NEW_A" "$NEW_B"
        measure_build O old 10.202.0.2 "$OLD_A" "$OLD_B"
    fi
done

# rounds in which the new build did better: higher throughput, lower RTT and CPU
wins() {
    local key=$1 higher=$2
    paste <(printf '%s\n' ${O[$key]}) <(printf '%s\n' ${N[$key]}) |
        awk -v h="$higher" '{if ((h && $2 > $1) || (!h && $2 < $1)) w++} END {printf "%d of %d", w, NR}'
}
echo
echo "median of $ROUNDS rounds, iperf3 ${DURATION}s, $PINGS pings; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %-30s | %10s | %10s | %8s | %-12s |\n' metric old new new/old "new better"
printf '|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..32})" "$(printf -- '-%.0s' {1..12})" "$(printf -- '-%.0s' {1..12})" "$(printf -- '-%.0s' {1..10})" "$(printf -- '-%.0s' {1..14})"
for k in tcp1 tcp4 rtt_cold rtt cpu_a cpu_b eff_a eff_b rss_a rss_b; do
    declare -A label=([tcp1]="TCP 1 stream (Mbit/s)" [tcp4]="TCP 4 streams (Mbit/s)" [rtt_cold]="ping RTT avg, before (ms)"
        [rtt]="ping RTT avg, after iperf3 (ms)" [cpu_a]="CPU sender (% of 1 core)" [cpu_b]="CPU receiver (% of 1 core)"
        [eff_a]="CPU sender per Gbit/s (%)" [eff_b]="CPU receiver per Gbit/s (%)"
        [rss_a]="peak RSS sender (MiB)" [rss_b]="peak RSS receiver (MiB)")
    # shellcheck disable=SC2086
    o=$(summary "$k" ${O[$k]})
    # shellcheck disable=SC2086
    n=$(summary "$k" ${N[$k]})
    higher=0
    [[ $k == tcp* ]] && higher=1
    w=$(wins "$k" "$higher")
    [[ $k == rss_* ]] && w="-"
    printf '| %-30s | %10s | %10s | %8s | %-12s |\n' "${label[$k]}" "$o" "$n" "$(ratio "$n" "$o")" "$w"
done
