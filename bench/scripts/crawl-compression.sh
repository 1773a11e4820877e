#!/usr/bin/env bash
# What content decoding costs the crawler in CPU on loopback: the generated site served identity,
# gzip, deflate and br (br needs the `brotli` command: apt-get install brotli), each by a server in
# another JVM, crawled on the loop model in one JVM; rounds interleaved, medians of the crawler's
# process CPU. Usage: bench/scripts/crawl-compression.sh [PAGES=2000] [ROUNDS=5]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
"$ROOT/railyard" crawl --help >/dev/null   # builds the jar when stale
JAVA_HOME="$("$ROOT/railyard" java-home)"
exec "$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED -cp "$ROOT/cli/target/railyard.jar" io.railyard.bench.crawl.CompressionCost "$@"
