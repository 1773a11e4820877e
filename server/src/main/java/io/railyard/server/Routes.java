package io.railyard.server;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Maps a request to its answer: which bytes, after how long. See {@link LatencyServer} for the
 * endpoints. Bad numbers answer 400, unknown paths 404, other methods than GET/HEAD 405; nothing a
 * client sends makes it throw. Stateless apart from the site's request counts; thread-safe.
 */
final class Routes {

    static final int MAX_DELAY_MS = 600_000;
    static final int MAX_BYTES = 64 * 1024 * 1024;
    static final int MAX_REDIRECTS = 100;
    static final int DEFAULT_BODY = 1024;

    /** An answer: the whole response, to be written after {@code delayMs}. */
    record Reply(ByteBuf bytes, int delayMs) {}

    private final SitePages site;
    private final ServerOptions options;
    private final Supplier<String> statsJson;
    private final byte[] index;

    Routes(SitePages site, ServerOptions options, Supplier<String> statsJson) {
        this.site = site;
        this.options = options;
        this.statsJson = statsJson;
        this.index = ("railyard latency server\n"
                + "GET /delay/{ms}[?bytes=N]   answer after ms milliseconds, N bytes of body (default " + DEFAULT_BODY + ")\n"
                + "GET /bytes/{n}              n bytes of body at once\n"
                + "GET /status/{code}[?location=URL][&retry-after=S]  that status (200..599)\n"
                + "GET /redirect/{n}           a chain of n 302 redirects\n"
                + "GET /site/                  a generated site of " + site.graph().publicPages() + " pages (seed " + site.graph().seed() + ")\n"
                + "GET /robots.txt             disallows " + SiteGraph.PRIVATE_DIR + "\n"
                + "GET /stats                  concurrent connections and requests (JSON)\n").getBytes(StandardCharsets.UTF_8);
    }

    Reply route(HttpRequest req, boolean keepAlive) {
        HttpMethod method = req.method();
        boolean head = HttpMethod.HEAD.equals(method);
        if (!head && !HttpMethod.GET.equals(method)) {
            return now(Responses.of(405, "text/plain; charset=utf-8", bytes("405 method not allowed: " + method + "; use GET or HEAD\n"),
                    keepAlive, false, "Allow: GET, HEAD\r\n"));
        }
        String target = req.uri();
        if (target.startsWith("http://") || target.startsWith("https://")) {
            int slash = target.indexOf('/', target.indexOf("//") + 2);
            target = slash < 0 ? "/" : target.substring(slash);
        }
        int hash = target.indexOf('#');
        if (hash >= 0) target = target.substring(0, hash);
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : target.substring(q + 1);
        if (!path.startsWith("/")) return error(400, "bad request target '" + req.uri() + "'", keepAlive, head);

        if (path.startsWith("/delay/")) return delay(path.substring(7), query, keepAlive, head);
        if (path.startsWith("/bytes/")) {
            long n = number(path.substring(7), MAX_BYTES);
            if (n < 0) return badNumber(path, "/bytes/{n} with n in 0.." + MAX_BYTES, keepAlive, head);
            return now(Responses.filler((int) n, keepAlive, head));
        }
        if (path.startsWith("/status/")) return status(path, query, keepAlive, head);
        if (path.startsWith("/redirect/")) {
            long n = number(path.substring(10), MAX_REDIRECTS);
            if (n < 0) return badNumber(path, "/redirect/{n} with n in 0.." + MAX_REDIRECTS, keepAlive, head);
            if (n == 0) return now(Responses.text(200, "redirects done\n", keepAlive, head));
            return now(Responses.of(302, "text/plain; charset=utf-8", bytes("redirect\n"), keepAlive, head,
                    "Location: /redirect/" + (n - 1) + "\r\n"));
        }
        if (path.equals("/site") || path.startsWith("/site/")) return site(req, path, query, keepAlive, head);
        return switch (path) {
            case "/" -> now(Responses.of(200, "text/plain; charset=utf-8", index, keepAlive, head, ""));
            case "/robots.txt" -> now(Responses.text(200, site.graph().robotsTxt(), keepAlive, head));
            case "/stats" -> now(Responses.of(200, "application/json", bytes(statsJson.get()), keepAlive, head, ""));
            default -> error(404, "not found: " + path + " (GET / lists the endpoints)", keepAlive, head);
        };
    }

