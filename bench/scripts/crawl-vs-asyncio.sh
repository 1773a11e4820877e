#!/usr/bin/env bash
# railyard crawl against a CPython asyncio crawler (standard library only) on the same generated site,
# side by side in one run: bench/scripts/crawl-vs-asyncio.sh [--pages 5000] [--latency-ms 100] [-c 500]
# [--model loop] [--trials 3] [--python python3]. The server runs in its own JVM; the Java crawler runs
# with the JVM flags and start-up cache of `./railyard crawl`; each output is checked against the site.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
"$ROOT/railyard" crawl --help >/dev/null   # builds the jar and records the start-up cache when stale
JAVA_HOME="$("$ROOT/railyard" java-home)"
JAVA_V="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JAVA_HOME/release" | head -n1)"
FLAGS=(-XX:+UseSerialGC -XX:-UsePerfData --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1)
CACHE="$ROOT/.railyard/railyard-jdk$JAVA_V-all.aot" # crawl uses the launcher's `all` cache
[ -f "$CACHE" ] && FLAGS+=(-XX:AOTCache="$CACHE" -Xlog:aot=off -Xlog:cds=off)
exec "$JAVA_HOME/bin/java" "${FLAGS[@]}" -cp "$ROOT/cli/target/railyard.jar" io.railyard.bench.crawl.CrawlBenchmark "$@"
