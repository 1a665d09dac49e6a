#!/usr/bin/env bash
# Handshake flood against an established tunnel, TunnelMesh/J and wireguard-go in the same namespaces:
#
#   sudo bench/dataplane/flood.sh dist/target/tunnelmesh-VERSION.tar.gz
#
# Per round and tunnel: iperf3 (1 stream, A -> B) through the tunnel while a flooder in A sends RATE handshake
# initiations per second with a valid mac1 for B's key (bench InitiationFlood) to B's tunnel port, and the same
# with the same flooder aimed at a closed port of B (same sender cost, the kernel drops them). Prints both
# figures and their ratio (flooded / closed-port) per round. Then, with the flood on B's TunnelMesh/J port, a
# newcomer (wireguard-go in a third namespace C, linked to B) that B knows joins, and the time to its first ping
# reply is printed: under load B answers its first initiation with a cookie, so about one retransmission (5 s).
# Environment: DURATION (s per iperf3 run, default 10), RATE (default 200000), ROUNDS (default 4), TUNNELS (default
# "wireguard-go TunnelMesh/J"), THREADS=yes (B's busiest threads per run, to stderr). TM_JAVA_EXTRA_OPTS reaches the nodes' JVMs (e.g. a JFR recording with %p in its name).
# A benchmark, not a test: nothing is asserted. Needs what run.sh needs, and Maven with JDK 25 to build bench/.
set -euo pipefail

DURATION=${DURATION:-10}
RATE=${RATE:-200000}
ROUNDS=${ROUNDS:-4}
DIST=${1:?usage: flood.sh path/to/tunnelmesh-VERSION.tar.gz}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
. "$HERE/lib.sh"
NSC=$RUN-c
trap 'ip netns del "$NSC" 2>/dev/null || true; cleanup' EXIT

require_root_and_tools ip wireguard-go wg iperf3 ping
: "${JAVA_HOME:?set JAVA_HOME to a JDK 25}"
(cd "$REPO" && mvn -B -q -ntp -pl bench package)
FLOOD_CP="$REPO/bench/target/classes:$(cat "$REPO/bench/target/classpath.txt")"
LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
make_hosts
start_wireguard_go_pair 10.201.0 51820
start_tunnelmesh_pair "$DIST" 10.202.0 51821 || { echo "TunnelMesh/J tunnel did not come up: ${TM_FAILURE:-unknown}" >&2; exit 1; }
CLOSED_PORT=51899

# Starts the flooder in A against B's port $1 with B's public key $2 for $3 seconds; its PID lands in FLOOD_PID.
start_flood() {
    start_in "$NSA" "$WORK/flood-$1.log" "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx64m -cp "$FLOOD_CP" \
        io.tunnelmesh.bench.flood.InitiationFlood "10.200.0.2:$1" "$2" "$RATE" "$3"
    FLOOD_PID=$LAST_PID
    sleep 1.5 # JVM start and the target's switch to under-load mode
}

# CPU ticks per thread of process $1, one "ticks name" line per thread.
thread_ticks() {
    local t
    for t in /proc/"$1"/task/*; do
        awk '{n = $0; sub(/^[^(]*\(/, "", n); sub(/\).*/, "", n); sub(/.*\) /, ""); print $12 + $13, n}' "$t/stat" 2>/dev/null || true
    done
}

# UDP datagrams B's kernel dropped because a socket's receive buffer was full (flood and tunnel traffic alike).
rcvbuf_errors() { ip netns exec "$NSB" awk '/^Udp:/ {if (h) print $6; else h = 1}' /proc/net/snmp; }

# iperf3 through the tunnel at $1 while the flooder hits port $2 (key $3); prints Mbit/s and the flooder's rate.
# With THREADS=yes and B's JVM in $4, the busiest threads of B during the run go to stderr (% of one core).
flooded_mbits() {
    local addr=$1 port=$2 key=$3 pid=${4:-} mbits t0 t1
    start_flood "$port" "$key" $((DURATION + 3))
    local dropped0
    dropped0=$(rcvbuf_errors)
    [[ ${THREADS:-no} == yes && -n $pid ]] && thread_ticks "$pid" >"$WORK/threads-before"
    t0=$(date +%s.%N)
    mbits=$(iperf_mbits "$addr" 1 || echo 0)
    t1=$(date +%s.%N)
    if [[ ${THREADS:-no} == yes && -n $pid ]]; then
        thread_ticks "$pid" >"$WORK/threads-after"
        echo "  B's busiest threads, port $port (% of one core):" >&2
        awk -v hz="$CLK_TCK" -v s="$t0" -v e="$t1" 'NR == FNR {b[$2] += $1; next} {a[$2] += $1}
            END {for (n in a) printf "    %5.1f  %s\n", 100 * (a[n] - b[n]) / hz / (e - s), n}'             "$WORK/threads-before" "$WORK/threads-after" | sort -rn | head -n 6 >&2
    fi
    echo "  B's kernel dropped $(( $(rcvbuf_errors) - dropped0 )) datagrams at full socket buffers during the run (port $port)" >&2
    wait "$FLOOD_PID" 2>/dev/null || true
    echo "$mbits $(awk '/^sent/ {print $NF}' "$WORK/flood-$port.log")"
}

