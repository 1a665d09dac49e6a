#!/usr/bin/env bash
# Where an idle ping's time goes, hop by hop: TunnelMesh/J against wireguard-go in the same two namespaces.
#
#   sudo bench/dataplane/hops.sh path/to/tunnelmesh-VERSION.tar.gz
#
# tcpdump timestamps each ping on both tunnel interfaces and both veth ends; per ping, the differences are:
# A seal+send (request enters A's tunnel interface -> its datagram leaves A's veth), B recv+open+write (datagram
# reaches B's veth -> request leaves B's tunnel interface), B seal+send (reply), A recv+open+write (reply), and the
# round trip. Prints medians and minimums in microseconds. Environment: PINGS (default 60, at 0.1 s), SETTLE
# (seconds after the tunnel answers before measuring, default 12), TRAFFIC (default 10: seconds of iperf3 through
# both tunnels first, so the packet path is compiled; the RTT goal is for steady state). Needs tcpdump, iperf3 and
# python3. A benchmark, not a test: nothing is asserted.
set -euo pipefail

PINGS=${PINGS:-60}
SETTLE=${SETTLE:-12}
DIST=${1:?usage: hops.sh TARBALL}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

require_root_and_tools ip wireguard-go wg ping tcpdump python3 iperf3
make_hosts
start_wireguard_go_pair 10.201.0 51820
start_tunnelmesh_pair "$DIST" 10.202.0 51821 || { echo "TunnelMesh/J tunnel did not come up: ${TM_FAILURE:-unknown}" >&2; exit 1; }
sleep "$SETTLE"
if [[ ${TRAFFIC:-10} -gt 0 ]]; then
    start_in "$NSB" "$WORK/iperf-server.log" iperf3 -s
    sleep 0.3
    for addr in 10.201.0.2 10.202.0.2; do
        ip netns exec "$NSA" iperf3 -c "$addr" -t "${TRAFFIC:-10}" >/dev/null 2>&1 || echo "warning: no iperf3 traffic through $addr" >&2
    done
    kill "$LAST_PID" 2>/dev/null || true
    sleep 2
fi

# $1 = tunnel interface prefix (wg or tm), $2 = UDP port, $3 = address pinged from A
hops() {
    local prefix=$1 port=$2 dst=$3 spec captures=()
    for spec in "$NSA ${prefix}${RUN}a ta" "$NSA ${RUN}a va" "$NSB ${RUN}b vb" "$NSB ${prefix}${RUN}b tb"; do
        set -- $spec
        ip netns exec "$1" tcpdump -i "$2" -n -w "$WORK/$3.pcap" "udp port $port or icmp" >/dev/null 2>&1 &
        captures+=($!)
        STARTED+=($!)
    done
    sleep 1
    ip netns exec "$NSA" ping -c "$PINGS" -i 0.1 -q "$dst" | tail -n 1
    sleep 0.5
    kill "${captures[@]}" 2>/dev/null || true
    wait "${captures[@]}" 2>/dev/null || true
    python3 - "$WORK" "$port" <<'PY'
import statistics, subprocess, sys
work, port = sys.argv[1], sys.argv[2]
def read(name):
    out = subprocess.run(['tcpdump', '-r', f'{work}/{name}.pcap', '-n', '-tt'], capture_output=True, text=True).stdout
    return [(float(l.split()[0]), l) for l in out.splitlines() if l]
ta, va, vb, tb = (read(n) for n in ('ta', 'va', 'vb', 'tb'))
fromA, fromB = f'10.200.0.1.{port} >', f'10.200.0.2.{port} >'
data = lambda rows, who: [t for t, l in rows if who in l and 'length 128' in l]  # an 84-byte ping sealed
series = {
    'req_ta': [t for t, l in ta if 'echo request' in l], 'rep_ta': [t for t, l in ta if 'echo reply' in l],
    'out_va': data(va, fromA), 'in_va': data(va, fromB), 'in_vb': data(vb, fromA), 'out_vb': data(vb, fromB),
    'req_tb': [t for t, l in tb if 'echo request' in l], 'rep_tb': [t for t, l in tb if 'echo reply' in l],
}
n = min(len(v) for v in series.values())
for label, a, b in (('A seal+send', 'req_ta', 'out_va'), ('B recv+open+write', 'in_vb', 'req_tb'),
                    ('B seal+send', 'rep_tb', 'out_vb'), ('A recv+open+write', 'in_va', 'rep_ta'),
                    ('round trip', 'req_ta', 'rep_ta')):
    d = [(series[b][i] - series[a][i]) * 1e6 for i in range(n)]
    print(f'  {label:20s} median {statistics.median(d):5.0f} us   min {min(d):5.0f} us   ({n} pings)')
PY
}

echo "wireguard-go:"
hops wg 51820 10.201.0.2
echo "TunnelMesh/J:"
hops tm 51821 10.202.0.2
