#!/usr/bin/env bash
# Chooses the blocking models' HTTP client by measurement: the JDK's HttpClient, HttpURLConnection
# and Apache HttpClient 5 (plus railyard's BlockingHttp, the winner wrapped) do N GETs of
# /delay/L with C in flight on platform and virtual threads, each in a fresh JVM, against the
# latency server in a process of its own. Prints CPU seconds per 1,000 requests and wall / limit,
# cold and warm.
#
#   bench/scripts/client-comparison.sh                      # 30000 1000 100
#   bench/scripts/client-comparison.sh 20000 100 10 urlconnection,apache5
#
# Apache HttpClient is a 'provided' dependency of bench (it is not shipped in railyard.jar), so
# this script builds bench and asks Maven for its full class path.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAVA_HOME="$("$ROOT/railyard" java-home)"
export JAVA_HOME
CP_FILE="$(mktemp)"
trap 'rm -f "$CP_FILE"' EXIT
(cd "$ROOT" && ./mvnw -q -B -pl bench -am -DskipTests package dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null)
exec "$JAVA_HOME/bin/java" -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED \
  -cp "$ROOT/bench/target/classes:$(cat "$CP_FILE")" io.railyard.bench.http.ClientComparison "$@"
