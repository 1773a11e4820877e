package io.railyard.crawl;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The crawler's one form of a URL, so that "never visit a URL twice" means what a person means.
 * {@link #normalize} applies RFC 3986 section 6 normalisation:
 * <ul>
 *   <li>scheme and host in lower case; the default port dropped ({@code :80} for http,
 *       {@code :443} for https); an empty path becomes {@code /};</li>
 *   <li>dot segments removed ({@code /a/./b/../c} is {@code /a/c}, also above the root);</li>
 *   <li>percent-escapes in upper case, escapes of unreserved characters decoded ({@code %7E} is
 *       {@code ~}); characters that may not appear in a URL (space, non-ASCII, {@code |}...)
 *       escaped as UTF-8, the way browsers send them;</li>
 *   <li>the fragment removed (it never reaches the server).</li>
 * </ul>
 * The query is kept as written (its order can matter to a server). Only {@code http} and
 * {@code https} URLs with a host are crawlable; anything else normalises to null.
 * {@link #resolve} resolves a reference (an {@code href}) by RFC 3986 section 5.2, then normalises.
 *
 * <p>Written on strings rather than {@code java.net.URI}: a crawl resolves every link of every
 * page, and URI's parsing, resolution (RFC 2396, which gets {@code ?q} and empty references wrong)
 * and re-normalisation cost several times more. A normalised URL never contains a tab, a line
 * break or a space, so it is safe in the {@code source<TAB>link} output.
 *
 * <p>Stateless; thread-safe.
 */
public final class Urls {

    private static final String HEX = "0123456789ABCDEF";

    private Urls() {}

    /** The components of a URI reference (RFC 3986 appendix B); null for an absent component. */
    record Parts(String scheme, String authority, String path, String query) {}

    /** The normalised form of an absolute http(s) URL, or null if it is not one. */
    public static String normalize(String url) {
        if (url == null) return null;
        Parts p = split(clean(url));
        if (p.scheme == null) return null;
        return build(p.scheme, p.authority, removeDotSegments(p.path), p.query);
    }

    /** {@code href} resolved against {@code base} (an absolute URL), then normalised; null if that gives no http(s) URL. */
    public static String resolve(String base, String href) {
        String b = normalize(base);
        return b == null ? null : resolveAgainst(b, href);
    }

    /**
     * {@code href} resolved against an already normalised absolute URL (a page's URL or its base),
     * then normalised; null if that gives no http(s) URL. The hot path of link extraction.
     */
    public static String resolveAgainst(String normalizedBase, String href) {
        if (href == null) return null;
        Parts r = split(clean(href));
        if (r.scheme != null) return build(r.scheme, r.authority, removeDotSegments(r.path), r.query);
        Parts b = split(normalizedBase);
        if (r.authority != null) return build(b.scheme, r.authority, removeDotSegments(r.path), r.query);
        String path, query = r.query;
        if (r.path.isEmpty()) {
            path = b.path;
            if (query == null) query = b.query;
        } else if (r.path.charAt(0) == '/') {
            path = removeDotSegments(r.path);
        } else {
            String bp = b.path.isEmpty() ? "/" : b.path;
            path = removeDotSegments(bp.substring(0, bp.lastIndexOf('/') + 1) + r.path);
        }
        return build(b.scheme, b.authority, path, query);
    }

    /** The origin of a normalised URL: {@code scheme://host[:port]}. */
    public static String origin(String normalized) {
        int slash = normalized.indexOf('/', normalized.indexOf("//") + 2);
        return slash < 0 ? normalized : normalized.substring(0, slash);
    }

    /** The host and port of a normalised URL ({@code host[:port]}), what {@code --same-host} compares. */
    public static String authority(String normalized) {
        String origin = origin(normalized);
        String authority = origin.substring(origin.indexOf("//") + 2);
        int at = authority.lastIndexOf('@');
        return at < 0 ? authority : authority.substring(at + 1);
    }

    /** The host of a normalised URL, without port or user-info (an IPv6 literal keeps its brackets). */
    public static String host(String normalized) {
        String a = authority(normalized);
        int colon = a.lastIndexOf(':');
        return colon < 0 || a.indexOf(']', colon) >= 0 ? a : a.substring(0, colon);
    }

    /** The path and query of a normalised URL: what robots.txt rules match against. */
    public static String pathAndQuery(String normalized) {
        return normalized.substring(origin(normalized).length());
    }

    /** Trimmed, fragment dropped, an international host name in its ASCII form, characters not allowed in a URI escaped. */
    private static String clean(String s) {
        s = s.strip();
        int hash = s.indexOf('#');
        if (hash >= 0) s = s.substring(0, hash);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!allowed(c) || (c == '%' && !escapeAt(s, i))) return escapeIllegal(asciiHost(s));
        }
        return s;
    }

    /** {@code http://bücher.example/} as {@code http://xn--bcher-kva.example/} (IDNA), the rest untouched. */
    private static String asciiHost(String s) {
        int start = s.indexOf("//");
        if (start < 0 || (start > 0 && s.charAt(start - 1) != ':')) return s;
        start += 2;
        int end = start;
        while (end < s.length() && "/?#".indexOf(s.charAt(end)) < 0) end++;
        int hostStart = s.lastIndexOf('@', end - 1) >= start ? s.lastIndexOf('@', end - 1) + 1 : start;
        int hostEnd = s.lastIndexOf(':', end - 1) >= hostStart && s.charAt(hostStart) != '[' ? s.lastIndexOf(':', end - 1) : end;
        String host = s.substring(hostStart, hostEnd);
        if (host.chars().allMatch(c -> c < 0x80)) return s;
        try {
            return s.substring(0, hostStart) + IDN.toASCII(host, IDN.ALLOW_UNASSIGNED) + s.substring(hostEnd);
        } catch (IllegalArgumentException notAHostName) {
            return s; // escaped below, then refused as a host
        }
    }

    /** RFC 3986 appendix B, by scanning. */
    static Parts split(String s) {
        String scheme = null;
        int i = 0;
        int colon = s.indexOf(':');
        if (colon > 0 && isScheme(s, colon)) {
            scheme = s.substring(0, colon);
            i = colon + 1;
        }
        String authority = null;
        if (s.startsWith("//", i)) {
            int end = i + 2;
            while (end < s.length() && s.charAt(end) != '/' && s.charAt(end) != '?') end++;
            authority = s.substring(i + 2, end);
            i = end;
        }
        int q = s.indexOf('?', i);
        String path = q < 0 ? s.substring(i) : s.substring(i, q);
        String query = q < 0 ? null : s.substring(q + 1);
        return new Parts(scheme, authority, path, query);
    }

    private static boolean isScheme(String s, int end) {
        char first = s.charAt(0);
        if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) return false;
        for (int i = 1; i < end; i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) return false;
        }
        return true;
    }

    /** The normalised URL from resolved components, or null when it is not a crawlable http(s) URL. */
    private static String build(String scheme, String authority, String path, String query) {
        String sc = scheme.toLowerCase(Locale.ROOT);
        boolean http = sc.equals("http");
        if (!http && !sc.equals("https")) return null;
        if (authority == null) return null;
        int at = authority.lastIndexOf('@');
        String userInfo = at < 0 ? null : authority.substring(0, at);
        String hostPort = at < 0 ? authority : authority.substring(at + 1);
        int portColon = hostPort.lastIndexOf(':');
        if (portColon >= 0 && hostPort.indexOf(']', portColon) >= 0) portColon = -1; // a colon inside [IPv6]
        String host = (portColon < 0 ? hostPort : hostPort.substring(0, portColon)).toLowerCase(Locale.ROOT);
        if (!validHost(host)) return null;
        int port = -1;
        if (portColon >= 0 && portColon + 1 < hostPort.length()) {
            String digits = hostPort.substring(portColon + 1);
            if (digits.length() > 5) return null;
            port = 0;
            for (int i = 0; i < digits.length(); i++) {
                char c = digits.charAt(i);
                if (c < '0' || c > '9') return null;
                port = port * 10 + (c - '0');
            }
            if (port > 65535) return null;
            if (port == (http ? 80 : 443)) port = -1;
        }
        StringBuilder sb = new StringBuilder(sc.length() + authority.length() + path.length() + 8 + (query == null ? 0 : query.length() + 1));
        sb.append(sc).append("://");
        if (userInfo != null) sb.append(userInfo).append('@');
        sb.append(host);
        if (port != -1) sb.append(':').append(port);
        if (path.isEmpty()) sb.append('/');
        else if (path.charAt(0) != '/') return null; // a path after an authority starts with '/'
        else normalizeEscapes(sb, path);
        if (query != null) normalizeEscapes(sb.append('?'), query);
        return sb.toString();
    }

    private static boolean validHost(String host) {
        if (host.isEmpty()) return false;
        if (host.charAt(0) == '[') {
            if (host.charAt(host.length() - 1) != ']' || host.length() < 3) return false;
            for (int i = 1; i < host.length() - 1; i++) {
                char c = host.charAt(i);
                if (!(c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
            }
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' || c == '~')) return false;
        }
        return true;
    }

    /** Escapes, as UTF-8, every character that RFC 3986 does not allow anywhere in a URI. */
    static String escapeIllegal(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && !escapeAt(s, i)) {
                sb.append("%25"); // a '%' that does not start an escape
            } else if (allowed(c)) {
                sb.append(c);
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
                for (byte b : s.substring(i, end).getBytes(StandardCharsets.UTF_8)) escape(sb, b & 0xff);
                i = end - 1;
            }
        }
        return sb.toString();
    }

    /** Whether RFC 3986 allows {@code c} somewhere in a URI: printable ASCII but a space and {@code "<>\^`{|}}. */
    private static boolean allowed(char c) {
        return c > 0x20 && c < 0x7f && switch (c) {
            case '"', '<', '>', '\\', '^', '`', '{', '|', '}' -> false;
            default -> true;
        };
    }

    private static boolean escapeAt(String s, int i) {
        return i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0;
    }

    /** Upper-case hex in escapes; escapes of unreserved characters decoded. */
    static String normalizeEscapes(String s) {
        if (s.indexOf('%') < 0) return s;
        return normalizeEscapes(new StringBuilder(s.length()), s).toString();
    }

    private static StringBuilder normalizeEscapes(StringBuilder sb, String s) {
        if (s.indexOf('%') < 0) return sb.append(s);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                int hi = hex(s.charAt(i + 1)), lo = hex(s.charAt(i + 2));
                if (hi >= 0 && lo >= 0) {
                    int v = hi * 16 + lo;
                    if (unreserved(v)) sb.append((char) v);
                    else escape(sb, v);
                    i += 2;
                    continue;
                }
            }
            sb.append(c);
        }
        return sb;
    }

    /** RFC 3986 section 5.2.4. */
    static String removeDotSegments(String path) {
        if (path.indexOf('.') < 0 && path.indexOf('%') < 0) return path;
        path = decodeDots(path);
        // a dot segment ("." or "..") starts the path or follows a '/': "/p/12.html" has none
        if (!path.startsWith(".") && !path.contains("/.")) return path;
        return rfc3986Loop(path);
    }

    /** RFC 3986 5.2.4's loop, as written: every path through it, dots or not. */
    static String rfc3986Loop(String path) {
        StringBuilder out = new StringBuilder(path.length());
        String in = path;
        while (!in.isEmpty()) {
            if (in.startsWith("../")) in = in.substring(3);
            else if (in.startsWith("./")) in = in.substring(2);
            else if (in.startsWith("/./")) in = in.substring(2);
            else if (in.equals("/.")) in = "/";
            else if (in.startsWith("/../") || in.equals("/..")) {
                in = in.length() == 3 ? "/" : in.substring(3);
                int last = out.lastIndexOf("/");
                out.setLength(Math.max(last, 0));
            } else if (in.equals(".") || in.equals("..")) in = "";
            else {
                int next = in.indexOf('/', in.startsWith("/") ? 1 : 0);
                if (next < 0) next = in.length();
                out.append(in, 0, next);
                in = in.substring(next);
            }
        }
        return out.toString();
    }

    /** {@code %2E} is an unreserved '.', so it takes part in dot segments (RFC 3986 6.2.2.3 after 6.2.2.2). */
    private static String decodeDots(String path) {
        if (path.indexOf('%') < 0) return path;
        return path.replace("%2e", ".").replace("%2E", ".");
    }

    private static boolean unreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static void escape(StringBuilder sb, int b) {
        sb.append('%').append(HEX.charAt(b >> 4)).append(HEX.charAt(b & 15));
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }
}