start_in "$NSB" "$WORK/iperf-wg.log" iperf3 -s -B 10.201.0.2
start_in "$NSB" "$WORK/iperf-tm.log" iperf3 -s -B 10.202.0.2
sleep 0.3
# a first unmeasured run, so neither case pays for the JIT compiling the data path
ip netns exec "$NSA" iperf3 -c 10.202.0.2 -t 3 >/dev/null 2>&1 || true
echo
echo "Handshake flood, $(nproc) cores, iperf3 1 stream ${DURATION}s, flood $RATE initiations/s with valid mac1," \
    "$(date -u +%FT%TZ), load average before: $LOAD_BEFORE"
printf '| %-5s | %-14s | %18s | %18s | %8s |\n' round tunnel "closed port Mbit/s" "flooded Mbit/s" ratio
printf '|%s|%s|%s|%s|%s|\n' ------- ---------------- -------------------- -------------------- ----------
for round in $(seq "$ROUNDS"); do
    for tunnel in ${TUNNELS:-wireguard-go TunnelMesh/J}; do
        if [[ $tunnel == wireguard-go ]]; then addr=10.201.0.2; port=51820; key=$(cat "$WORK/wg-b.pub"); pid=$WG_PID_B
        else addr=10.202.0.2; port=51821; key=$(cat "$WORK/tm-b.pub"); pid=$TM_PID_B; fi
        if (( round % 2 )); then # the two runs take turns at going first
            read -r closed closed_rate < <(flooded_mbits "$addr" "$CLOSED_PORT" "$key" "$pid")
            read -r open open_rate < <(flooded_mbits "$addr" "$port" "$key" "$pid")
        else
            read -r open open_rate < <(flooded_mbits "$addr" "$port" "$key" "$pid")
            read -r closed closed_rate < <(flooded_mbits "$addr" "$CLOSED_PORT" "$key" "$pid")
        fi
        printf '| %-5s | %-14s | %18s | %18s | %8s |\n' "$round" "$tunnel" "$closed" "$open" "$(ratio "$open" "$closed")"
        echo "  (flooder rate: closed port ${closed_rate:-?}, tunnel port ${open_rate:-?})" >&2
    done
done

# ---- a newcomer joins B during the flood ------------------------------------------------------------------
ip netns add "$NSC"
ip link add "${RUN}c" netns "$NSC" type veth peer name "${RUN}cb" netns "$NSB"
ip -n "$NSC" addr add 10.200.1.1/24 dev "${RUN}c"
ip -n "$NSB" addr add 10.200.1.2/24 dev "${RUN}cb"
ip -n "$NSC" link set lo up
ip -n "$NSC" link set "${RUN}c" up
ip -n "$NSB" link set "${RUN}cb" up
wg genkey >"$WORK/wg-c.key"
wg pubkey <"$WORK/wg-c.key" >"$WORK/wg-c.pub"
start_in "$NSC" "$WORK/wg-c.log" wireguard-go -f "wg${RUN}c"
for _ in $(seq 50); do [[ -S /var/run/wireguard/wg${RUN}c.sock ]] && break; sleep 0.1; done
hb=$(echo "$WORK/tm-b"/*/)
"$hb/bin/tunnelmesh" shell -c "tm:peer-add $(cat "$WORK/wg-c.pub") --endpoint 10.200.1.1:51830 --allowed-ips 10.202.0.3/32" >/dev/null
start_flood 51821 "$(cat "$WORK/tm-b.pub")" 30
ip netns exec "$NSC" wg set "wg${RUN}c" private-key "$WORK/wg-c.key" listen-port 51830 \
    peer "$(cat "$WORK/tm-b.pub")" preshared-key "$WORK/tm.psk" endpoint 10.200.1.2:51821 allowed-ips 10.202.0.2/32
ip -n "$NSC" addr add 10.202.0.3/24 dev "wg${RUN}c"
ip -n "$NSC" link set "wg${RUN}c" mtu 1420 up
t0=$(date +%s.%N)
joined=no
for _ in $(seq 25); do
    if ip netns exec "$NSC" ping -c 1 -W 1 10.202.0.2 >/dev/null 2>&1; then joined=yes; break; fi
done
t1=$(date +%s.%N)
flooding=$(kill -0 "$FLOOD_PID" 2>/dev/null && echo "still on" || echo "over")
status=$("$hb/bin/tunnelmesh" shell -c 'tm:status' 2>/dev/null | tr ' ,{}' '\n\n\n\n')
cookies=$(awk -F= '/^COOKIE_REQUIRED=/ {print $2}' <<<"$status")
refused=$(awk -F= '/^HANDSHAKE_RATE_LIMITED=/ {print $2}' <<<"$status")
echo
if [[ $joined == yes ]]; then
    printf 'newcomer during the flood (flood %s): first ping reply after %.1f s; B demanded %s cookies so far\n' \
        "$flooding" "$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')" "${cookies:-?}"
else
    echo "newcomer during the flood: no ping reply within 25 tries; B demanded ${cookies:-?} cookies"
fi
# What reached B's node and was refused there; the rest of the flood its transport shed (a socket filter).
echo "B's node refused ${refused:-0} flood messages itself over all runs (tm:status HANDSHAKE_RATE_LIMITED)"
