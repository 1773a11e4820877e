"""CPython's three concurrency models on railyard's compare workloads (standard library only).

Run by railyard compare, one process per trial, so that the Java side measures this process tree's
CPU and memory with the same probes it uses for Java:

    python3 compare_models.py --model threading|asyncio|multiprocessing --work cpu|tiny|io|connections|await|block|offload|hog|counter --c C ...

Protocol on stdin/stdout, one JSON object per line:
    -> {"event": "ready"}             imports done, limit calibrated; waiting for a line on stdin
    <- go
    -> {"event": "result", ...}       the trial's figures and one record per task; "figures": what a
                                      test measured besides its records (the counter's lost updates)
    <- (stdin closed)                 the Java side has taken its last sample; exit
On a failure: {"event": "error", "message": "..."} and exit status 1.

Times are time.monotonic_ns() (CLOCK_MONOTONIC, the clock of Java's System.nanoTime), reported
relative to the trial's start. A task's start is stamped where its code begins: in the thread that
runs it, or in the worker process (multiprocessing), whose clock is the same CLOCK_MONOTONIC on one
Linux machine; that is checked once the pool is open, by a round trip to a worker that must answer
with a reading inside it. Submit-to-start is submit to that stamp.
"""
import argparse
import asyncio
import concurrent.futures
import http.client
import json
import math
import multiprocessing
import os
import socket
import sys
import threading
import time

MODELS = ("threading", "asyncio", "multiprocessing")


def fib(k):
    return k if k < 2 else fib(k - 1) + fib(k - 2)


# ---- the task bodies: each returns (ok, start_ns, end_ns, cpu_ns, worker_key) -----------------

def cpu_task(k, expected, clock):
    start, c0 = time.monotonic_ns(), clock()
    ok = fib(k) == expected
    return ok, start, time.monotonic_ns(), clock() - c0, worker_key()


def tiny_task(i, clock):
    start, c0 = time.monotonic_ns(), clock()
    ok = (i + 0) == i
    return ok, start, time.monotonic_ns(), clock() - c0, worker_key()


_local = threading.local()


def http_get(host, port, path):
    """One GET on this thread's (or process's) keep-alive connection; True on a 200 with its body read."""
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        return resp.status == 200
    except (OSError, http.client.HTTPException):
        conn.close()
        _local.conn = None
        return False


def io_task(host, port, path, clock):
    start, c0 = time.monotonic_ns(), clock()
    ok = http_get(host, port, path)
    return ok, start, time.monotonic_ns(), clock() - c0, worker_key()


def hold_task(port, i, rounds, pause_ms, hold_timeout_s, clock):
    """Holds one echo connection: ROUNDS lines written and read back, a pause after each. The server
    echoes nothing until all C connections are open, so a model that cannot hold C times out."""
    start, c0 = time.monotonic_ns(), clock()
    ok = True
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=hold_timeout_s) as s:
            line = ("conn-%d\n" % i).encode()
            f = s.makefile("rb")
            for _ in range(rounds):
                s.sendall(line)
                ok = ok and f.readline() == line
                time.sleep(pause_ms / 1000.0)
    except OSError:
        ok = False
    return ok, start, time.monotonic_ns(), clock() - c0, worker_key()


async def asyncio_hold(port, i, rounds, pause_ms, hold_timeout_s):
    """hold_task without blocking: one coroutine per connection."""
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), hold_timeout_s)
    except (OSError, asyncio.TimeoutError):
        return False
    ok = True
    try:
        line = ("conn-%d\n" % i).encode()
        for _ in range(rounds):
            writer.write(line)
            ok = ok and await asyncio.wait_for(reader.readline(), hold_timeout_s) == line
            await asyncio.sleep(pause_ms / 1000.0)
    except (OSError, asyncio.TimeoutError):
        ok = False
    finally:
        writer.close()
    return ok


