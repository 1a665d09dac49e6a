#!/bin/sh
# Protocol-core JMH benchmarks (handshakes/s, transport seal/open vs raw JCE). Results go to
# docs/PERFORMANCE.md, section "Protocol core". Short iterations: this is a 2-core box.
# Usage: bench/protocol-core.sh [extra JMH args, e.g. -prof gc]
set -e
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
mvn -B -q -pl bundles/api,bundles/cipher,bundles/handshake install -DskipTests
mvn -B -q -pl bench package
exec "$JAVA_HOME/bin/java" -cp "bench/target/classes:$(cat bench/target/classes/../classpath.txt)" \
  org.openjdk.jmh.Main 'io.tunnelmesh.bench.protocol.*' -f 1 -wi 3 -w 2s -i 5 -r 2s -t 1 "$@"
