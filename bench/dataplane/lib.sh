# Functions for bench/dataplane/run.sh. Sourced, not run.
# Everything it creates is named after this shell's PID, so concurrent runs never collide, and the EXIT trap
# removes it again: namespaces (with their veths and TUNs), the work folder, and only the processes started here.

RUN=tmb$$
NSA=$RUN-a
NSB=$RUN-b
umask 077
WORK=$(mktemp -d /tmp/tm-bench.XXXXXX)
STARTED=()
CLK_TCK=$(getconf CLK_TCK)
# Name of the TunnelMesh/J pair the functions below work on: its installations are $WORK/$PAIR-a and -b, its
# interfaces ${PAIR}${RUN}a and b. A script that runs two builds side by side sets it before each pair.
PAIR=tm

require_root_and_tools() {
    [[ $(id -u) -eq 0 ]] || { echo "needs root (network namespaces, TUN devices); run with sudo" >&2; exit 2; }
    local t
    for t in "$@"; do
        command -v "$t" >/dev/null || { echo "missing tool '$t'; install it (Debian: wireguard-go wireguard-tools iperf3 iputils-ping)" >&2; exit 2; }
    done
}

# Children (and their children) of a PID we started, so stopping a wrapper script stops its JVM too.
descendants() {
    local child
    for child in $(pgrep -P "$1" || true); do
        echo "$child"
        descendants "$child"
    done
}

