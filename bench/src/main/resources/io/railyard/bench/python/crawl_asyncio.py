"""CPython asyncio peer of `railyard crawl`: the same crawl, standard library only.

asyncio streams for HTTP/1.1 (keep-alive, one connection per worker and origin), html.parser for
the links (<a href> and <area href>, resolved against <base href> when the page has one),
urllib.parse for resolution and normalisation (scheme and host lower case, default port dropped,
dot segments removed, fragment dropped), urllib.robotparser for robots.txt. C worker coroutines
take URLs from one asyncio.Queue (breadth-first order), each URL once. The output has railyard's
format (a page's 'source<TAB>link' lines, then its '#page' record), so railyard's site check reads
it too.

    python3 crawl_asyncio.py --url http://127.0.0.1:8080/site/ -c 500 --out crawl.tsv [--same-host]

Prints one JSON object on stdout: wall_s (first request to last page, like railyard's figure),
cpu_s, peak_rss_bytes, pages, links, errors. Exit code 2 on bad arguments.
"""
import argparse
import asyncio
import json
import posixpath
import resource
import sys
import time
import urllib.robotparser
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit, urlunsplit

AGENT = "railyard-crawl-asyncio/0.1"


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def normalize(url):
    """railyard's normal form of an absolute http(s) URL, or None."""
    url, _ = urldefrag(url.strip())
    try:
        u = urlsplit(url)
        port = u.port
    except ValueError:
        return None
    scheme = u.scheme.lower()
    if scheme not in ("http", "https") or not u.hostname:
        return None
    host = u.hostname.lower()
    if ":" in host:
        host = "[" + host + "]"
    if port is not None and port != (80 if scheme == "http" else 443):
        host += ":" + str(port)
    path = u.path or "/"
    if "." in path:
        trailing = path.endswith("/") or path.endswith("/.") or path.endswith("/..")
        path = posixpath.normpath(path)
        if path.startswith("//"):
            path = "/" + path.lstrip("/")
        if trailing and not path.endswith("/"):
            path += "/"
    return urlunsplit((scheme, host, path, u.query, ""))


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.base = None
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag in ("a", "area"):
            for k, v in attrs:
                if k == "href" and v is not None:
                    self.hrefs.append(v)
                    break
        elif tag == "base" and self.base is None:
            for k, v in attrs:
                if k == "href" and v:
                    self.base = v
                    break


def links_of(html, page_url):
    p = LinkParser()
    p.feed(html)
    p.close()
    base = urljoin(page_url, p.base) if p.base else page_url
    seen, out = set(), []
    for href in p.hrefs:
        link = normalize(urljoin(base, href.strip()))
        if link and link not in seen:
            seen.add(link)
            out.append(link)
    return out


