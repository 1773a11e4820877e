#!/usr/bin/env bash
# What a railyard command costs as a user pays it -- the launcher, the JVM and every process it
# starts, start-up included -- measured from outside with GNU time, CPython's peer beside it in the
# same run, REPS interleaved repetitions (railyard, peer, railyard, peer, ...), medians, and each
# figure's ratio against its target (docs/startup.md lists the targets and why).
#
#   bench/scripts/footprint.sh                       # every section but compare, 3 repetitions
#   bench/scripts/footprint.sh --reps 5 --only start,io,cpu
#   bench/scripts/footprint.sh --with-compare        # adds compare's peak-memory row (minutes)
#   bench/scripts/footprint.sh --railyard /path/to/another/checkout   # measure that one's launcher
#
# Sections: start (--version, run --help), io (cold and warm, against io_asyncio.py), connections
# (10,000 held on loop and virtual), crawl (the 5,000-page generated site and a 2,000-page static
# site served by nginx, against crawl_asyncio.py), cpu (run cpu's whole command against its trial),
# compare (the peak-memory row). Needs: bash, python3 (3.8+), GNU time (/usr/bin/time) and, for the
# static site, nginx: both are installed with apt-get when missing and this runs as root; otherwise
# it says what to install (exit 2). The machine should be quiet: every figure is also printed as
# its runs, so a noisy one shows. Exit 1 after the table when a run's tasks failed (its figures
# are not the work's).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RY="$ROOT"; REPS=3; ONLY="start,io,connections,crawl,cpu"
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) REPS="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    --with-compare) ONLY="$ONLY,compare"; shift ;;
    --railyard) RY="$(cd "$2" && pwd)"; shift 2 ;;
    -h|--help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "footprint: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ $REPS =~ ^[1-9][0-9]*$ ]] || { echo "footprint: --reps must be a positive number, was '$REPS'" >&2; exit 2; }
want() { [[ ",$ONLY," == *",$1,"* ]]; }

need_pkg() { # command, package
  command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "footprint: installing $2..." >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
  else
    echo "footprint: needs $1: install the package '$2' (e.g. apt-get install $2)" >&2; exit 2
  fi
}
command -v python3 >/dev/null || { echo "footprint: needs python3 on the PATH" >&2; exit 2; }
# the interpreter itself: a version manager's shim (pyenv's is a shell script) would be timed with it
PYTHON="$(python3 -c 'import sys; print(sys.executable)')"
[ -x /usr/bin/time ] && /usr/bin/time -f %e true 2>/dev/null || need_pkg /usr/bin/time time
TIME=/usr/bin/time
if want crawl; then need_pkg nginx nginx-light; fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

PY="$ROOT/bench/src/main/resources/io/railyard/bench/python"
RAILYARD="$RY/railyard"
"$RAILYARD" --version >/dev/null # builds that checkout when its sources are newer than its jars
JAVA="$("$RAILYARD" java-home)/bin/java"
OUT="$(mktemp -d)"; chmod 755 "$OUT"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$OUT"; }
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# one whole command, timed from outside: appends "wall cpu peak_kib exit" to $OUT/<label>.m
measure() {
  local label="$1"; shift
  local rc=0
  "$TIME" -f '%e %U %S %M' -o "$OUT/time" "$@" >"$OUT/$label.out" 2>"$OUT/$label.err" || rc=$?
  read -r wall user sys kib <"$OUT/time" || true
  echo "$wall $(python3 -c "print(round($user + $sys, 3))") $kib $rc" >>"$OUT/$label.m"
  if [ "$rc" != 0 ]; then echo "footprint: '$*' exited $rc:" >&2; tail -3 "$OUT/$label.err" >&2; fi
}
json_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