cleanup() {
    local p all=()
    for p in "${STARTED[@]}"; do all+=("$p" $(descendants "$p")); done
    for p in "${all[@]}"; do kill "$p" 2>/dev/null || true; done
    for _ in $(seq 50); do
        local alive=0
        for p in "${all[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
        [[ $alive -eq 0 ]] && break
        sleep 0.1
    done
    for p in "${all[@]}"; do kill -9 "$p" 2>/dev/null || true; done
    ip netns del "$NSA" 2>/dev/null || true
    ip netns del "$NSB" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# Two hosts, one wire: 10.200.0.1 in A, 10.200.0.2 in B.
make_hosts() {
    ip netns add "$NSA"
    ip netns add "$NSB"
    ip link add "${RUN}a" netns "$NSA" type veth peer name "${RUN}b" netns "$NSB"
    ip -n "$NSA" addr add 10.200.0.1/24 dev "${RUN}a"
    ip -n "$NSB" addr add 10.200.0.2/24 dev "${RUN}b"
    local ns
    for ns in "$NSA" "$NSB"; do
        ip -n "$ns" link set lo up
    done
    ip -n "$NSA" link set "${RUN}a" up
    ip -n "$NSB" link set "${RUN}b" up
}

# Runs "$@" in the background inside namespace $1; its PID lands in LAST_PID and in STARTED.
start_in() {
    local ns=$1 log=$2
    shift 2
    ip netns exec "$ns" "$@" >"$log" 2>&1 &
    LAST_PID=$!
    STARTED+=("$LAST_PID")
}

# Waits (bounded) until ping through the tunnel answers.
wait_for_ping() {
    local ns=$1 addr=$2 tries=${3:-20}
    for _ in $(seq "$tries"); do
        ip netns exec "$ns" ping -c 1 -W 1 "$addr" >/dev/null 2>&1 && return 0
    done
    return 1
}

# wireguard-go in both namespaces, tunnel addresses $1.1 and $1.2, both listening on $2.
start_wireguard_go_pair() {
    local net=$1 port=$2 side ns ifc
    wg genpsk >"$WORK/wg.psk"
    for side in a b; do
        wg genkey >"$WORK/wg-$side.key"
        wg pubkey <"$WORK/wg-$side.key" >"$WORK/wg-$side.pub"
    done
    for side in a b; do
        if [[ $side == a ]]; then ns=$NSA; else ns=$NSB; fi
        ifc="wg${RUN}${side}"
        start_in "$ns" "$WORK/wg-$side.log" wireguard-go -f "$ifc"
        if [[ $side == a ]]; then WG_PID_A=$LAST_PID; else WG_PID_B=$LAST_PID; fi
    done
    for _ in $(seq 50); do
        [[ -S /var/run/wireguard/wg${RUN}a.sock && -S /var/run/wireguard/wg${RUN}b.sock ]] && break
        sleep 0.1
    done
    ip netns exec "$NSA" wg set "wg${RUN}a" private-key "$WORK/wg-a.key" listen-port "$port" \
        peer "$(cat "$WORK/wg-b.pub")" preshared-key "$WORK/wg.psk" endpoint "10.200.0.2:$port" allowed-ips "$net.2/32"
    ip netns exec "$NSB" wg set "wg${RUN}b" private-key "$WORK/wg-b.key" listen-port "$port" \
        peer "$(cat "$WORK/wg-a.pub")" preshared-key "$WORK/wg.psk" endpoint "10.200.0.1:$port" allowed-ips "$net.1/32"
    ip -n "$NSA" addr add "$net.1/24" dev "wg${RUN}a"
    ip -n "$NSB" addr add "$net.2/24" dev "wg${RUN}b"
    ip -n "$NSA" link set "wg${RUN}a" mtu 1420 up
    ip -n "$NSB" link set "wg${RUN}b" mtu 1420 up
    wait_for_ping "$NSA" "$net.2" || { echo "wireguard-go anchor tunnel does not answer ping" >&2; exit 1; }
}

# The JVM of an installation started with start_in: the wrapper itself if it exec'd java, else its java child.
java_pid_of() {
    local p
    for p in "$1" $(descendants "$1"); do
        [[ $(cat "/proc/$p/comm" 2>/dev/null) == java ]] && { echo "$p"; return; }
    done
    echo "$1"
}

# Starts 'bin/tunnelmesh up' of the installation in $WORK/$PAIR-$1 inside namespace $2, tunnel address $3/24, port $4;
# waits (bounded) until its control socket answers. Sets TM_LAUNCHER_A or TM_LAUNCHER_B; log: $WORK/$PAIR-$1$5.log.
start_tunnelmesh_node() {
    local side=$1 ns=$2 addr=$3 port=$4 suffix=${5:-} home
    home=$(echo "$WORK/$PAIR-$side"/*/)
    start_in "$ns" "$WORK/$PAIR-$side$suffix.log" "$home/bin/tunnelmesh" up --interface "${PAIR}${RUN}$side" --address "$addr/24" \
        --listen-port "$port" --psk-file "$WORK/tm.psk"
    if [[ $side == a ]]; then TM_LAUNCHER_A=$LAST_PID; else TM_LAUNCHER_B=$LAST_PID; fi
}

# Waits for both nodes' control sockets, makes them peers ($1 = tunnel network, $2 = port; peers last as long as
# the nodes run), waits for a ping through the tunnel and sets TM_PID_A/B to the nodes' JVMs.
connect_tunnelmesh_pair() {
    local net=$1 port=$2 home ok
    local ha hb
    ha=$(echo "$WORK/$PAIR-a"/*/)
    hb=$(echo "$WORK/$PAIR-b"/*/)
    for home in "$ha" "$hb"; do
        ok=no
        for _ in $(seq 100); do
            "$home/bin/tunnelmesh" shell -c 'tm:status' >/dev/null 2>&1 && { ok=yes; break; }
            sleep 0.1
        done
        [[ $ok == yes ]] || { TM_FAILURE="'tunnelmesh up' did not answer tm:status within 10 s"; return 1; }
    done
    "$ha/bin/tunnelmesh" shell -c "tm:peer-add $(cat "$WORK/$PAIR-b.pub") --endpoint 10.200.0.2:$port --allowed-ips $net.2/32" >/dev/null &&
        "$hb/bin/tunnelmesh" shell -c "tm:peer-add $(cat "$WORK/$PAIR-a.pub") --endpoint 10.200.0.1:$port --allowed-ips $net.1/32" >/dev/null ||
        { TM_FAILURE="tm:peer-add failed"; return 1; }
    wait_for_ping "$NSA" "$net.2" || { TM_FAILURE="no ping reply through the tunnel within 20 s"; return 1; }
    TM_PID_A=$(java_pid_of "$TM_LAUNCHER_A")
    TM_PID_B=$(java_pid_of "$TM_LAUNCHER_B")
}

# Two unpacked TunnelMesh/J installations, one per namespace, tunnel addresses $2.1 and $2.2, port $3.
start_tunnelmesh_pair() {
    local dist=$1 net=$2 port=$3 side home
    wg genpsk >"$WORK/tm.psk"
    for side in a b; do
        mkdir -p "$WORK/$PAIR-$side"
        tar xzf "$dist" -C "$WORK/$PAIR-$side"
        home=$(echo "$WORK/$PAIR-$side"/*/)
        "$home/bin/tunnelmesh" init --generate >"$WORK/$PAIR-$side-init.log" 2>&1 ||
            { TM_FAILURE="'tunnelmesh init --generate': $(tail -n 3 "$WORK/$PAIR-$side-init.log")"; return 1; }
        "$home/bin/tunnelmesh" pubkey >"$WORK/$PAIR-$side.pub" 2>"$WORK/$PAIR-$side-pub.err" ||
            { TM_FAILURE="'tunnelmesh pubkey': $(tail -n 3 "$WORK/$PAIR-$side-pub.err")"; return 1; }
    done
    start_tunnelmesh_node a "$NSA" "$net.1" "$port"
    start_tunnelmesh_node b "$NSB" "$net.2" "$port"
    connect_tunnelmesh_pair "$net" "$port"
}

# "TID NAME RUN_NS WAIT_NS" for every thread of process $1: time on a CPU, and time runnable but waiting for one
thread_times() {
    local t name
    for t in /proc/"$1"/task/*; do
        name=$(tr ' ' _ <"$t/comm" 2>/dev/null) || continue
        read -r run wait _ <"$t/schedstat" 2>/dev/null || continue
        echo "${t##*/} $name $run $wait"
    done
}

