#!/usr/bin/env bash
# The speed-up of `railyard run cpu` on a cluster of 1, 2 and 3 member processes on this machine,
# against one thread and against the machine's bound. Every member is a real `railyard member`
# process on loopback; the run is a client (`--cluster`). On a machine of N cores no number of
# members can beat N: with 2 cores, 3 members share the same 2 cores.
#   cluster/scripts/speedup.sh            K=35 M=64 THREADS=2 PORT=5801 (environment overrides)
# Prints one row per run: threads with 1 and 2 threads and the embedded member for reference, then
# 1, 2 and 3 members: wall (median of 3 warm trials), speed-up over one thread, bound min(cores, C).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RY="$ROOT/railyard"
K="${K:-35}"; M="${M:-64}"; THREADS="${THREADS:-2}"; PORT="${PORT:-5801}"
NAME="railyard-speedup-$$"
LOGS="$(mktemp -d)"
PIDS=()

cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$LOGS"
}
trap cleanup EXIT

field() { # the first (top-level) value of a numeric JSON field
  grep -o "\"$1\":[-0-9.eE+]*" | head -n1 | cut -d: -f2
}

run_json() {
  timeout 900 "$RY" run cpu -k "$K" -m "$M" --warmup 1 --trials 3 --json "$@" 2>/dev/null
}

"$RY" --version >/dev/null # builds the jar and the start-up cache first, outside every measurement
cores="$(nproc)"
serial_json="$(run_json --model threads -c 1)"
serial="$(echo "$serial_json" | field wall_s)"
echo "fib($K) x $M on $cores cores, median of 3 warm trials; speed-up over one thread (${serial} s)"
echo "(wall includes opening the pool: starting the embedded member, or connecting to the members; 'work' leaves it out)"
printf "%-28s %3s %8s %8s %9s %9s %6s\n" run C wall_s open_s speed-up "on work" bound
row() { # label C json
  awk -v l="$1" -v c="$2" -v w="$(echo "$3" | field wall_s)" -v o="$(echo "$3" | field startup_s)" -v s="$serial" \
      -v b="$(( $2 < cores ? $2 : cores ))" \
    'BEGIN { printf "%-28s %3d %8.3f %8.3f %8.2fx %8.2fx %5dx\n", l, c, w, o, s / w, s / (w - o), b }'
}
row "threads" 1 "$serial_json"
row "threads" 2 "$(run_json --model threads -c 2)"
row "cluster, embedded member" 2 "$(run_json --model cluster -c 2)"

join=""
for n in 1 2 3; do
  port=$((PORT + n - 1))
  "$RY" member --port "$port" --threads "$THREADS" --cluster-name "$NAME" --allow 'io.railyard.bench.workload.*' ${join:+--join "$join"} >"$LOGS/member-$n.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 600); do grep -qs "ready:" "$LOGS/member-$n.log" && break; sleep 0.1; done
  grep -q "ready:" "$LOGS/member-$n.log" || { cat "$LOGS/member-$n.log"; echo "member $n did not start" >&2; exit 1; }
  join="127.0.0.1:$PORT"
  addresses="$(seq -s, -f "127.0.0.1:%g" "$PORT" "$port")"
  c=$((n * THREADS))
  json="$(run_json --cluster "$addresses" --model-option clusterName="$NAME" -c "$c")"
  failed="$(echo "$json" | field failed)"
  [ "$failed" = "0" ] || { echo "$json"; echo "the run on $n members failed $failed tasks" >&2; exit 1; }
  row "cluster, $n member process$([ "$n" -gt 1 ] && echo es)" "$c" "$json"
done