async def read_response(reader):
    """Reads one response: (status, headers dict, body, close)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    close = "close" in headers.get("connection", "").lower()
    if "chunked" in headers.get("transfer-encoding", "").lower():
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                while (await reader.readuntil(b"\r\n")) != b"\r\n":
                    pass
                break
            parts.append((await reader.readexactly(size + 2))[:-2])
        return status, headers, b"".join(parts), close
    if "content-length" in headers:
        return status, headers, await reader.readexactly(int(headers["content-length"])), close
    return status, headers, await reader.read(), True


class Crawler:
    def __init__(self, seeds, c, same_host, out):
        self.c = c
        self.same_host = same_host
        self.hosts = {urlsplit(s).netloc for s in seeds}
        self.seen = set(seeds)
        self.queue = asyncio.Queue()
        for s in seeds:
            self.queue.put_nowait(s)
        self.out = out
        self.robots = {}
        self.pages = self.links = self.errors = self.disallowed = 0

    async def fetch(self, conns, url):
        u = urlsplit(url)
        origin = (u.scheme, u.hostname, u.port or (80 if u.scheme == "http" else 443))
        target = (u.path or "/") + ("?" + u.query if u.query else "")
        request = (f"GET {target} HTTP/1.1\r\nHost: {u.netloc}\r\nUser-Agent: {AGENT}\r\n"
                   f"Accept: text/html\r\n\r\n").encode("latin-1")
        for attempt in range(2):  # a kept-alive connection the server closed: once more on a new one
            conn = conns.get(origin)
            fresh = conn is None
            if fresh:
                conn = await asyncio.open_connection(origin[1], origin[2], ssl=(u.scheme == "https") or None)
                conns[origin] = conn
            reader, writer = conn
            try:
                writer.write(request)
                status, headers, body, close = await read_response(reader)
            except (OSError, asyncio.IncompleteReadError):
                writer.close()
                del conns[origin]
                if fresh or attempt == 1:
                    raise
                continue
            if close:
                writer.close()
                del conns[origin]
            return status, headers, body

    async def allowed(self, conns, url):
        """Whether robots.txt lets us fetch url; the first worker to need an origin's file fetches it."""
        u = urlsplit(url)
        key = (u.scheme, u.netloc)
        fut = self.robots.get(key)
        if fut is None:
            fut = asyncio.get_running_loop().create_future()
            self.robots[key] = fut
            rp = urllib.robotparser.RobotFileParser()
            try:
                status, _, body = await self.fetch(conns, f"{u.scheme}://{u.netloc}/robots.txt")
                if 200 <= status < 300:
                    rp.parse(body.decode("utf-8", "replace").splitlines())
                else:
                    rp.allow_all = True
            except (OSError, asyncio.IncompleteReadError, ValueError):
                rp.disallow_all = True
            fut.set_result(rp)
        rp = await fut
        return rp.can_fetch(AGENT, url)

    async def worker(self):
        conns = {}
        while True:
            url = await self.queue.get()
            try:
                if not await self.allowed(conns, url):
                    self.disallowed += 1
                    continue
                status, headers, body = await self.fetch(conns, url)
                ctype = headers.get("content-type", "")
                if not (200 <= status < 300) or "html" not in ctype:
                    self.errors += 1
                    self.out.write(f"#error\t{url}\thttp-{status}\tHTTP {status}\n")
                    continue
                links = links_of(body.decode("utf-8", "replace"), url)
                block = "".join(f"{url}\t{link}\n" for link in links) + f"#page\t{url}\t{status}\t{len(links)}\n"
                self.out.write(block)
                self.out.flush()
                self.pages += 1
                self.links += len(links)
                for link in links:
                    if link not in self.seen and (not self.same_host or urlsplit(link).netloc in self.hosts):
                        self.seen.add(link)
                        self.queue.put_nowait(link)
            except (OSError, asyncio.IncompleteReadError, ValueError) as e:
                self.errors += 1
                self.out.write(f"#error\t{url}\tio\t{type(e).__name__}\n")
            finally:
                self.queue.task_done()

    async def run(self):
        workers = [asyncio.create_task(self.worker()) for _ in range(self.c)]
        await self.queue.join()
        for w in workers:
            w.cancel()
        await asyncio.gather(*workers, return_exceptions=True)


def main():
    p = argparse.ArgumentParser(description="asyncio peer of railyard crawl")
    p.add_argument("--url", action="append", required=True)
    p.add_argument("-c", type=int, default=100)
    p.add_argument("--out", required=True)
    p.add_argument("--same-host", action="store_true")
    a = p.parse_args()
    seeds = [normalize(u) for u in a.url]
    if None in seeds or a.c < 1:
        print(f"crawl_asyncio: give http(s) URLs and -c >= 1, got {a.url} -c {a.c}", file=sys.stderr)
        sys.exit(2)
    with open(a.out, "w", encoding="utf-8") as out:
        out.write("#railyard-crawl\t1\n")
        crawler = Crawler(seeds, a.c, a.same_host, out)
        cpu0, t0 = cpu_seconds(), time.perf_counter()
        asyncio.run(crawler.run())
        wall, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
    print(json.dumps({
        "crawler": "cpython-asyncio", "python": sys.version.split()[0], "c": a.c, "wall_s": wall, "cpu_s": cpu,
        "process_cpu_s": cpu_seconds(), "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "pages": crawler.pages, "links": crawler.links, "errors": crawler.errors, "disallowed": crawler.disallowed,
    }))


if __name__ == "__main__":
    main()
