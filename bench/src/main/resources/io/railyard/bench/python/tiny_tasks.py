"""CPython peer of railyard's ProcessesBenchmark: tiny tasks (return the input) through
concurrent.futures.ProcessPoolExecutor.map with a chunksize, the same work the Java side runs.

Standard library only. Prints one JSON object on stdout:
  {"python": "3.11.7", "workers": 2, "tasks": 200000, "chunk": 100, "startup_s": ..., "trials_s": [...],
   "median_s": ..., "tasks_per_s": ...}
startup_s is the time from creating the executor until every worker has answered once.
"""
import argparse
import json
import platform
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor


def identity(x):
    return x


def pid(_):
    import os
    time.sleep(0.05)  # keep each worker busy so that every worker answers one of these
    return os.getpid()


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--tasks", type=int, default=200_000)
    ap.add_argument("--chunk", type=int, default=100)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--trials", type=int, default=3)
    a = ap.parse_args()
    if a.tasks < 1 or a.chunk < 1 or a.workers < 1 or a.trials < 1:
        print("tiny_tasks.py: --tasks, --chunk, --workers and --trials must be >= 1", file=sys.stderr)
        sys.exit(2)

    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=a.workers) as ex:
        pids = set(ex.map(pid, range(a.workers * 2)))
        startup = time.perf_counter() - t0 - 0.05 * 2  # minus the sleeps: two rounds of 50 ms
        list(ex.map(identity, range(min(a.tasks, 20_000)), chunksize=a.chunk))  # warm-up
        trials = []
        for _ in range(a.trials):
            s = time.perf_counter()
            out = list(ex.map(identity, range(a.tasks), chunksize=a.chunk))
            trials.append(time.perf_counter() - s)
            if len(out) != a.tasks or out[-1] != a.tasks - 1:
                print("tiny_tasks.py: wrong results", file=sys.stderr)
                sys.exit(1)
    median = statistics.median(trials)
    print(json.dumps({
        "python": platform.python_version(), "workers": a.workers, "worker_pids": len(pids), "tasks": a.tasks,
        "chunk": a.chunk, "startup_s": round(startup, 4), "trials_s": [round(t, 4) for t in trials],
        "median_s": round(median, 4), "tasks_per_s": round(a.tasks / median, 1)}))


if __name__ == "__main__":
    main()
