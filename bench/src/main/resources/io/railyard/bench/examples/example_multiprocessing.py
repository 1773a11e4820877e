"""The example job on CPython worker processes: memory is not shared, so each GET runs in a worker
and its result is pickled back over a pipe (IPC); the parent adds the results."""
import sys
import urllib.request
from multiprocessing import Pool


def fetch(url):
    with urllib.request.urlopen(url) as response:
        return len(response.read())


def run(url, n, c):
    total = 0
    with Pool(processes=c) as pool:
        for length in pool.imap_unordered(fetch, [url] * n):
            total += length
    return total


if __name__ == "__main__":
    print(run(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
