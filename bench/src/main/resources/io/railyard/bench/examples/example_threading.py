"""The example job on CPython threads: a blocking GET per task; the shared total needs a lock."""
import sys
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor


def run(url, n, c):
    lock = threading.Lock()
    total = 0

    def fetch():
        nonlocal total
        with urllib.request.urlopen(url) as response:
            length = len(response.read())
        with lock:
            total += length
        return length

    with ThreadPoolExecutor(max_workers=c) as pool:
        tasks = [pool.submit(fetch) for _ in range(n)]
        for t in tasks:
            t.result()
    return total


if __name__ == "__main__":
    print(run(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
