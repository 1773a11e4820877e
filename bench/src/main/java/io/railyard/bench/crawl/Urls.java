package io.railyard.bench.crawl;

import java.net.URI;
import java.net.URISyntaxException;
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
 *
 * <p>A normalised URL never contains a tab, a line break or a space, so it is safe in the
 * {@code source<TAB>link} output. Stateless; thread-safe.
 */
public final class Urls {

    private static final String HEX = "0123456789ABCDEF";

    private Urls() {}

    /** The normalised form of an absolute http(s) URL, or null if it is not one. */
    public static String normalize(String url) {
        if (url == null) return null;
        String s = url.strip();
        if (s.isEmpty()) return null;
        URI uri = parse(s);
        if (uri == null) return null;
        return normalize(uri);
    }

    /** {@code href} resolved against {@code base} (an absolute URL), then normalised; null if that gives no http(s) URL. */
    public static String resolve(String base, String href) {
        if (href == null) return null;
        String nb = normalize(base); // also gives the base a path: java.net.URI resolves "x" against "http://h" as "http://hx"
        if (nb == null) return null;
        String h = href.strip();
        // RFC 3986 5.2.2 cases that java.net.URI (RFC 2396) gets wrong: same document, and query only
        if (h.isEmpty() || h.startsWith("#")) return nb;
        if (h.startsWith("?")) {
            int q = nb.indexOf('?');
            return normalize((q < 0 ? nb : nb.substring(0, q)) + h);
        }
        URI b = parse(nb);
        URI r = parse(h);
        if (b == null || r == null) return null;
        try {
            return normalize(b.resolve(r));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String normalize(URI uri) {
        String scheme = uri.getScheme();
        if (scheme == null) return null;
        scheme = scheme.toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) return null;
        String host = uri.getHost();
        if (host == null || host.isEmpty()) return null;
        host = host.toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        if (port == (scheme.equals("http") ? 80 : 443)) port = -1;
        String path = uri.getRawPath();
        path = path == null || path.isEmpty() ? "/" : removeDotSegments(normalizeEscapes(path));
        String query = uri.getRawQuery();
        StringBuilder sb = new StringBuilder(scheme.length() + host.length() + path.length() + 16);
        sb.append(scheme).append("://");
        if (uri.getRawUserInfo() != null) sb.append(uri.getRawUserInfo()).append('@');
        sb.append(host);
        if (port != -1) sb.append(':').append(port);
        sb.append(path);
        if (query != null) sb.append('?').append(normalizeEscapes(query));
        return sb.toString();
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

    /** The path and query of a normalised URL: what robots.txt rules match against. */
    public static String pathAndQuery(String normalized) {
        return normalized.substring(origin(normalized).length());
    }

    /** Parses leniently: characters not allowed in a URI are escaped first. Null if still not a URI. */
    static URI parse(String s) {
        try {
            return new URI(s);
        } catch (URISyntaxException e) {
            try {
                return new URI(escapeIllegal(s));
            } catch (URISyntaxException stillBad) {
                return null;
            }
        }
    }

    /** Escapes, as UTF-8, every character that RFC 3986 does not allow anywhere in a URI. */
    static String escapeIllegal(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        boolean inFragment = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '#') {
                if (inFragment) { // a second '#' is data
                    sb.append("%23");
                    continue;
                }
                inFragment = true;
            }
            if (c == '%' && (i + 2 >= s.length() || hex(s.charAt(i + 1)) < 0 || hex(s.charAt(i + 2)) < 0)) {
                sb.append("%25"); // a '%' that does not start an escape
            } else if (c > 0x20 && c < 0x7f && "\"<>\\^`{|}".indexOf(c) < 0) {
                sb.append(c);
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
                for (byte b : s.substring(i, end).getBytes(StandardCharsets.UTF_8)) escape(sb, b & 0xff);
                i = end - 1;
            }
        }
        return sb.toString();
    }

    /** Upper-case hex in escapes; escapes of unreserved characters decoded. */
    static String normalizeEscapes(String s) {
        if (s.indexOf('%') < 0) return s;
        StringBuilder sb = new StringBuilder(s.length());
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
        return sb.toString();
    }

    /** RFC 3986 section 5.2.4. */
    static String removeDotSegments(String path) {
        if (path.indexOf('.') < 0) return path;
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
        return out.isEmpty() ? "/" : out.toString();
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
