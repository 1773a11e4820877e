"""CPython asyncio peer of railyard's `io` workload: N GET requests, at most C in flight.

Standard library only (aiohttp is not assumed): raw asyncio streams and keep-alive HTTP/1.1
connections. Two shapes of the same work:

  --shape tasks    (default) one task per request, at most C inside an asyncio.Semaphore, each
                   taking a kept-alive connection from an idle list: the structure of railyard's
                   `run io` (N tasks, a pool of C) and of the usual asyncio program (gather + semaphore)
  --shape workers  C coroutines, each with its own connection, looping over a shared counter: no
                   task per request, the leanest program asyncio allows for this work

    python3 io_asyncio.py --url http://127.0.0.1:8080/delay/100 -n 30000 -c 1000 [--shape S] [--warmup W] [--trials T]

Prints one JSON object on stdout. cpu_s is the process's own CPU (user + system) over the counted
trials; process_cpu_s adds interpreter start-up and warm-up, for a cold comparison with a whole
JVM process. wall_s is the median over the trials. Exit code 2 on bad arguments.
"""
import argparse
import asyncio
import json
import resource
import sys
import time
from urllib.parse import urlsplit


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


async def read_response(reader):
    """Reads one response; returns (status, body length). Content-Length, chunked or close-delimited."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length = None
    chunked = False
    close = False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
        elif name == b"connection" and b"close" in value.lower():
            close = True
    if chunked:
        total = 0
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                while (await reader.readuntil(b"\r\n")) != b"\r\n":
                    pass
                break
            total += len(await reader.readexactly(size + 2)) - 2
        return status, total, close
    if length is not None:
        await reader.readexactly(length)
        return status, length, close
    body = await reader.read()
    return status, len(body), True


async def run_tasks(host, port, request, n, c):
    semaphore = asyncio.Semaphore(c)
    idle = []  # kept-alive (reader, writer) pairs; at most C are ever in use
    ok = failed = 0

    async def one():
        nonlocal ok, failed
        async with semaphore:
            conn = idle.pop() if idle else None
            try:
                if conn is None:
                    conn = await asyncio.open_connection(host, port)
                reader, writer = conn
                writer.write(request)
                status, _, close = await read_response(reader)
                if 200 <= status < 300:
                    ok += 1
                else:
                    failed += 1
                if close:
                    writer.close()
                else:
                    idle.append(conn)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                failed += 1
                if conn is not None:
                    conn[1].close()

    await asyncio.gather(*(one() for _ in range(n)))
    for _, writer in idle:
        writer.close()
    return ok, failed


async def run_workers(host, port, request, n, c):
    counter = iter(range(n))
    ok = failed = 0

    async def worker():
        nonlocal ok, failed
        reader = writer = None
        for _ in counter:
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(host, port)
                writer.write(request)
                status, _, close = await read_response(reader)
                if 200 <= status < 300:
                    ok += 1
                else:
                    failed += 1
                if close:
                    writer.close()
                    writer = None
            except (OSError, asyncio.IncompleteReadError, ValueError):
                failed += 1
                if writer is not None:
                    writer.close()
                writer = None
        if writer is not None:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(min(c, n))))
    return ok, failed


def main():
    p = argparse.ArgumentParser(description="asyncio peer of railyard's io workload")
    p.add_argument("--url", required=True)
    p.add_argument("-n", type=int, default=30000)
    p.add_argument("-c", type=int, default=1000)
    p.add_argument("--warmup", type=int, default=0)
    p.add_argument("--trials", type=int, default=1)
    p.add_argument("--shape", choices=["tasks", "workers"], default="tasks")
    a = p.parse_args()
    u = urlsplit(a.url)
    if u.scheme != "http" or not u.hostname:
        print(f"io_asyncio: --url {a.url} is not an http:// URL: give e.g. http://127.0.0.1:8080/delay/100", file=sys.stderr)
        sys.exit(2)
    if a.n < 1 or a.c < 1 or a.trials < 1 or a.warmup < 0:
        print("io_asyncio: -n, -c and --trials must be >= 1, --warmup >= 0", file=sys.stderr)
        sys.exit(2)
    port = u.port or 80
    target = (u.path or "/") + (("?" + u.query) if u.query else "")
    host_header = u.hostname + ("" if port == 80 else f":{port}")
    request = f"GET {target} HTTP/1.1\r\nHost: {host_header}\r\n\r\n".encode("latin-1")

    trials = []
    for i in range(a.warmup + a.trials):
        cpu0, t0 = cpu_seconds(), time.perf_counter()
        shape = run_tasks if a.shape == "tasks" else run_workers
        ok, failed = asyncio.run(shape(u.hostname, port, request, a.n, a.c))
        wall, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
        if i >= a.warmup:
            trials.append({"wall_s": wall, "cpu_s": cpu, "ok": ok, "failed": failed})
    med = lambda k: sorted(t[k] for t in trials)[len(trials) // 2]
    print(json.dumps({
        "work": "io", "model": "asyncio", "shape": a.shape, "n": a.n, "c": a.c, "url": a.url,
        "wall_s": med("wall_s"), "cpu_s": med("cpu_s"), "process_cpu_s": cpu_seconds(),
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "ok": med("ok"), "failed": med("failed"),
        "temperature": "cold" if a.warmup == 0 and a.trials == 1 else "warm", "warmup": a.warmup,
        "python": sys.version.split()[0], "trials": trials,
    }))


if __name__ == "__main__":
    main()
