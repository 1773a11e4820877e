#!/usr/bin/env bash
# The io workload on the loop model side by side with CPython asyncio (io_asyncio.py, standard
# library only), against one latency server, cold and warm, REPS times each, interleaved:
#   cold  a fresh `railyard run io --model loop` command / a fresh python3 process, one trial
#   warm  the same work repeated in one process after a warm-up run (--warmup 1 --trials 3)
# asyncio runs in both of its shapes: `tasks` (one task per request under a semaphore, the shape
# of railyard's run) and `workers` (C coroutines looping, asyncio's leanest program).
# Prints medians of wall_s and cpu_s (over the trials) and the ratios the targets are stated in, and
# for the cold runs the CPU of the whole processes, start-up included.
#
#   bench/scripts/io-vs-asyncio.sh                 # N=30000 C=1000 L=100 REPS=3
#   bench/scripts/io-vs-asyncio.sh 30000 1000 100 5
set -euo pipefail
N="${1:-30000}"; C="${2:-1000}"; L="${3:-100}"; REPS="${4:-3}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PEER="$ROOT/bench/src/main/resources/io/railyard/bench/python/io_asyncio.py"
command -v python3 >/dev/null || { echo "io-vs-asyncio: needs python3 on PATH" >&2; exit 2; }
"$ROOT/railyard" build >/dev/null
JAVA_HOME="$("$ROOT/railyard" java-home)"
OUT="$(mktemp -d)"
trap 'kill "${SERVER_PID:-0}" 2>/dev/null || true; rm -rf "$OUT"' EXIT

# the server warms itself up (30,000 requests to itself) before it says where it listens
"$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx512m --enable-native-access=ALL-UNNAMED -jar "$ROOT/cli/target/railyard.jar" \
  serve --port 0 --echo-port -1 --warmup-requests 30000 --parent-pid $$ >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 600); do grep -q '^railyard serve:' "$OUT/server.log" && break; sleep 0.1; done
PORT="$(sed -n 's|^railyard serve: http://[^ ]*:\([0-9]*\) .*|\1|p' "$OUT/server.log")"
[ -n "$PORT" ] || { cat "$OUT/server.log" >&2; echo "io-vs-asyncio: the server did not start" >&2; exit 1; }
URL="http://127.0.0.1:$PORT/delay/$L"
echo "server: $URL (pid $SERVER_PID); N=$N C=$C L=${L}ms, $REPS repetitions" >&2

# railyard's JSON line gains process_cpu_s: user + system CPU of the whole command (JVM start-up
# included), as asyncio's peer reports its own, for the cold comparison of whole processes
railyard() {
  local TIMEFORMAT='%U %S'
  { time "$ROOT/railyard" run io --model loop -n "$N" -c "$C" --latency-ms "$L" --url "$URL" --json "$@" >"$OUT/run.json" 2>/dev/null; } 2>"$OUT/run.time"
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); u,s=open(sys.argv[2]).read().split(); r["process_cpu_s"]=float(u)+float(s); print(json.dumps(r))' "$OUT/run.json" "$OUT/run.time"
}
asyncio() { python3 "$PEER" --url "$URL" -n "$N" -c "$C" "$@"; }
for r in $(seq 1 "$REPS"); do
  echo "repetition $r/$REPS" >&2
  railyard                          >>"$OUT/loop-cold.jsonl"
  asyncio --shape tasks             >>"$OUT/tasks-cold.jsonl"
  asyncio --shape workers           >>"$OUT/workers-cold.jsonl"
  railyard --warmup 1 --trials 3    >>"$OUT/loop-warm.jsonl"
  asyncio --shape tasks --warmup 1 --trials 3   >>"$OUT/tasks-warm.jsonl"
  asyncio --shape workers --warmup 1 --trials 3 >>"$OUT/workers-warm.jsonl"
done

python3 - "$OUT" "$N" "$C" "$L" <<'PY'
import json, math, statistics, sys
out, n, c, l = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
limit = math.ceil(n / c) * l / 1000
def load(name):
    rows = [json.loads(line) for line in open(f"{out}/{name}.jsonl") if line.strip()]
    return (statistics.median(r["wall_s"] for r in rows), statistics.median(r["cpu_s"] for r in rows),
            " ".join(f"{r['wall_s']:.2f}/{r['cpu_s']:.2f}" for r in rows),
            statistics.median(r["process_cpu_s"] for r in rows))
print(f"io: N={n} C={c} L={l} ms, limit {limit:.3f} s; medians of each cell's runs")
print(f"{'':8} {'program':22} {'wall s':>8} {'wall/limit':>10} {'cpu s':>7} {'cpu / asyncio tasks':>20} {'cpu / asyncio workers':>22}   runs (wall/cpu)")
for temp in ("cold", "warm"):
    cells = {k: load(f"{k}-{temp}") for k in ("loop", "tasks", "workers")}
    for k, label in (("loop", "railyard loop"), ("tasks", "asyncio (tasks)"), ("workers", "asyncio (workers)")):
        wall, cpu, runs, _ = cells[k]
        print(f"{temp:8} {label:22} {wall:8.3f} {wall / limit:10.2f} {cpu:7.3f} "
              f"{cpu / cells['tasks'][1]:20.2f} {cpu / cells['workers'][1]:22.2f}   {runs}")
cold = {k: load(f"{k}-cold") for k in ("loop", "tasks", "workers")}
print("cold, whole processes (start-up included): CPU s " + ", ".join(
    f"{label} {cold[k][3]:.3f}" for k, label in (("loop", "railyard loop"), ("tasks", "asyncio tasks"), ("workers", "asyncio workers")))
    + f"; railyard / asyncio tasks {cold['loop'][3] / cold['tasks'][3]:.2f}, / asyncio workers {cold['loop'][3] / cold['workers'][3]:.2f}")
PY
