#!/usr/bin/env bash
# The latency server's throughput beside nginx's, both serving a 1 KiB body on loopback, measured
# with wrk: is the server fast enough never to be a benchmark's bottleneck?
#
#   bench/scripts/server-vs-nginx.sh                 # 1 server thread vs 1 nginx worker, 10 s each
#   THREADS=2 DURATION=20s CONNECTIONS=1000 bench/scripts/server-vs-nginx.sh
#
# Installs wrk and nginx with apt-get when they are missing (needs root), builds railyard when
# needed, runs a warm-up then a timed wrk run against each server (bounded by DURATION), prints
# both throughputs and their ratio, and stops both servers (also on Ctrl-C or an error).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
THREADS="${THREADS:-1}"            # server event-loop threads = nginx worker processes
CONNECTIONS="${CONNECTIONS:-256}"  # wrk connections, all keep-alive
DURATION="${DURATION:-10s}"        # timed run per server
WARMUP="${WARMUP:-3s}"             # untimed run first (the JVM compiles its hot path)
WRK_THREADS="${WRK_THREADS:-1}"

need() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }
if ! need wrk || ! need nginx || ! need curl; then
  [ "$(id -u)" = 0 ] || { echo "server-vs-nginx: wrk and nginx are missing; run as root or 'apt-get install -y wrk nginx-light'" >&2; exit 2; }
  echo "installing wrk and nginx..." >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light curl >/dev/null
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

"$ROOT/railyard" build >/dev/null
JAVA="$("$ROOT/railyard" java-home)/bin/java"
JAR="$ROOT/cli/target/railyard.jar"

WORK="$(mktemp -d)"
chmod 755 "$WORK"   # nginx workers run as an unprivileged user and must read the body
SERVER_PID=""; NGINX_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# a free loopback port
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
  || echo $((20000 + RANDOM % 20000)); }

# --- nginx: the same 1 KiB body as a static file, keep-alive without a request limit
NGINX_PORT="$(free_port)"
mkdir -p "$WORK/www" "$WORK/nginx"
head -c 1024 /dev/zero | tr '\0' 'x' > "$WORK/www/1k"
cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes $THREADS;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 20000; }
http {
  access_log off;
  default_type text/plain;
  keepalive_requests 100000000;
  keepalive_timeout 300s;
  client_body_temp_path $WORK/nginx;
  proxy_temp_path $WORK/nginx;
  fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx;
  scgi_temp_path $WORK/nginx;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
  }
}
CONF
"$NGINX" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" &
NGINX_PID=$!

# --- railyard's latency server
"$JAVA" -XX:+UseSerialGC -XX:-UsePerfData --enable-native-access=ALL-UNNAMED -jar "$JAR" \
  serve --port 0 --echo-port -1 --threads "$THREADS" --parent-pid $$ >"$WORK/server.out" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do grep -q '^railyard serve:' "$WORK/server.out" && break; sleep 0.1; done
grep -q '^railyard serve:' "$WORK/server.out" || { echo "server-vs-nginx: the latency server did not start:" >&2; cat "$WORK/server.out" >&2; exit 1; }
SERVER_PORT="$(sed -n 's|^railyard serve: http://[^ ]*:\([0-9]*\) .*|\1|p' "$WORK/server.out")"
TRANSPORT="$(sed -n 's|^railyard serve: [^ ]* (\([a-z]*\),.*|\1|p' "$WORK/server.out")"
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$NGINX_PORT/1k" >/dev/null 2>&1 && break; sleep 0.1; done

# requests/s from one wrk run
measure() { # url duration
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$2" --timeout 10s "$1" | tee -a "$WORK/wrk.log" | awk '/^Requests\/sec:/ {print $2}'
}
check_body() { # url
  local n; n="$(curl -fs "$1" | wc -c)"; [ "$n" = 1024 ] || { echo "server-vs-nginx: $1 answered $n bytes, not 1024" >&2; exit 1; }
}
check_body "http://127.0.0.1:$SERVER_PORT/bytes/1024"
check_body "http://127.0.0.1:$NGINX_PORT/1k"

echo "wrk: $WRK_THREADS thread(s), $CONNECTIONS keep-alive connections, $DURATION per server after a $WARMUP warm-up; $(nproc) cores" >&2
measure "http://127.0.0.1:$SERVER_PORT/bytes/1024" "$WARMUP" >/dev/null
RAILYARD_RPS="$(measure "http://127.0.0.1:$SERVER_PORT/bytes/1024" "$DURATION")"
measure "http://127.0.0.1:$NGINX_PORT/1k" "$WARMUP" >/dev/null
NGINX_RPS="$(measure "http://127.0.0.1:$NGINX_PORT/1k" "$DURATION")"

printf 'railyard latency server (%s thread(s), %s): %12.0f requests/s\n' "$THREADS" "$TRANSPORT" "$RAILYARD_RPS"
printf 'nginx %-24s %12.0f requests/s\n' "($THREADS worker(s)):" "$NGINX_RPS"
awk -v a="$RAILYARD_RPS" -v b="$NGINX_RPS" 'BEGIN { printf "railyard / nginx: %.2f\n", a / b }'
