package io.railyard.crawl;

import java.io.Serializable;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Which HTTP proxy a fetch goes through, if any: one for {@code http} URLs, one for {@code https}
 * URLs (tunnelled with {@code CONNECT}), and the hosts that go direct. When a proxy applies, the
 * crawler never resolves the target host itself: the proxy does (a name only the proxy knows works).
 *
 * <p>Where the settings come from ({@link #resolve}), the first that says anything wins:
 * <ol>
 *   <li>{@code --no-proxy} (none) or {@code --proxy URL} (for both schemes);</li>
 *   <li>the JVM's {@code http.proxyHost}/{@code http.proxyPort}, {@code https.proxyHost}/{@code https.proxyPort}
 *       and {@code http.nonProxyHosts} (whose default, as in the JDK, is {@code localhost|127.*|[::1]});</li>
 *   <li>the environment's {@code http_proxy}, {@code https_proxy}, {@code no_proxy} (lower case
 *       first, then upper case).</li>
 * </ol>
 * {@code no_proxy}/{@code NO_PROXY} and {@code http.nonProxyHosts} apply in every case. A proxy URL
 * is {@code http://[user:password@]host[:port]} (port 80 by default; the scheme may be left out);
 * its user-info becomes Basic proxy authentication.
 *
 * <p>Immutable and serializable: it travels in {@link FetchSettings} to worker processes.
 *
 * @param http    proxy URL for http targets, or null for direct
 * @param https   proxy URL for https targets, or null for direct
 * @param noProxy host patterns that go direct: {@code *} (all), {@code .example.com} or
 *                {@code example.com} (that domain and its subdomains), {@code *.example.com},
 *                {@code 127.*} (a glob), an exact host or IP address
 */
public record ProxySettings(String http, String https, List<String> noProxy) implements Serializable {

    /** Every fetch goes direct. */
    public static final ProxySettings NONE = new ProxySettings(null, null, List.of());

    public ProxySettings {
        noProxy = List.copyOf(noProxy);
        if (http != null) parse(http, "proxy");
        if (https != null) parse(https, "proxy");
    }

    /** Where one fetch connects when it goes through a proxy, and the credentials it gives (user null: none). */
    public record Route(String host, int port, String user, String password) {
        /** The {@code Proxy-Authorization} value, or null without credentials. */
        public String authorization() {
            return user == null ? null : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }

        /** {@code host:port}, never the credentials. */
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** One proxy for every scheme, with these hosts going direct. */
    public static ProxySettings of(String proxyUrl, List<String> noProxy) {
        return new ProxySettings(proxyUrl, proxyUrl, noProxy);
    }

    /** Whether any fetch goes through a proxy. */
    public boolean any() {
        return http != null || https != null;
    }

    /**
     * The proxy for a fetch of {@code scheme://host}, or null to go direct.
     *
     * @param host the URL's host (lower case; an IPv6 literal with its brackets)
     */
    public Route routeFor(String scheme, String host) {
        String proxy = "https".equalsIgnoreCase(scheme) ? https : http;
        if (proxy == null || bypassed(host)) return null;
        return parse(proxy, "proxy");
    }

    boolean bypassed(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        String bare = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        for (String p : noProxy) {
            String e = p.strip().toLowerCase(Locale.ROOT);
            if (e.isEmpty()) continue;
            if (e.equals("*")) return true;
            int colon = e.lastIndexOf(':');
            if (colon > 0 && e.indexOf(']') < colon && e.indexOf(':') == colon) e = e.substring(0, colon); // host:port: the port is not compared
            String eb = e.startsWith("[") && e.endsWith("]") ? e.substring(1, e.length() - 1) : e;
            if (e.indexOf('*') >= 0) {
                if (glob(e, h) || glob(e, bare)) return true;
            } else if (e.startsWith(".")) {
                if (h.endsWith(e) || h.equals(e.substring(1))) return true;
            } else if (h.equals(e) || bare.equals(eb) || h.endsWith("." + e)) {
                return true;
            }
        }
        return false;
    }

    private static boolean glob(String pattern, String s) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*') re.append(".*");
            else re.append(java.util.regex.Pattern.quote(String.valueOf(c)));
        }
        return s.matches(re.toString());
    }

    /**
     * Reads a proxy URL.
     *
     * @param what names it in the error ({@code --proxy}, {@code HTTPS_PROXY}...)
     * @throws IllegalArgumentException naming the input and the fix
     */
    static Route parse(String url, String what) {
        String u = url.strip();
        if (!u.contains("://")) u = "http://" + u;
        URI uri;
        try {
            uri = URI.create(u);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " '" + url + "' is not a proxy URL: give one like http://proxy.example:3128");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()))
            throw new IllegalArgumentException(what + " '" + url + "' is not an http:// proxy (the crawler speaks plain HTTP to its proxy, "
                    + "and tunnels https through it with CONNECT): give one like http://proxy.example:3128");
        if (uri.getHost() == null)
            throw new IllegalArgumentException(what + " '" + url + "' has no host: give one like http://proxy.example:3128");
        String user = null, password = null;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            user = URLDecoder.decode(colon < 0 ? info : info.substring(0, colon), StandardCharsets.UTF_8);
            password = colon < 0 ? "" : URLDecoder.decode(info.substring(colon + 1), StandardCharsets.UTF_8);
        }
        String host = uri.getHost();
        if (host.startsWith("[")) host = host.substring(1, host.length() - 1);
        return new Route(host, uri.getPort() < 0 ? 80 : uri.getPort(), user, password);
    }

    /**
     * The settings of a crawl, from its flags, then the JVM's properties, then the environment (see
     * the class comment).
     *
     * @param proxyFlag {@code --proxy URL}, or null
     * @param noProxyFlag {@code --no-proxy}: every fetch goes direct
     * @throws IllegalArgumentException for a proxy URL that is not one, naming where it came from
     */
    public static ProxySettings resolve(String proxyFlag, boolean noProxyFlag, Properties props, Map<String, String> env) {
        if (noProxyFlag) return NONE;
        List<String> noProxy = new ArrayList<>(list(first(env, "no_proxy", "NO_PROXY"), ","));
        if (proxyFlag != null) {
            parse(proxyFlag, "--proxy");
            if (props.getProperty("http.nonProxyHosts") != null) noProxy.addAll(list(props.getProperty("http.nonProxyHosts"), "\\|"));
            return new ProxySettings(proxyFlag, proxyFlag, noProxy);
        }
        String httpHost = props.getProperty("http.proxyHost"), httpsHost = props.getProperty("https.proxyHost");
        if (notBlank(httpHost) || notBlank(httpsHost)) {
            noProxy.addAll(list(props.getProperty("http.nonProxyHosts", "localhost|127.*|[::1]"), "\\|"));
            String http = notBlank(httpHost) ? "http://" + httpHost.strip() + ":" + props.getProperty("http.proxyPort", "80").strip() : null;
            String https = notBlank(httpsHost) ? "http://" + httpsHost.strip() + ":" + props.getProperty("https.proxyPort", "443").strip() : null;
            if (http != null) parse(http, "http.proxyHost/http.proxyPort");
            if (https != null) parse(https, "https.proxyHost/https.proxyPort");
            return new ProxySettings(http, https, noProxy);
        }
        String http = first(env, "http_proxy", "HTTP_PROXY"), https = first(env, "https_proxy", "HTTPS_PROXY");
        if (http != null) parse(http, env.containsKey("http_proxy") ? "http_proxy" : "HTTP_PROXY");
        if (https != null) parse(https, env.containsKey("https_proxy") ? "https_proxy" : "HTTPS_PROXY");
        if (http == null && https == null) return NONE;
        return new ProxySettings(http, https, noProxy);
    }

    private static String first(Map<String, String> env, String lower, String upper) {
        String v = env.get(lower);
        if (!notBlank(v)) v = env.get(upper);
        return notBlank(v) ? v.strip() : null;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static List<String> list(String s, String separator) {
        List<String> out = new ArrayList<>();
        if (s == null) return out;
        for (String x : s.split(separator)) if (!x.isBlank()) out.add(x.strip());
        return out;
    }

    /** {@code http://user:***@host:port}: a proxy URL fit for a message, without its password. */
    public static String redact(String url) {
        if (url == null) return "direct";
        return url.replaceAll("://([^:@/]*):[^@/]*@", "://$1:***@");
    }
}