start_server() { # name, args...: a latency server in a JVM of its own, warmed up; sets PORT_<name>
  local name="$1"; shift
  "$JAVA" -XX:+UseSerialGC -Xmx512m --enable-native-access=ALL-UNNAMED -jar "$RY/cli/target/railyard.jar" \
    serve --port 0 --parent-pid $$ "$@" >"$OUT/server-$name.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 1200); do grep -q '^railyard serve:' "$OUT/server-$name.log" && break; sleep 0.1; done
  local port; port="$(sed -n 's|^railyard serve: http://[^ ]*:\([0-9]*\) .*|\1|p' "$OUT/server-$name.log")"
  [ -n "$port" ] || { cat "$OUT/server-$name.log" >&2; echo "footprint: the $name server did not start" >&2; exit 1; }
  printf -v "PORT_$name" '%s' "$port"
}

echo "footprint: $("$JAVA" -version 2>&1 | head -n1), $(python3 --version), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $REPS repetitions, interleaved" >&2

if want io || want connections; then start_server io --echo-port -1 --warmup-requests 30000; fi
if want crawl; then
  start_server site --echo-port -1 --pages 5000 --latency-ms 100 --warmup-requests 3000
  # the static site: 2,000 pages of text and links, written here and served by nginx
  python3 - "$OUT/static" <<'PYSITE'