def sleep_task(latency_ms, clock):
    """The block work's task: one blocking call (time.sleep). On asyncio it runs inside the coroutine and holds the loop."""
    start, c0 = time.monotonic_ns(), clock()
    time.sleep(latency_ms / 1000.0)
    return True, start, time.monotonic_ns(), clock() - c0, worker_key()


WAIT_WORKS = ("await", "block", "offload")


class LagProbe:
    """The loop's lag, as railyard's loop measures its own: a timer every 25 ms, and how late it runs."""

    def __init__(self, interval_s=0.025):
        self.interval_s = interval_s
        self.lags = []
        self.task = None
        self.due = None

    async def run(self):
        while True:
            self.due = time.monotonic() + self.interval_s
            await asyncio.sleep(self.interval_s)
            self.lags.append(max(0.0, time.monotonic() - self.due))
            self.due = None

    def stop(self):
        """Ends the probe; a tick overdue now (the loop was held until this moment) counts with its lateness so far."""
        self.task.cancel()
        if self.due is not None and time.monotonic() > self.due:
            self.lags.append(time.monotonic() - self.due)

    def figures(self):
        lags = sorted(self.lags)
        if not lags:
            return {"loop_lag_p50_ms": 0.0, "loop_lag_p99_ms": 0.0, "loop_lag_max_ms": 0.0, "loop_lag_samples": 0}

        def rank(p):
            return lags[max(0, math.ceil(p / 100.0 * len(lags)) - 1)] * 1000.0
        return {"loop_lag_p50_ms": rank(50), "loop_lag_p99_ms": rank(99), "loop_lag_max_ms": lags[-1] * 1000.0,
                "loop_lag_samples": len(lags)}


def worker_key():
    return "%d/%d" % (os.getpid(), threading.get_ident())


# ---- running a workload on a model -----------------------------------------------------------

