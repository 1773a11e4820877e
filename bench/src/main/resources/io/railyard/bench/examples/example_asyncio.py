"""The example job on CPython asyncio: a non-blocking GET per task (the standard library has no
asyncio HTTP client, so the request is written on a stream); one thread, so the total needs no lock."""
import asyncio
import sys
from urllib.parse import urlsplit


async def fetch(url):
    u = urlsplit(url)
    reader, writer = await asyncio.open_connection(u.hostname, u.port or 80)
    writer.write(f"GET {u.path or '/'} HTTP/1.0\r\nHost: {u.netloc}\r\n\r\n".encode())
    response = await reader.read()
    writer.close()
    await writer.wait_closed()
    return len(response.split(b"\r\n\r\n", 1)[1])


async def run(url, n, c):
    slots = asyncio.Semaphore(c)
    total = 0

    async def one():
        nonlocal total
        async with slots:
            length = await fetch(url)
        total += length
        return length

    await asyncio.gather(*(one() for _ in range(n)))
    return total


if __name__ == "__main__":
    print(asyncio.run(run(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))))