import os, random, sys
root = sys.argv[1]; os.makedirs(root + "/p", exist_ok=True)
rnd = random.Random(7); n = 2000
words = "the loop runs every task on one thread cooperatively while the operations wait the kernel answers".split()
def text(k): return " ".join(rnd.choice(words) for _ in range(k))
for i in range(n):
    links = sorted({rnd.randrange(n) for _ in range(12)} | {(i + 1) % n, i // 2})
    body = "".join(f"<p>{text(60)}</p>\n" for _ in range(6))
    nav = "".join(f'<li><a href="/p/{j}.html">page {j}</a></li>\n' for j in links)
    with open(f"{root}/p/{i}.html", "w") as f:
        f.write(f"<!doctype html><html><head><title>page {i}</title></head><body><h1>page {i}</h1>\n{body}<ul>\n{nav}</ul></body></html>\n")
with open(root + "/index.html", "w") as f:
    f.write('<!doctype html><html><body><a href="/p/0.html">start</a></body></html>\n')
PYSITE
  chmod -R a+rX "$OUT/static"
  SPORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  cat >"$OUT/nginx.conf" <<CONF
worker_processes 1; daemon off; pid $OUT/nginx.pid; error_log $OUT/nginx-error.log;
events { worker_connections 4096; }
http { access_log off; sendfile on; keepalive_requests 100000;
  server { listen 127.0.0.1:$SPORT; root $OUT/static; } }
CONF
  "$NGINX" -c "$OUT/nginx.conf" -p "$OUT" 2>"$OUT/nginx.err" & PIDS+=($!)
  for _ in $(seq 1 100); do python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$SPORT/index.html')" 2>/dev/null && break; sleep 0.1; done
fi

# Each command once, untimed: the launcher records its start-up cache on a command's first run
# after a build, and the first crawl of each site warms the servers' files and pages.
echo "footprint: one untimed run of each command (start-up caches, servers)..." >&2
want start && { "$RAILYARD" run --help >/dev/null; }
want io && "$RAILYARD" run io --model loop -n 2000 -c 200 --latency-ms 100 --url "http://127.0.0.1:$PORT_io/delay/100" >/dev/null 2>&1
# (a warm run has a start-up cache of its own)
want io && "$RAILYARD" run io --model loop -n 2000 -c 200 --latency-ms 100 --url "http://127.0.0.1:$PORT_io/delay/100" --warmup 1 >/dev/null 2>&1
want cpu && "$RAILYARD" run cpu -k 30 -m 4 >/dev/null 2>&1
if want crawl; then
  "$RAILYARD" crawl "http://127.0.0.1:$PORT_site/site/" --out "$OUT/warm.tsv" --overwrite -c 100 --per-host 100 --depth all --same-host >/dev/null 2>&1 || true
  "$RAILYARD" crawl "http://127.0.0.1:$SPORT/index.html" --out "$OUT/warm.tsv" --overwrite -c 100 --per-host 100 --depth all --same-host >/dev/null 2>&1 || true
fi

IO_URL="http://127.0.0.1:${PORT_io:-0}/delay/100"
for r in $(seq 1 "$REPS"); do
  echo "footprint: repetition $r/$REPS" >&2
  if want start; then
    measure version "$RAILYARD" --version
    measure run-help "$RAILYARD" run --help
    measure python-pass "$PYTHON" -c pass
  fi
  if want io; then
    measure io-cold "$RAILYARD" run io --model loop -n 30000 -c 1000 --latency-ms 100 --url "$IO_URL" --json
    measure io-cold-asyncio "$PYTHON" "$PY/io_asyncio.py" --url "$IO_URL" -n 30000 -c 1000
    cp "$OUT/io-cold.out" "$OUT/io-cold-$r.json"; cp "$OUT/io-cold-asyncio.out" "$OUT/io-cold-asyncio-$r.json"
    measure io-warm "$RAILYARD" run io --model loop -n 30000 -c 1000 --latency-ms 100 --url "$IO_URL" --json --warmup 1 --trials 3
    measure io-warm-asyncio "$PYTHON" "$PY/io_asyncio.py" --url "$IO_URL" -n 30000 -c 1000 --warmup 1 --trials 3
    cp "$OUT/io-warm.out" "$OUT/io-warm-$r.json"; cp "$OUT/io-warm-asyncio.out" "$OUT/io-warm-asyncio-$r.json"
  fi
  if want connections; then
    measure conn-loop "$RAILYARD" run connections --model loop -c 10000
    measure conn-virtual "$RAILYARD" run connections --model virtual -c 10000
  fi
  if want crawl; then
    for site in demo static; do
      if [ "$site" = demo ]; then url="http://127.0.0.1:$PORT_site/site/"; else url="http://127.0.0.1:$SPORT/index.html"; fi
      measure "crawl-$site" "$RAILYARD" crawl "$url" --out "$OUT/crawl-$site-out.tsv" --overwrite -c 100 --per-host 100 --depth all --same-host
      echo "$(grep -c '^#' "$OUT/crawl-$site-out.tsv" || true)" >>"$OUT/crawl-$site.pages"
      rm -f "$OUT/crawl-$site-py.tsv"
      measure "crawl-$site-asyncio" "$PYTHON" "$PY/crawl_asyncio.py" --url "$url" -c 100 --out "$OUT/crawl-$site-py.tsv" --same-host
      echo "$(grep -c '^#' "$OUT/crawl-$site-py.tsv" || true)" >>"$OUT/crawl-$site-asyncio.pages"
    done
  fi
  if want cpu; then
    measure cpu "$RAILYARD" run cpu -k 35 -m 40 -c 2 --json
    cp "$OUT/cpu.out" "$OUT/cpu-$r.json"
    measure cpu-processes "$RAILYARD" run cpu --model processes -k 35 -m 40 -c 2 --json
    cp "$OUT/cpu-processes.out" "$OUT/cpu-processes-$r.json"
  fi
done
if want compare; then
  echo "footprint: compare (minutes)..." >&2
  measure compare "$RAILYARD" compare --report "$OUT/compare"
fi

python3 - "$OUT" "$REPS" <<'PY'
import glob, json, os, statistics, sys
out, reps = sys.argv[1], int(sys.argv[2])
def rows(label):
    p = f"{out}/{label}.m"
    if not os.path.exists(p): return None
    r = [l.split() for l in open(p) if l.strip()]
    return {"wall": [float(x[0]) for x in r], "cpu": [float(x[1]) for x in r], "mib": [int(x[2]) / 1024 for x in r]}
def med(v): return statistics.median(v)
def runs(v, f="%.2f"): return " ".join(f % x for x in v)
def jsons(prefix): return [json.load(open(p)) for p in sorted(glob.glob(f"{out}/{prefix}-[0-9]*.json"))]
lines = []
def row(what, value, target, ratio, ok, detail):
    lines.append((what, value, target, ratio, "meets" if ok else "MISSES", detail))

v, h, p = rows("version"), rows("run-help"), rows("python-pass")
if v:
    for name, r in (("./railyard --version", v), ("./railyard run --help", h)):
        row(name + ": wall", f"{med(r['wall'])*1000:.0f} ms", "<= 150 ms", f"{med(r['wall'])/0.150:.2f}", med(r['wall']) <= 0.150, "runs " + runs(r['wall']))
        row(name + ": CPU", f"{med(r['cpu']):.3f} s", "<= 0.2 s", f"{med(r['cpu'])/0.2:.2f}", med(r['cpu']) <= 0.2, "runs " + runs(r['cpu'], "%.3f"))
    row("  (python3 -c pass, for scale)", f"{med(p['wall'])*1000:.0f} ms, {med(p['cpu']):.3f} s", "", "", True, "")
c, a = rows("io-cold"), rows("io-cold-asyncio")
if c:
    limit = 3.0
    row("cold io: whole command wall / limit", f"{med(c['wall']):.2f} s", "<= 1.2 x 3.0 s", f"{med(c['wall'])/limit:.2f}", med(c['wall']) <= 1.2 * limit, "runs " + runs(c['wall']) + f"; asyncio {med(a['wall']):.2f} s")
    ratio = med([x / y for x, y in zip(c['cpu'], a['cpu'])])
    row("cold io: CPU / asyncio's whole process", f"{med(c['cpu']):.2f} s vs {med(a['cpu']):.2f} s", "<= 0.8", f"{ratio:.2f}", ratio <= 0.8, "runs " + runs(c['cpu']) + " / " + runs(a['cpu']))
    ratio = med([x / y for x, y in zip(c['mib'], a['mib'])])
    row("cold io: peak RSS / asyncio's", f"{med(c['mib']):.0f} MiB vs {med(a['mib']):.0f} MiB", "<= 1.0", f"{ratio:.2f}", ratio <= 1.0, "runs " + runs(c['mib'], "%.0f") + " / " + runs(a['mib'], "%.0f"))
    j = jsons("io-cold")
    if j and "process_cpu_s" in j[0]:
        row("  (cold io: trial's CPU, JVM start to result)", f"{med([x['cpu_s'] for x in j]):.2f} s, {med([x['process_cpu_s'] for x in j]):.2f} s", "", "", True, "from railyard's JSON")
    w, wa = jsons("io-warm"), jsons("io-warm-asyncio")
    if w and wa:
        ratio = med([x["cpu_s"] / y["cpu_s"] for x, y in zip(w, wa)])
        row("warm io: trial CPU / asyncio's", f"{med([x['cpu_s'] for x in w]):.2f} s vs {med([y['cpu_s'] for y in wa]):.2f} s", "<= 0.5", f"{ratio:.2f}", ratio <= 0.5, "")
for model, cap in (("loop", 100), ("virtual", 150)):
    r = rows(f"conn-{model}")
    if r:
        row(f"run connections --model {model} -c 10000: peak RSS", f"{med(r['mib']):.0f} MiB", f"<= {cap} MB", f"{med(r['mib'])*1.048576/cap:.2f}", med(r['mib']) * 1.048576 <= cap, "runs " + runs(r['mib'], "%.0f"))
for site in ("demo", "static"):
    r, a = rows(f"crawl-{site}"), rows(f"crawl-{site}-asyncio")
    if r:
        pages = open(f"{out}/crawl-{site}.pages").read().split(); ppages = open(f"{out}/crawl-{site}-asyncio.pages").read().split()
        for fig, target in (("cpu", 1.0), ("mib", 2.0), ("wall", 1.0)):
            ratio = med([x / y for x, y in zip(r[fig], a[fig])])
            unit = {"cpu": "s", "mib": "MiB", "wall": "s"}[fig]
            row(f"crawl {site}: {fig if fig != 'mib' else 'peak RSS'} / asyncio's", f"{med(r[fig]):.2f} {unit} vs {med(a[fig]):.2f} {unit}", f"<= {target}", f"{ratio:.2f}", ratio <= target,
                f"pages {'/'.join(pages)} vs {'/'.join(ppages)}")
r = rows("cpu")
if r:
    j = jsons("cpu")
    ratio = med([w / x["wall_s"] for w, x in zip(r["wall"], j)])
    row("run cpu -k 35 -m 40 -c 2: whole / trial wall", f"{med(r['wall']):.2f} s vs {med([x['wall_s'] for x in j]):.2f} s", "<= 1.3", f"{ratio:.2f}", ratio <= 1.3, "calibration: " + j[-1]["params"].get("calibration", "?"))
    ratio = med([x["wall_s"] / x["limit_s"] for x in j])
    row("run cpu (threads): trial wall / limit", f"{med([x['wall_s'] for x in j]):.2f} s", "<= 1.1", f"{ratio:.2f}", ratio <= 1.1, "")
    jp = jsons("cpu-processes")
    if jp:
        row("  (run cpu --model processes: trial wall / limit)", f"{med([x['wall_s'] / x['limit_s'] for x in jp]):.2f}", "", "", True, f"whole {med(rows('cpu-processes')['wall']):.2f} s")
if os.path.exists(f"{out}/compare/results.json"):
    res = json.load(open(f"{out}/compare/results.json"))
    peak = next(x for x in res["table"]["rows"] if x["key"] == "peak_rss")["figures"]
    tc = next(w["table_c"] for w in res["workloads"] if w["name"] == "io")
    def val(m): f = peak.get(m) or {}; return f.get("value")
    if val("loop") and val("asyncio"):
        row("compare peak memory (io): loop / asyncio", f"{val('loop')/1048576:.0f} vs {val('asyncio')/1048576:.0f} MiB", "<= 3", f"{val('loop')/val('asyncio'):.2f}", val('loop') <= 3 * val('asyncio'), f"C={tc}")
    # per worker: the workers' own RSS (the row peak_rss_worker), not the tree over C, which also
    # holds the parent: compare's own JVM, where the processes cell runs
    pw = next((x["figures"] for x in res["table"]["rows"] if x["key"] == "peak_rss_worker"), {})
    def worker(m): f = pw.get(m) or {}; return f.get("value")
    if worker("processes"):
        per = worker("processes") / 1048576
        mp = f", multiprocessing {worker('multiprocessing')/1048576:.1f} MiB" if worker("multiprocessing") else ""
        row("compare peak memory (io): processes per worker", f"{per:.1f} MiB", "<= 40 MiB", f"{per/40:.2f}", per <= 40,
            f"C={tc}, workers' RSS without the parent{mp}; whole tree / C {val('processes')/tc/1048576:.1f} MiB")
    elif val("processes"):
        per = val("processes") / tc / 1048576
        row("compare peak memory (io): processes, whole tree / C", f"{per:.1f} MiB", "<= 40 MiB", f"{per/40:.2f}", per <= 40, f"C={tc}, compare's JVM included")
    else:  # the cell failed or was skipped: say why rather than leave the row out
        why = (pw.get("processes") or peak.get("processes") or {}).get("reason") or "no processes figure in results.json"
        row("compare peak memory (io): processes per worker", "none", "<= 40 MiB", "", False, why)
w = [max(len(x[i]) for x in lines) for i in range(5)]
print(f"{'what':{w[0]}}  {'median':{w[1]}}  {'target':{w[2]}}  {'ratio':>{max(5, w[3])}}  verdict  runs")
for x in lines:
    print(f"{x[0]:{w[0]}}  {x[1]:{w[1]}}  {x[2]:{w[2]}}  {x[3]:>{max(5, w[3])}}  {x[4] if x[2] else '':7}  {x[5]}")
print(f"(medians of {reps} interleaved runs; ratios against the target, or railyard / CPython pair by pair; whole processes from outside, GNU time)")
# a run whose tasks failed did less than the work: its time and memory are not the work's
failed = [f"{os.path.basename(p)} ({j['failed']} failed)" for p in sorted(glob.glob(f"{out}/*-[0-9]*.json"))
          for j in [json.load(open(p))] if isinstance(j, dict) and j.get("failed")]
if failed:
    print("WARNING: tasks failed in " + ", ".join(failed) + ": those runs' figures are not the work's")
    sys.exit(1)
PY
