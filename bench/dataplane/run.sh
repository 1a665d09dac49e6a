#!/usr/bin/env bash
# Data-plane benchmark: TunnelMesh/J against wireguard-go, in the same two network namespaces, in the same run.
#
#   sudo bench/dataplane/run.sh [path/to/tunnelmesh-VERSION.tar.gz]
#
# Without a tarball (or when it does not produce a working tunnel) only the wireguard-go anchor is measured.
# Environment: DURATION (s per iperf3 run, default 10), PINGS (default 50), ROUNDS (default 3: both tunnels are
# measured alternately this many times and the median is printed, because a shared machine's noise is large).
# Prints one table per run with ratios ours / wireguard-go; it is a benchmark, not a test: nothing is asserted.
set -euo pipefail

DURATION=${DURATION:-10}
PINGS=${PINGS:-50}
ROUNDS=${ROUNDS:-3}
DIST=${1:-}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

require_root_and_tools ip wireguard-go wg iperf3 ping
LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
make_hosts

# ---- the two tunnels, side by side in the same namespaces ------------------------------------------------
start_wireguard_go_pair 10.201.0 51820
declare -A WG TM
OURS=no
if [[ -n $DIST && -f $DIST ]]; then
    if start_tunnelmesh_pair "$DIST" 10.202.0 51821; then
        OURS=yes
    else
        echo "TunnelMesh/J tunnel did not come up: ${TM_FAILURE:-unknown}" >&2
        tail -n 20 "$WORK"/tm-?.log >&2 2>/dev/null || true
    fi
else
    echo "no distribution tarball given (or not found: '$DIST'); measuring the wireguard-go anchor only" >&2
fi

for round in $(seq "$ROUNDS"); do
    echo "round $round of $ROUNDS" >&2
    measure_tunnel WG 10.201.0.2 "$WG_PID_A" "$WG_PID_B"
    if [[ $OURS == yes ]]; then
        measure_tunnel TM 10.202.0.2 "$TM_PID_A" "$TM_PID_B"
    fi
done

print_table "$OURS"