# Threads of one process busier than 1 % between two thread_times snapshots $1 and $2 taken at times $3 and $4 (s):
# % of wall time on a CPU and % runnable but waiting for one, busiest first, then the process's total.
busy_threads() {
    join <(sort "$1") <(sort "$2") | awk -v s="$3" -v e="$4" '
        {r = ($6 - $3) / 1e7 / (e - s); w = ($7 - $4) / 1e7 / (e - s); run += r; wait += w
         if (r >= 1) printf "  %-28s %5.1f  %5.1f\n", $2, r, w}
        END {printf "  %-28s %5.1f  %5.1f\n", "(all threads)", run, wait}' | sort -k2 -g -r
}

cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
rss_mib() { awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
peak_rss_mib() { awk '/^VmHWM:/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }

# iperf3 client in A against a server in B; prints receiver Mbit/s. $2 = parallel streams.
iperf_mbits() {
    local addr=$1 streams=$2
    ip netns exec "$NSA" iperf3 -c "$addr" -t "$DURATION" -P "$streams" -f m 2>&1 |
        awk '/receiver/ {v = $(NF-2)} END {if (v == "") exit 1; print v}'
}

ping_avg_ms() {
    ip netns exec "$NSA" ping -c "$PINGS" -i 0.05 -q "$1" | awk -F'/' '/^rtt|^round-trip/ {print $5}'
}

# Appends one sample per metric to associative array $1 (space-separated lists): rtt_cold and rtt (ms, before
# and after the iperf3 runs), tcp1, tcp4 (Mbit/s), cpu_a, cpu_b (% of one core while iperf3 ran), rss_a, rss_b
# (peak MiB so far). $3/$4 are the tunnel processes in A and B.
measure_tunnel() {
    local -n out=$1
    local addr=$2 pa=$3 pb=$4
    out[rtt_cold]+=" $(ping_avg_ms "$addr")"
    start_in "$NSB" "$WORK/iperf-$addr.log" iperf3 -s -B "$addr"
    local server=$LAST_PID
    sleep 0.3
    local a0 b0 t0 t1
    a0=$(cpu_ticks "$pa"); b0=$(cpu_ticks "$pb"); t0=$(date +%s.%N)
    out[tcp1]+=" $(iperf_mbits "$addr" 1)"
    out[tcp4]+=" $(iperf_mbits "$addr" 4)"
    t1=$(date +%s.%N)
    out[cpu_a]+=" $(awk -v d="$(( $(cpu_ticks "$pa") - a0 ))" -v hz="$CLK_TCK" -v s="$t0" -v e="$t1" 'BEGIN {printf "%.0f", 100 * d / hz / (e - s)}')"
    out[cpu_b]+=" $(awk -v d="$(( $(cpu_ticks "$pb") - b0 ))" -v hz="$CLK_TCK" -v s="$t0" -v e="$t1" 'BEGIN {printf "%.0f", 100 * d / hz / (e - s)}')"
    out[rtt]+=" $(ping_avg_ms "$addr")"
    out[rss_a]+=" $(peak_rss_mib "$pa")"
    out[rss_b]+=" $(peak_rss_mib "$pb")"
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
}

# Median of the samples (peak RSS: the last, which is the peak over all rounds).
summary() {
    local key=$1
    shift
    if [[ $key == rss_* ]]; then
        echo "${@: -1}"
    else
        printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'
    fi
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "" || b == "" || b == 0) print "-"; else printf "%.2f", a / b}'; }

print_table() {
    local ours=$1 k
    local -A label=([tcp1]="TCP 1 stream (Mbit/s)" [tcp4]="TCP 4 streams (Mbit/s)" [rtt_cold]="ping RTT avg, first (ms)" [rtt]="ping RTT avg, after iperf3 (ms)"
        [cpu_a]="CPU sender side (% of 1 core)" [cpu_b]="CPU receiver side (% of 1 core)"
        [rss_a]="peak RSS sender side (MiB)" [rss_b]="peak RSS receiver side (MiB)")
    echo
    echo "Data plane, $(nproc) cores, iperf3 ${DURATION}s per run, $PINGS pings, median of $ROUNDS rounds" \
        "(ours and wireguard-go alternating), $(date -u +%FT%TZ), load average before: $LOAD_BEFORE"
    printf '| %-32s | %12s | %12s | %14s |\n' metric wireguard-go TunnelMesh/J "ours/wg-go"
    printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..34})" "$(printf -- '-%.0s' {1..14})" "$(printf -- '-%.0s' {1..14})" "$(printf -- '-%.0s' {1..16})"
    for k in tcp1 tcp4 rtt_cold rtt cpu_a cpu_b rss_a rss_b; do
        local t w
        # shellcheck disable=SC2086
        t=$(summary "$k" ${TM[$k]:-})
        # shellcheck disable=SC2086
        w=$(summary "$k" ${WG[$k]:-})
        [[ $ours == yes ]] || t=""
        printf '| %-32s | %12s | %12s | %14s |\n' "${label[$k]}" "$w" "${t:-n/a}" "$(ratio "$t" "$w")"
    done
}
