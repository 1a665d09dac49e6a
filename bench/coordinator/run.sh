#!/usr/bin/env bash
# Coordinator benchmark: N simulated nodes (real X25519 keys, real protocol, real TCP on 127.0.0.1) against one
# coordinator in its own JVM. Prints joins/s, heap and RSS per 1,000 connected nodes and the fan-out time of an
# endpoint change, each beside an anchor measured in the same run. A benchmark, not a test: it asserts nothing.
#
#   bench/coordinator/run.sh [nodes=10000] [joinConcurrency=64] [connectConcurrency=32] [changes=30] [gapMillis=300]
#
# Environment: COORD_JAVA_OPTS (the coordinator JVM's options, default -Xmx2g), HARNESS_JAVA_OPTS (the simulated
# nodes' JVM, default -Xmx6g), JFR=FILE (record the coordinator with JFR into FILE and print its hottest frames),
# BUILD=no (skip the Maven build), SPLIT_CPUS=yes (the coordinator on CPU 0, the harness and the anchors on CPU 1:
# the coordinator's own figures without the simulated nodes' half of every handshake on its cores).
# Results go to docs/PERFORMANCE.md, section "Coordinator".
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"

COORD_JAVA_OPTS=${COORD_JAVA_OPTS:--Xmx2g}
HARNESS_JAVA_OPTS=${HARNESS_JAVA_OPTS:--Xmx6g}
if [[ -n ${JFR:-} ]]; then
    COORD_JAVA_OPTS="$COORD_JAVA_OPTS -XX:StartFlightRecording=filename=$JFR,settings=profile,dumponexit=true"
fi

# Each JVM holds one socket per node (the harness: the nodes' ends, then the raw anchor's readers; the coordinator
# and the raw anchor's writer: the other ends), so the descriptor limit must exceed N: raise it to the hard limit.
ulimit -n "$(ulimit -Hn)"
if [[ $(ulimit -n) -lt 11000 ]]; then
    echo "warning: only $(ulimit -n) file descriptors per process; 10,000 nodes need about 11,000" >&2
fi

if [[ ${BUILD:-yes} != no ]]; then
    # the coordinator, its store and the protocol come from ~/.m2 (installed by their own module builds)
    mvn -B -q -ntp -pl bench package
fi

WORK=$(mktemp -d /tmp/tm-coord-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
PIN=()
if [[ ${SPLIT_CPUS:-no} == yes ]]; then
    PIN=(taskset -c 1)
    # the coordinator JVM inherits CPU 1 from the harness: move all its threads to CPU 0 once it exists
    ( for _ in $(seq 600); do
          pid=$(pgrep -f 'io.tunnelmesh.bench.coordinator.CoordinatorProcess' | head -n 1) || true
          if [[ -n $pid ]]; then taskset -a -p -c 0 "$pid" >/dev/null && echo "coordinator JVM $pid pinned to CPU 0" >&2; exit; fi
          sleep 0.1
      done ) &
fi
# The coordinator JVM is a child of the harness JVM, which stops it at the end.
"${PIN[@]}" "$JAVA_HOME/bin/java" $HARNESS_JAVA_OPTS -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
    io.tunnelmesh.bench.coordinator.CoordinatorBench "work=$WORK" "coordinatorOpts=$COORD_JAVA_OPTS" "$@"

if [[ -n ${JFR:-} && -s $JFR ]]; then
    # Hottest top frames of the coordinator's execution samples: what its CPU went to.
    echo
    echo "coordinator JFR ($JFR): top frames of jdk.ExecutionSample"
    "$JAVA_HOME/bin/jfr" print --events jdk.ExecutionSample "$JFR" |
        awk '/stackTrace = \[/ {getline; sub(/^ +/, ""); sub(/line:.*/, ""); top[$0]++; n++}
             END {for (f in top) printf "%6.1f%%  %s\n", 100 * top[f] / n, f}' | sort -rn | head -n 25
fi