    private Reply delay(String ms, String query, boolean keepAlive, boolean head) {
        long delay = number(ms, MAX_DELAY_MS);
        if (delay < 0) return badNumber("/delay/" + ms, "/delay/{ms} with ms in 0.." + MAX_DELAY_MS, keepAlive, head);
        String bytesParam = param(query, "bytes");
        long size = bytesParam == null ? DEFAULT_BODY : number(bytesParam, MAX_BYTES);
        if (size < 0) return badNumber("bytes=" + bytesParam, "bytes=N with N in 0.." + MAX_BYTES, keepAlive, head);
        return new Reply(Responses.filler((int) size, keepAlive, head), (int) delay);
    }

    private Reply status(String path, String query, boolean keepAlive, boolean head) {
        long code = number(path.substring(8), 599);
        if (code < 200) return badNumber(path, "/status/{code} with code in 200..599", keepAlive, head);
        StringBuilder extra = new StringBuilder();
        String location = param(query, "location");
        if (location != null) {
            location = decode(location);
            if (location == null || !printable(location)) return error(400, "bad location parameter: use a URL-encoded URL", keepAlive, head);
            extra.append("Location: ").append(location).append("\r\n");
        }
        String retryAfter = param(query, "retry-after");
        if (retryAfter != null) {
            long s = number(retryAfter, 86_400);
            if (s < 0) return badNumber("retry-after=" + retryAfter, "retry-after=S with S in 0..86400", keepAlive, head);
            extra.append("Retry-After: ").append(s).append("\r\n");
        }
        return now(Responses.of((int) code, "text/plain; charset=utf-8", bytes("status " + code + "\n"), keepAlive, head, extra.toString()));
    }

    private Reply site(HttpRequest req, String path, String query, boolean keepAlive, boolean head) {
        if (path.equals("/site")) {
            return now(Responses.of(301, "text/plain; charset=utf-8", bytes("moved to /site/\n"), keepAlive, head, "Location: /site/\r\n"));
        }
        SiteGraph.Page page = site.graph().page(path);
        if (page == null) return error(404, "no such page: " + path, keepAlive, head);
        String latencyParam = param(query, "latency");
        long latency = latencyParam == null ? options.siteLatencyMs() : number(latencyParam, MAX_DELAY_MS);
        if (latency < 0) return badNumber("latency=" + latencyParam, "latency=MS with MS in 0.." + MAX_DELAY_MS, keepAlive, head);
        if (site.countRequest(page) < options.siteFailFirst()) {
            int status = options.siteFailStatus();
            return new Reply(Responses.text(status, "status " + status + " (failing the first " + options.siteFailFirst() + " requests of each page)\n",
                    keepAlive, head), (int) latency);
        }
        byte[] html = site.html(page, requestOrigin(req));
        return new Reply(Responses.of(200, "text/html; charset=utf-8", html, keepAlive, head, ""), (int) latency);
    }

    /** {@code http://} + the Host header when it is a plain host[:port], else the server's own origin. */
    private String requestOrigin(HttpRequest req) {
        String host = req.headers().get(HttpHeaderNames.HOST);
        if (host == null || host.isEmpty() || host.length() > 255) return site.origin();
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == ':' || c == '-' || c == '[' || c == ']';
            if (!ok) return site.origin();
        }
        return "http://" + host;
    }

    /** The decimal number {@code s} when it is one in 0..max, else -1. */
    static long number(String s, long max) {
        if (s.isEmpty() || s.length() > 12) return -1;
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            n = n * 10 + (c - '0');
        }
        return n <= max ? n : -1;
    }

    /** The raw value of query parameter {@code name}, or null. */
    static String param(String query, String name) {
        int from = 0;
        while (from <= query.length()) {
            int amp = query.indexOf('&', from);
            int end = amp < 0 ? query.length() : amp;
            int eq = query.indexOf('=', from);
            if (eq > from && eq < end && query.regionMatches(from, name, 0, name.length()) && eq - from == name.length()) {
                return query.substring(eq + 1, end);
            }
            if (amp < 0) break;
            from = amp + 1;
        }
        return null;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < 0x21 || s.charAt(i) > 0x7e) return false;
        return !s.isEmpty();
    }

    private static Reply badNumber(String what, String expected, boolean keepAlive, boolean head) {
        return error(400, "bad number in " + what + ": use " + expected, keepAlive, head);
    }

    static Reply error(int status, String message, boolean keepAlive, boolean head) {
        return now(Responses.text(status, status + " " + message + "\n", keepAlive, head));
    }

    private static Reply now(ByteBuf bytes) {
        return new Reply(bytes, 0);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