class Recorder:
    """Per-task records, appended from the thread that learns the outcome (guarded by a lock)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rows = []
        self.workers = {}

    def add(self, submit, result):
        ok, start, end, cpu, key = result
        with self.lock:
            w = self.workers.setdefault(key, len(self.workers))
            self.rows.append((submit, start, end, w, cpu, bool(ok)))

    def failed(self, submit):
        with self.lock:
            self.rows.append((submit, -1, time.monotonic_ns(), -1, -1, False))


def task_calls(args):
    """The tasks of the work as (function, args-without-clock) pairs."""
    if args.work == "cpu":
        expected = fib(args.k)
        return [(cpu_task, (args.k, expected)) for _ in range(args.m)]
    if args.work == "tiny":
        return [(tiny_task, (i,)) for i in range(args.n)]
    if args.work == "io":
        return [(io_task, (args.host, args.port, args.path)) for _ in range(args.n)]
    if args.work in WAIT_WORKS:
        return [(sleep_task, (args.latency_ms,)) for _ in range(args.n)]
    if args.work == "connections":
        return [(hold_task, (args.echo_port, i, args.rounds, args.pause_ms, args.hold_timeout_s)) for i in range(args.n)]
    raise SystemExit("unknown work " + args.work)


def run_threading(args, calls, rec, settle=0.0):
    """settle: how long an entry (None, None) of calls pauses the submitting (the hog test)."""
    t0 = time.monotonic_ns()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=args.c)
    opened = time.monotonic_ns()
    slots = threading.Semaphore(args.c) if args.work == "tiny" else None
    futures = []
    for fn, a in calls:
        if fn is None:
            time.sleep(settle)
            continue
        if slots:
            slots.acquire()
        submit = time.monotonic_ns()
        f = pool.submit(fn, *a, time.thread_time_ns)

        def done(f, submit=submit):
            if f.exception() is None:
                rec.add(submit, f.result())
            else:
                rec.failed(submit)
            if slots:
                slots.release()
        f.add_done_callback(done)
        futures.append(f)
    concurrent.futures.wait(futures)
    pool.shutdown(wait=True)
    return t0, opened


def run_multiprocessing(args, calls, rec, settle=0.0):
    """settle: how long an entry (None, None) of calls pauses the submitting (the hog test)."""
    t0 = time.monotonic_ns()
    pool = multiprocessing.Pool(args.c)
    # the pool is open when a worker answers; its answer checks that workers read this clock
    sent = time.monotonic_ns()
    reading = pool.apply(time.monotonic_ns)
    opened = time.monotonic_ns()
    if not sent <= reading <= opened:
        raise RuntimeError("a worker's time.monotonic_ns() is outside the round trip [%d, %d]: %d; its stamps cannot be compared"
                           % (sent, opened, reading))
    slots = threading.Semaphore(args.c) if args.work == "tiny" else None
    pending = []
    for fn, a in calls:
        if fn is None:
            time.sleep(settle)
            continue
        if slots:
            slots.acquire()
        submit = time.monotonic_ns()

        def ok(result, submit=submit):
            rec.add(submit, result)
            if slots:
                slots.release()

        def err(e, submit=submit):
            rec.failed(submit)
            if slots:
                slots.release()
        pending.append(pool.apply_async(fn, a + (time.process_time_ns,), callback=ok, error_callback=err))
    for p in pending:
        p.wait()
    pool.close()
    pool.join()
    return t0, opened


async def asyncio_http_get(conns, host, port, path):
    """One GET on a keep-alive connection taken from (and given back to) the free list."""
    reader, writer = conns.pop() if conns else await asyncio.open_connection(host, port)
    try:
        writer.write(("GET %s HTTP/1.1\r\nHost: %s:%d\r\n\r\n" % (path, host, port)).encode())
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        length = 0
        for line in lines[1:]:
            if line.lower().startswith("content-length:"):
                length = int(line.split(":", 1)[1])
        await reader.readexactly(length)
        conns.append((reader, writer))
        return status == 200
    except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
        writer.close()
        return False


def run_asyncio(args, calls, rec):
    async def main():
        t0 = time.monotonic_ns()
        slots = asyncio.Semaphore(args.c)
        conns = []
        opened = time.monotonic_ns()
        if args.work in WAIT_WORKS:
            args.lag_probe = LagProbe()
            args.lag_probe.task = asyncio.ensure_future(args.lag_probe.run())

        async def one(fn, a, submit):
            async with slots:
                if args.work in ("await", "offload"):
                    start, c0 = time.monotonic_ns(), time.thread_time_ns()
                    if args.work == "await":
                        await asyncio.sleep(args.latency_ms / 1000.0)
                    else:
                        await asyncio.to_thread(time.sleep, args.latency_ms / 1000.0)
                    return True, start, time.monotonic_ns(), time.thread_time_ns() - c0, worker_key()
                if fn is io_task or fn is hold_task:
                    start, c0 = time.monotonic_ns(), time.thread_time_ns()
                    ok = await (asyncio_http_get(conns, *a) if fn is io_task else asyncio_hold(*a))
                    return ok, start, time.monotonic_ns(), time.thread_time_ns() - c0, worker_key()
                return fn(*a, time.thread_time_ns)

        tasks = []
        for fn, a in calls:
            if args.work == "tiny":
                await slots.acquire()  # closed loop: at most C submitted and unfinished
                slots.release()
            submit = time.monotonic_ns()
            t = asyncio.ensure_future(one(fn, a, submit))
            t.add_done_callback(lambda t, submit=submit: rec.add(submit, t.result()) if not t.exception() else rec.failed(submit))
            tasks.append(t)
            if args.work == "tiny":
                await asyncio.sleep(0)
        await asyncio.gather(*tasks, return_exceptions=True)
        if getattr(args, "lag_probe", None):
            args.lag_probe.stop()
        for _, w in conns:
            w.close()
        return t0, opened
    return asyncio.run(main())


# ---- who switches (hog) and what coordinates shared state (counter) ------------------------------

def hog_task(ms, clock):
    """Computes for ms milliseconds without yielding: no sleep, no IO, no await."""
    start, c0 = time.monotonic_ns(), clock()
    end, x = start + ms * 1_000_000, 1
    while time.monotonic_ns() < end:
        for i in range(100):
            x = (x * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
    return True, start, time.monotonic_ns(), clock() - c0, worker_key()


def run_hog(args, rec):
    """args.hogs hogs, then (once they have begun) args.short_tasks short tasks, submitted from this
    thread; on asyncio the submitting thread is another one than the loop's, as the JVM's harness is
    for railyard's loop: a loop held by a hog cannot submit anything itself."""
    hog, short = (hog_task, (args.hog_ms,)), (tiny_task, (0,))
    settle = max(1, args.hog_ms // 10) / 1000.0
    if args.model == "asyncio":
        async def main():
            t0 = time.monotonic_ns()
            loop = asyncio.get_running_loop()
            done = asyncio.Event()
            left = [args.hogs + args.short_tasks]

            def start(fn, a, submit):
                async def one():
                    return fn(*a, time.thread_time_ns)

                def finished(t):
                    if t.exception() is None:
                        rec.add(submit, t.result())
                    else:
                        rec.failed(submit)
                    left[0] -= 1
                    if not left[0]:
                        done.set()
                asyncio.ensure_future(one()).add_done_callback(finished)

            def submitter():
                for i in range(args.hogs + args.short_tasks):
                    if i == args.hogs:
                        time.sleep(settle)
                    fn, a = hog if i < args.hogs else short
                    submit = time.monotonic_ns()
                    loop.call_soon_threadsafe(start, fn, a, submit)
            opened = time.monotonic_ns()
            th = threading.Thread(target=submitter)
            th.start()
            await done.wait()
            th.join()
            return t0, opened
        return asyncio.run(main()) + ({},)
    calls = [hog] * args.hogs + [(None, None)] + [short] * args.short_tasks
    run = run_threading if args.model == "threading" else run_multiprocessing
    return run(args, calls, rec, settle) + ({},)


COUNT = 0
COUNT_LOCK = threading.Lock()
_sink = [0]


def count_work(v):
    """A little work with the value read, between the read and the write: a call, where CPython may switch threads."""
    x = v
    for i in range(2):
        x = (x * 2654435761 + i) & 0xFFFFFFFF
    if x == 42:
        _sink[0] = x
    return v


def count_task(times, mode, clock):
    """times increments: 'none' read-work-write on the global counter, 'lock' the same under a
    threading.Lock, 'ipc' in a local variable returned to the caller (the global of the process it
    ran in is never touched). Returns the usual record and the task's own count."""
    global COUNT
    start, c0 = time.monotonic_ns(), clock()
    mine = 0
    if mode == "none":
        for _ in range(times):
            x = COUNT
            count_work(x)
            COUNT = x + 1
    elif mode == "lock":
        for _ in range(times):
            with COUNT_LOCK:
                x = COUNT
                count_work(x)
                COUNT = x + 1
    else:
        for _ in range(times):
            x = mine
            count_work(x)
            mine = x + 1
    return (True, start, time.monotonic_ns(), clock() - c0, worker_key()), (mine if mode == "ipc" else times)


def run_counter(args, rec):
    """Two passes of args.increments increments by C tasks on one pool: without coordination, then
    with the model's coordinator (threading: a lock; multiprocessing: IPC, the counts returned and
    summed; asyncio: none, the same plain code on one thread)."""
    global COUNT
    coordinator = {"threading": "lock", "multiprocessing": "ipc", "asyncio": "none"}[args.model]
    shares = [args.increments // args.c + (1 if i < args.increments % args.c else 0) for i in range(args.c)]
    t0 = time.monotonic_ns()
    seen = {}

    def record(submit, result, mode):
        r, count = result
        rec.add(submit, r)
        seen.setdefault(mode, []).append(count)  # the coordinated pass's counts are read when it is "ipc"

    if args.model == "asyncio":
        async def main():
            opened = time.monotonic_ns()
            for first, mode in ((True, "none"), (False, coordinator)):
                tasks = []
                for share in shares:
                    submit = time.monotonic_ns()

                    async def one(share=share, mode=mode):
                        return count_task(share, mode, time.thread_time_ns)
                    t = asyncio.ensure_future(one())
                    t.add_done_callback(lambda t, submit=submit, mode=mode: record(submit, t.result(), mode))
                    tasks.append(t)
                await asyncio.gather(*tasks)
                if first:
                    lost.append(args.increments - COUNT)
                    reset_count()
            return opened
        lost = []
        opened = asyncio.run(main())
    else:
        if args.model == "threading":
            pool = concurrent.futures.ThreadPoolExecutor(max_workers=args.c)
        else:
            pool = multiprocessing.Pool(args.c)
            pool.apply(time.monotonic_ns)
        opened = time.monotonic_ns()
        lost = []
        for first, mode in ((True, "none"), (False, coordinator)):
            futures = []
            for share in shares:
                submit = time.monotonic_ns()
                if args.model == "threading":
                    futures.append((submit, pool.submit(count_task, share, mode, time.thread_time_ns)))
                else:
                    futures.append((submit, pool.apply_async(count_task, (share, mode, time.process_time_ns))))
            for submit, f in futures:
                record(submit, f.result() if args.model == "threading" else f.get(), mode)
            if first:
                lost.append(args.increments - COUNT)
                reset_count()
        if args.model == "threading":
            pool.shutdown(wait=True)
        else:
            pool.close()
            pool.join()
    total = sum(seen[coordinator]) if coordinator == "ipc" else COUNT
    figures = {"lost_plain": lost[0], "lost_coordinated": args.increments - total, "increments": args.increments}
    args.coordinator = coordinator
    return t0, opened, figures


def reset_count():
    global COUNT
    COUNT = 0


def calibrate(args, cores):
    """The physical limit of the work at concurrency C, in seconds (measured here, outside the trial)."""
    if args.work == "io":
        return math.ceil(args.n / args.c) * args.latency_ms / 1000.0
    if args.work == "connections":
        return args.rounds * args.pause_ms / 1000.0
    if args.work in WAIT_WORKS:
        return math.ceil(args.n / args.c) * args.latency_ms / 1000.0
    if args.work == "hog":
        return math.ceil(args.hogs / min(cores, args.c)) * args.hog_ms / 1000.0
    if args.work == "counter":
        return 0.0
    if args.work == "cpu":
        fib(min(args.k, 20))
        runs = []
        begin = time.perf_counter()
        while len(runs) < 3 or (time.perf_counter() - begin < args.calibrate_ms / 1000.0 and len(runs) < 20):
            t = time.perf_counter()
            fib(args.k)
            runs.append(time.perf_counter() - t)
        runs.sort()
        per_task = runs[len(runs) // 2]
        return args.m * per_task / min(cores, args.c)
    calls = max(1000, int(500 * args.calibrate_ms))  # about half the calibration time
    t = time.perf_counter()
    for i in range(calls):
        tiny_task(i, time.thread_time_ns)
    per_task = (time.perf_counter() - t) / calls
    return args.n * per_task / min(cores, args.c)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", choices=MODELS, required=True)
    p.add_argument("--work", choices=("cpu", "tiny", "io", "connections") + WAIT_WORKS + ("hog", "counter"), required=True)
    p.add_argument("--c", type=int, required=True)
    p.add_argument("--k", type=int, default=25)
    p.add_argument("--m", type=int, default=40)
    p.add_argument("--n", type=int, default=1000)
    p.add_argument("--url", default="")
    p.add_argument("--latency-ms", type=float, default=0)
    p.add_argument("--calibrate-ms", type=int, default=200, help="least time spent measuring the serial task time")
    p.add_argument("--echo-port", type=int, default=0)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--pause-ms", type=int, default=100)
    p.add_argument("--hold-timeout-s", type=int, default=20)
    p.add_argument("--hogs", type=int, default=1)
    p.add_argument("--hog-ms", type=int, default=200)
    p.add_argument("--short-tasks", type=int, default=16)
    p.add_argument("--increments", type=int, default=1_000_000)
    args = p.parse_args()
    if args.url:
        rest = args.url.split("://", 1)[1]
        hostport, _, path = rest.partition("/")
        args.host, _, port = hostport.partition(":")
        args.port = int(port or 80)
        args.path = "/" + path
    cores = os.cpu_count() or 1
    limit = calibrate(args, cores)
    seed_test = {"hog": run_hog, "counter": run_counter}.get(args.work)
    calls = task_calls(args) if seed_test is None else None
    if args.work == "cpu":
        args.n = args.m
    if seed_test is not None:
        args.n = args.hogs + args.short_tasks if args.work == "hog" else 2 * args.c
    if args.work in WAIT_WORKS and args.model not in ({"block": ("threading", "asyncio")}.get(args.work, ("asyncio",))):
        raise SystemExit("the %s work does not run on %s" % (args.work, args.model))
    print(json.dumps({"event": "ready"}), flush=True)
    if sys.stdin.readline().strip() != "go":
        return 0
    rec = Recorder()
    figures = {}
    if seed_test is not None:
        t0, opened, figures = seed_test(args, rec)
    else:
        run = {"threading": run_threading, "asyncio": run_asyncio, "multiprocessing": run_multiprocessing}[args.model]
        t0, opened = run(args, calls, rec)
    t1 = time.monotonic_ns()
    rows = sorted(rec.rows)
    ok = sum(1 for r in rows if r[5])
    cols = {name: [(r[i] - t0) if r[i] >= 0 else -1 for r in rows] for i, name in ((0, "submit"), (1, "start"), (2, "end"))}
    cols["worker"] = [r[3] for r in rows]
    cols["cpu"] = [r[4] for r in rows]
    keep = {"cpu": ("k", "m"), "tiny": ("n",), "io": ("n", "url", "latency_ms"),
            "connections": ("n", "rounds", "pause_ms", "hold_timeout_s"),
            "await": ("n", "latency_ms"), "block": ("n", "latency_ms"), "offload": ("n", "latency_ms"),
            "hog": ("hogs", "hog_ms", "short_tasks"), "counter": ("increments", "coordinator")}[args.work]
    params = {k: getattr(args, k) for k in keep}
    if args.work == "hog" and args.model == "threading":
        params["switch_interval_ms"] = sys.getswitchinterval() * 1000.0  # how often a running thread is asked to let the GIL go
    if args.work == "io":
        params["client"] = "asyncio streams (non-blocking)" if args.model == "asyncio" else "http.client (blocking)"
    if args.work in WAIT_WORKS:
        params["form"] = {"await": "asyncio.sleep (non-blocking)", "block": "time.sleep (blocking)",
                          "offload": "asyncio.to_thread(time.sleep)"}[args.work]
    if getattr(args, "lag_probe", None):
        params.update(args.lag_probe.figures())
    params["python"] = sys.version.split()[0]
    print(json.dumps({"event": "result", "model": args.model, "work": args.work, "n": args.n, "c": args.c,
                      "wall_s": (t1 - t0) / 1e9, "startup_s": (opened - t0) / 1e9, "limit_s": limit,
                      "ok": ok, "failed": args.n - ok, "params": params, "tasks_ns": cols, "figures": figures}), flush=True)
    sys.stdin.read()  # stay alive until the Java side has taken its last sample
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:  # one line for the Java side, which reports it in the cell
        print(json.dumps({"event": "error", "message": "%s: %s" % (type(e).__name__, e)}), flush=True)
        sys.exit(1)
