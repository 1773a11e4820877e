package io.railyard.crawl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpsServer;
import io.railyard.core.Models;
import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;
import io.railyard.loop.ForwardProxy;
import io.railyard.loop.TestTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The crawler against local servers that behave like real sites: compressed answers (every content
 * coding, a corrupt one, an unknown one, a gzip bomb), a forward proxy (a host name only it
 * resolves, Basic credentials, https through CONNECT), a 10 MB robots.txt, sitemaps (an index, a
 * gzipped child listing pages linked from nowhere, a malformed one), robots meta tags and headers,
 * a page in windows-1252 without a declared charset, {@code --same-domain} under a multi-label
 * public suffix, and the per-host cap named in the summary. Every output is jsonl, read back.
 *
 * <p>The brotli page ({@code brotli-page.html.br}) was made by {@code brotli -q 11} (brotli 1.0.9)
 * from the HTML {@link #brotliPage()} writes: 40 links to {@code /br/pN.html}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CrawlRealSitesTest {

    @TempDir
    Path dir;

    private static final JsonFactory JSON = new JsonFactory();

    /** A crawl's result and its jsonl records by URL (a URL fetched as a page and as a sitemap: the later one). */
    record Run(CrawlResult result, Map<String, Map<String, Object>> records, Path out) {
        Set<String> pages() {
            return records.values().stream().filter(r -> r.get("type").equals("page")).map(r -> (String) r.get("url"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }

        Map<String, Object> get(String url) {
            Map<String, Object> r = records.get(url);
            assertTrue(r != null, "no record for " + url + " in " + records.keySet());
            return r;
        }
    }

    private Run crawl(String model, CrawlOptions options) throws Exception {
        return crawl(model, options, Map.of());
    }

    private Run crawl(String model, CrawlOptions options, Map<String, String> poolOptions) throws Exception {
        Path out = dir.resolve("crawl-" + System.nanoTime() + ".jsonl");
        int c = model.equals("processes") ? 2 : options.concurrency();
        CrawlResult r;
        try (TaskPool pool = Models.open(model, PoolSpec.of(c).withOptions(poolOptions));
             CrawlOutput output = CrawlOutput.create(out, CrawlOutput.Format.JSONL)) {
            r = new Crawler(pool, options.withConcurrency(c), output, null).run(List.of());
        }
        Map<String, Map<String, Object>> records = new LinkedHashMap<>();
        for (String line : Files.readAllLines(out)) {
            Map<String, Object> rec = json(line);
            records.put((String) rec.get("url"), rec);
        }
        assertEquals(CrawlOutput.read(out).records().size(), records.size() + duplicates(out), "every line reads back as a record");
        return new Run(r, records, out);
    }

    private static long duplicates(Path out) throws IOException {
        List<String> urls = Files.readAllLines(out).stream().map(l -> (String) json(l).get("url")).toList();
        return urls.size() - new java.util.HashSet<>(urls).size();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String line) {
        try (JsonParser p = JSON.createParser(line)) {
            p.nextToken();
            return (Map<String, Object>) value(p);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    private static Object value(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    m.put(name, value(p));
                }
                yield m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) l.add(value(p));
                yield l;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getLongValue();
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            case VALUE_NULL -> null;
            default -> p.getText();
        };
    }

    private static CrawlOptions options(String... seeds) {
        return CrawlOptions.defaults(List.of(seeds)).withConcurrency(16).withPerHost(16).withRetries(1, 5);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String links(String... hrefs) {
        StringBuilder sb = new StringBuilder("<!doctype html><html><head><title>t</title></head><body>");
        for (String h : hrefs) sb.append("<a href=\"").append(h).append("\">").append(h).append("</a>\n");
        return sb.append("</body></html>").toString();
    }

    static String brotliPage() {
        StringBuilder links = new StringBuilder();
        for (int i = 0; i < 40; i++) links.append("<li><a href=\"/br/p").append(i).append(".html\">brotli page ").append(i)
                .append("</a> with some text that compresses well</li>\n");
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>brotli</title></head><body><ul>\n" + links + "</ul></body></html>\n";
    }

    private static byte[] brotliFixture() throws IOException {
        try (InputStream in = CrawlRealSitesTest.class.getResourceAsStream("brotli-page.html.br")) {
            return in.readAllBytes();
        }
    }

    // ---------------------------------------------------------------- content codings

    @ParameterizedTest
    @ValueSource(strings = {"loop", "virtual", "threads", "processes"})
    void everyContentCodingIsAskedForAndDecodedWithTheSameHeadersOnEveryModel(String model) throws Exception {
        try (TestSite site = new TestSite()) {
            Map<String, byte[]> bodies = new LinkedHashMap<>();
            for (String enc : List.of("gzip", "deflate", "raw-deflate", "stacked")) {
                byte[] html = bytes(links("/leaf-" + enc + ".html") + "<p>" + "padding that compresses ".repeat(50) + "</p>");
                bodies.put(enc, html);
                byte[] body = switch (enc) {
                    case "gzip" -> TestSite.gzip(html);
                    case "deflate" -> TestSite.deflate(html, false);
                    case "raw-deflate" -> TestSite.deflate(html, true);
                    default -> TestSite.gzip(TestSite.deflate(html, false)); // deflate applied first, then gzip
                };
                String coding = switch (enc) {
                    case "raw-deflate" -> "deflate";
                    case "stacked" -> "deflate, gzip";
                    default -> enc;
                };
                site.page("/" + enc + ".html", 200, Map.of("Content-Type", "text/html", "Content-Encoding", coding), body);
                site.html("/leaf-" + enc + ".html", links());
            }
            site.page("/br.html", 200, Map.of("Content-Type", "text/html; charset=utf-8", "Content-Encoding", "br"), brotliFixture());
            for (int i = 0; i < 40; i++) site.html("/br/p" + i + ".html", links());
            site.html("/", links("/gzip.html", "/deflate.html", "/raw-deflate.html", "/stacked.html", "/br.html"));

            Run r = crawl(model, options(site.origin() + "/").withMaxDepth(2));
            String o = site.origin();
            assertEquals(0, r.result().errorCount(), r.result().errors().toString());
            for (String enc : bodies.keySet()) {
                assertTrue(r.pages().contains(o + "/leaf-" + enc + ".html"), model + ": the link inside the " + enc + " page was read");
                Map<String, Object> rec = r.get(o + "/" + enc + ".html");
                assertEquals((long) bodies.get(enc).length, rec.get("decoded_bytes"), enc);
                assertTrue((long) rec.get("wire_bytes") < (long) rec.get("decoded_bytes"), enc + ": " + rec);
            }
            Map<String, Object> br = r.get(o + "/br.html");
            assertEquals("br", br.get("content_encoding"));
            assertEquals((long) brotliPage().length(), br.get("decoded_bytes"));
            assertEquals(40, ((List<?>) br.get("links")).size());
            assertTrue(r.pages().contains(o + "/br/p39.html"));

            // the same request headers on every model (the parameterised runs compare against these constants)
            for (TestSite.Request q : site.requests()) {
                assertEquals(FetchSettings.DEFAULT_USER_AGENT, q.header("User-Agent"), q.path());
                assertEquals("gzip, deflate, br", q.header("Accept-Encoding"), q.path());
                assertEquals(FetchSettings.ACCEPT, q.header("Accept"), q.path());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"loop", "threads"})
    void aCorruptBodyAndAnUnknownCodingAreRecordedErrorsAndTheCrawlGoesOn(String model) throws Exception {
        try (TestSite site = new TestSite()) {
            byte[] gz = TestSite.gzip(bytes(links("/never.html")));
            byte[] corrupt = java.util.Arrays.copyOf(gz, gz.length);
            for (int i = 12; i < corrupt.length - 8; i++) corrupt[i] ^= 0x5a;
            site.page("/corrupt.html", 200, Map.of("Content-Type", "text/html", "Content-Encoding", "gzip"), corrupt);
            site.page("/zstd.html", 200, Map.of("Content-Type", "text/html", "Content-Encoding", "zstd"), bytes("(zstd bytes)"));
            site.html("/fine.html", links());
            site.html("/", links("/corrupt.html", "/zstd.html", "/fine.html"));
            Run r = crawl(model, options(site.origin() + "/"));
            assertEquals(Map.of("decoding", 1L, "content-encoding", 1L), r.result().errors());
            assertEquals("content-encoding", r.get(site.origin() + "/zstd.html").get("kind"));
            assertTrue(((String) r.get(site.origin() + "/zstd.html").get("detail")).contains("zstd"));
            assertEquals(200L, r.get(site.origin() + "/corrupt.html").get("status"));
            assertTrue(r.pages().contains(site.origin() + "/fine.html"));
        }
    }

    /** 1 GiB of spaces after an HTML start, gzipped (about 1 MB). */
    private static byte[] gzipBomb() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2 << 20);
        try (GZIPOutputStream z = new GZIPOutputStream(out, 1 << 16)) {
            z.write(bytes("<!doctype html><html><body><a href=\"/after-the-bomb.html\">x</a>"));
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 1024; i++) z.write(spaces);
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"loop", "virtual"})
    void aGzipBombIsCutAtThePageCapAndRecordedTruncated(String model) throws Exception {
        byte[] bomb = gzipBomb();
        assertTrue(bomb.length < 8 << 20, "a few MB on the wire: " + bomb.length);
        try (TestSite site = new TestSite()) {
            site.page("/bomb.html", 200, Map.of("Content-Type", "text/html", "Content-Encoding", "gzip"), bomb);
            site.html("/after-the-bomb.html", links());
            Run r = crawl(model, options(site.origin() + "/bomb.html").withFetch(FetchSettings.defaults().withMaxPageBytes(4 << 20)));
            Map<String, Object> rec = r.get(site.origin() + "/bomb.html");
            assertEquals(true, rec.get("truncated"));
            assertEquals((long) (4 << 20), rec.get("decoded_bytes"), "decoded up to the cap, no further");
            assertEquals((long) bomb.length, rec.get("wire_bytes"));
            assertTrue(r.pages().contains(site.origin() + "/after-the-bomb.html"), "the page was parsed as far as it went");
            assertEquals(1, r.result().truncated());
        }
    }

    // ---------------------------------------------------------------- proxies

    @ParameterizedTest
    @ValueSource(strings = {"loop", "threads"})
    void aForwardProxySeesEveryRequestIncludingToAHostOnlyItResolves(String model) throws Exception {
        try (TestSite site = new TestSite(); ForwardProxy proxy = new ForwardProxy().requireCredentials("crawler", "p@ss w:rd")) {
            proxy.resolveAs("only-the-proxy.test", site.address());
            site.html("/", links("/a.html", "/b.html"));
            site.html("/a.html", links("/b.html"));
            site.html("/b.html", links());
            site.page("/robots.txt", 200, Map.of("Content-Type", "text/plain"), bytes("User-agent: *\nDisallow: /private/\n"));
            String proxyUrl = "http://crawler:p%40ss%20w%3Ard@127.0.0.1:" + proxy.port();
            FetchSettings fetch = FetchSettings.defaults().withProxies(ProxySettings.of(proxyUrl, List.of()));
            Run r = crawl(model, options("http://only-the-proxy.test/").withMaxDepth(5).withFetch(fetch));
            assertEquals(Set.of("http://only-the-proxy.test/", "http://only-the-proxy.test/a.html", "http://only-the-proxy.test/b.html"), r.pages());
            assertEquals(0, r.result().errorCount(), r.result().errors().toString());
            assertEquals(Set.of("GET http://only-the-proxy.test/robots.txt HTTP/1.1", "GET http://only-the-proxy.test/ HTTP/1.1",
                    "GET http://only-the-proxy.test/a.html HTTP/1.1", "GET http://only-the-proxy.test/b.html HTTP/1.1"), Set.copyOf(proxy.seen()));
            assertEquals(site.requests().size(), proxy.seen().size(), "every request went through the proxy");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"loop", "threads"})
    void httpsGoesThroughAConnectTunnel(String model) throws Exception {
        TestTls tls = TestTls.create(dir, "secure.test");
        HttpsServer server = tls.serve(ex -> {
            String path = ex.getRequestURI().getPath();
            byte[] body = bytes(path.equals("/") ? links("/inside.html") : path.equals("/inside.html") ? links() : "");
            ex.getResponseHeaders().add("Content-Type", "text/html");
            ex.sendResponseHeaders(body.length == 0 ? 404 : 200, body.length == 0 ? -1 : body.length);
            if (body.length > 0) try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
            ex.close();
        });
        SSLSocketFactory before = HttpsURLConnection.getDefaultSSLSocketFactory();
        try (ForwardProxy proxy = new ForwardProxy().requireCredentials("u", "pw")) {
            proxy.resolveAs("secure.test", server.getAddress());
            HttpsURLConnection.setDefaultSSLSocketFactory(tls.clientContext().getSocketFactory()); // the blocking client trusts the test certificate
            FetchSettings fetch = FetchSettings.defaults().withProxies(ProxySettings.of("http://u:pw@127.0.0.1:" + proxy.port(), List.of()));
            Run r = crawl(model, options("https://secure.test:8443/").withFetch(fetch).withMaxDepth(3),
                    Map.of("https.trustStore", tls.keyStore().toString(), "https.trustStorePassword", TestTls.PASSWORD));
            assertEquals(Set.of("https://secure.test:8443/", "https://secure.test:8443/inside.html"), r.pages());
            assertTrue(proxy.seen().stream().allMatch(l -> l.equals("CONNECT secure.test:8443 HTTP/1.1")), proxy.seen().toString());
        } finally {
            HttpsURLConnection.setDefaultSSLSocketFactory(before);
            server.stop(0);
        }
    }

    @Test
    void noProxyHostsGoDirect() throws Exception {
        try (TestSite site = new TestSite(); ForwardProxy proxy = new ForwardProxy()) {
            site.html("/", links());
            FetchSettings fetch = FetchSettings.defaults().withProxies(ProxySettings.of(proxy.url(), List.of("127.0.0.1")));
            Run r = crawl("loop", options(site.origin() + "/").withFetch(fetch));
            assertEquals(1, r.pages().size());
            assertEquals(List.of(), proxy.seen());
        }
    }

    // ---------------------------------------------------------------- robots.txt, sitemaps, meta robots

    @ParameterizedTest
    @ValueSource(strings = {"loop", "threads"})
    void aTenMegabyteRobotsTxtIsReadToItsFirst512KiB(String model) throws Exception {
        try (TestSite site = new TestSite()) {
            StringBuilder robots = new StringBuilder("User-agent: *\nDisallow: /early/\n");
            while (robots.length() < 10_000_000) robots.append("# a long robots.txt, padded with comments to ten megabytes\n");
            robots.append("Disallow: /late/\n");
            site.page("/robots.txt", 200, Map.of("Content-Type", "text/plain"), bytes(robots.toString()));
            site.html("/", links("/early/x.html", "/late/y.html"));
            site.html("/early/x.html", links());
            site.html("/late/y.html", links());
            Run r = crawl(model, options(site.origin() + "/"));
            assertEquals(Set.of(site.origin() + "/", site.origin() + "/late/y.html"), r.pages(), "the rule past 512 KiB was not read");
            assertEquals(1, r.result().disallowed());
        }
    }

    @Test
    void sitemapsFromRobotsTxtReachPagesLinkedFromNowhereAndABrokenOneIsRecorded() throws Exception {
        try (TestSite site = new TestSite()) {
            String o = site.origin();
            site.page("/robots.txt", 200, Map.of("Content-Type", "text/plain"), bytes("User-agent: *\nDisallow: /no/\nSitemap: " + o + "/sitemap_index.xml\n"));
            site.page("/sitemap_index.xml", 200, Map.of("Content-Type", "application/xml"), bytes("""
                    <?xml version="1.0" encoding="UTF-8"?>
                    <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                      <sitemap><loc>%s/pages.xml.gz</loc></sitemap>
                      <sitemap><loc>%s/broken.xml</loc></sitemap>
                    </sitemapindex>""".formatted(o, o)));
            StringBuilder urlset = new StringBuilder("<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">");
            for (int i = 0; i < 5; i++) urlset.append("<url><loc>").append(o).append("/orphan").append(i).append(".html</loc></url>");
            urlset.append("<url><loc>").append(o).append("/no/secret.html</loc></url></urlset>");
            site.page("/pages.xml.gz", 200, Map.of("Content-Type", "application/gzip"), TestSite.gzip(bytes(urlset.toString())));
            site.page("/broken.xml", 200, Map.of("Content-Type", "application/xml"), bytes("<urlset><url><loc>" + o + "/x.html</url>"));
            site.html("/", links());
            for (int i = 0; i < 5; i++) site.html("/orphan" + i + ".html", links("/orphan-child" + i + ".html"));
            for (int i = 0; i < 5; i++) site.html("/orphan-child" + i + ".html", links());

            Run r = crawl("loop", options(o + "/").withMaxDepth(1).withSitemaps(true));
            Set<String> expected = new TreeSet<>(List.of(o + "/"));
            for (int i = 0; i < 5; i++) expected.addAll(List.of(o + "/orphan" + i + ".html", o + "/orphan-child" + i + ".html"));
            assertEquals(expected, r.pages(), "the sitemap's pages at depth 0, their links at depth 1");
            assertEquals(0L, r.get(o + "/orphan3.html").get("depth"));
            assertEquals(2, r.result().sitemaps());
            assertEquals(6, r.result().sitemapUrls(), "the five orphans and the disallowed page were first seen there");
            assertEquals(1, r.result().disallowed(), "robots.txt still applies to a sitemap's URLs");
            assertEquals("sitemap", r.get(o + "/broken.xml").get("kind"));
            assertEquals(Map.of("sitemap", 1L), r.result().errors(), "no record for the missing /sitemap.xml");
            assertEquals(true, r.get(o + "/sitemap_index.xml").get("index"));
            assertEquals("done", r.result().end());
        }
    }

    @Test
    void nofollowInAMetaTagOrAHeaderStopsFollowingButTheLinksAreWritten() throws Exception {
        try (TestSite site = new TestSite()) {
            String o = site.origin();
            site.html("/", links("/meta.html", "/header.html", "/noindex.html", "/rel.html"));
            site.html("/meta.html", "<html><head><meta name=\"robots\" content=\"nofollow\"></head><body><a href=\"/hidden1.html\">h</a></body></html>");
            site.page("/header.html", 200, Map.of("Content-Type", "text/html", "X-Robots-Tag", "nofollow"), bytes(links("/hidden2.html")));
            site.html("/noindex.html", "<html><head><meta name=\"robots\" content=\"noindex\"></head><body><a href=\"/shown.html\">s</a></body></html>");
            site.html("/rel.html", "<html><body><a rel=\"nofollow\" href=\"/relnf.html\">r</a></body></html>");
            for (String p : List.of("/hidden1.html", "/hidden2.html", "/shown.html", "/relnf.html")) site.html(p, links());

            Run r = crawl("loop", options(o + "/").withMaxDepth(5));
            assertEquals(Set.of(o + "/", o + "/meta.html", o + "/header.html", o + "/noindex.html", o + "/rel.html", o + "/shown.html", o + "/relnf.html"), r.pages());
            assertEquals(List.of(Map.of("url", o + "/hidden1.html", "rel", "")), r.get(o + "/meta.html").get("links"), "written, not followed");
            assertEquals(true, r.get(o + "/header.html").get("nofollow"));
            assertEquals(true, r.get(o + "/noindex.html").get("noindex"));
            assertEquals(List.of(Map.of("url", o + "/relnf.html", "rel", "nofollow")), r.get(o + "/rel.html").get("links"));
            assertEquals(2, r.result().nofollow());
            assertEquals(1, r.result().noindex());

            Run ignoring = crawl("threads", options(o + "/").withMaxDepth(5).withObeyMetaRobots(false));
            assertTrue(ignoring.pages().containsAll(Set.of(o + "/hidden1.html", o + "/hidden2.html")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"loop", "virtual"})
    void aWindows1252PageWithoutADeclaredCharsetHasItsNonAsciiLinksRight(String model) throws Exception {
        try (TestSite site = new TestSite()) {
            Charset cp1252 = Charset.forName("windows-1252");
            site.page("/", 200, Map.of("Content-Type", "text/html"), "<html><body><a href=\"/caf\u00e9.html\">caf\u00e9</a> \u201cquoted\u201d</body></html>".getBytes(cp1252));
            site.html("/caf%C3%A9.html", links());
            Run r = crawl(model, options(site.origin() + "/"));
            assertEquals(Set.of(site.origin() + "/", site.origin() + "/caf%C3%A9.html"), r.pages(), "not /caf%EF%BF%BD.html");
        }
    }

    // ---------------------------------------------------------------- scope

    @Test
    void sameDomainTakesEveryHostOfTheRegisteredDomainUnderAMultiLabelPublicSuffix() throws Exception {
        try (TestSite a = new TestSite(); TestSite b = new TestSite(); TestSite other = new TestSite(); ForwardProxy proxy = new ForwardProxy()) {
            proxy.resolveAs("a.example.co.uk", a.address()).resolveAs("b.example.co.uk", b.address()).resolveAs("other.co.uk", other.address());
            a.html("/", links("http://b.example.co.uk/", "http://other.co.uk/", "/blog/1.html", "/private/x.html"));
            b.html("/", links("/b-page.html"));
            b.html("/b-page.html", links());
            other.html("/", links());
            a.html("/blog/1.html", links());
            a.html("/private/x.html", links());
            FetchSettings fetch = FetchSettings.defaults().withProxies(ProxySettings.of(proxy.url(), List.of()));
            Scope scope = Scope.of(false, true, List.of(), List.of("/private/"));
            Run r = crawl("loop", options("http://a.example.co.uk/").withMaxDepth(5).withFetch(fetch).withScope(scope));
            assertEquals(Set.of("http://a.example.co.uk/", "http://a.example.co.uk/blog/1.html", "http://b.example.co.uk/",
                    "http://b.example.co.uk/b-page.html"), r.pages());
            assertEquals(1, r.result().offsite(), "other.co.uk is another registered domain under co.uk");
            assertEquals(1, r.result().excluded());
            assertTrue(other.requests().isEmpty());
        }
    }

    // ---------------------------------------------------------------- what held the crawl back

    @Test
    void theSummarySaysThePerHostCapHeldTheCrawl() throws Exception {
        try (TestSite site = new TestSite()) {
            List<String> hrefs = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String p = "/slow" + i + ".html";
                hrefs.add(p);
                site.dynamic(p, ex -> {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return new TestSite.Page(200, Map.of("Content-Type", "text/html"), bytes(links()));
                });
            }
            site.html("/", links(hrefs.toArray(String[]::new)));
            Run r = crawl("loop", options(site.origin() + "/").withConcurrency(40).withPerHost(2));
            CrawlResult.Limit first = r.result().limits().getFirst();
            assertEquals("per-host", first.limit(), r.result().limits().toString());
            assertTrue(first.share() > 0.5, first.toString());
            assertEquals(site.origin(), first.origin());
            String text = first.describe(40);
            assertTrue(text.startsWith("the per-host cap (2) held concurrency at 2 of -c 40 on " + site.origin() + " for "), text);
            assertTrue(text.endsWith("; --per-host raises it"), text);

            Run wide = crawl("loop", options(site.origin() + "/").withConcurrency(4).withPerHost(40));
            assertEquals("concurrency", wide.result().limits().getFirst().limit(), wide.result().limits().toString());
        }
    }

    @Test
    void errorsCarryTheirStatusTyped() throws Exception {
        try (TestSite site = new TestSite()) {
            site.html("/", links("/gone.html"));
            site.page("/gone.html", 410, Map.of("Content-Type", "text/plain"), bytes("gone"));
            Run r = crawl("loop", options(site.origin() + "/"));
            Map<String, Object> gone = r.get(site.origin() + "/gone.html");
            assertEquals("http-410", gone.get("kind"));
            assertEquals(410L, gone.get("status"));
            assertEquals(Map.of("http-410", 1L), r.result().errors());
            assertEquals(new CrawlResult.HostCount(2, 1, 1, r.result().hosts().get(site.origin()).wireBytes()), r.result().hosts().get(site.origin()));
        }
    }

    @Test
    void aProxyUrlThatIsNotOneIsRefusedNamingWhereItCameFrom() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ProxySettings.resolve(null, false, new java.util.Properties(), Map.of("HTTPS_PROXY", "socks5://p:1080")));
        assertTrue(e.getMessage().startsWith("HTTPS_PROXY 'socks5://p:1080' is not an http:// proxy"), e.getMessage());
        Map<String, String> env = new HashMap<>(Map.of("http_proxy", "http://env:3128", "HTTP_PROXY", "http://upper:1", "no_proxy", ".internal,10.0.0.1"));
        ProxySettings fromEnv = ProxySettings.resolve(null, false, new java.util.Properties(), env);
        assertEquals("http://env:3128", fromEnv.http());
        assertEquals(null, fromEnv.https());
        assertEquals(null, fromEnv.routeFor("http", "db.internal"));
        assertEquals(null, fromEnv.routeFor("http", "10.0.0.1"));
        assertEquals("env:3128", fromEnv.routeFor("http", "example.org").toString());
        java.util.Properties jvm = new java.util.Properties();
        jvm.setProperty("https.proxyHost", "jvmproxy");
        jvm.setProperty("https.proxyPort", "8443");
        ProxySettings fromJvm = ProxySettings.resolve(null, false, jvm, env);
        assertEquals("jvmproxy:8443", fromJvm.routeFor("https", "example.org").toString());
        assertEquals(null, fromJvm.routeFor("https", "localhost"), "the JDK's default non-proxy hosts");
        assertEquals(null, fromJvm.routeFor("http", "example.org"), "the JVM's properties win over the environment");
        assertEquals(ProxySettings.NONE, ProxySettings.resolve("http://flag:1", true, jvm, env));
        assertEquals("flag:1", ProxySettings.resolve("http://flag:1", false, jvm, env).routeFor("https", "example.org").toString());
    }
}
