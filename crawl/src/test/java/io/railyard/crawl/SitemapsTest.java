package io.railyard.crawl;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/** The sitemaps.org limits: 50,000 URLs taken from one file, the rest counted; duplicates once; gzip files read. */
class SitemapsTest {

    private static byte[] urlset(int urls) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (int i = 0; i < urls; i++) xml.append("<url><loc>http://127.0.0.1:8080/p/").append(i).append("</loc></url>\n");
        return xml.append("</urlset>\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Fetched read(byte[] body, String contentType) {
        return Sitemaps.read("http://127.0.0.1:8080/sitemap.xml", 200, contentType, new ContentDecoding.Decoded(body, false),
                Fetched.Transfer.NONE);
    }

    @Test
    void urlsPastFiftyThousandAreCountedNotTaken() {
        Fetched f = read(urlset(Sitemaps.MAX_URLS + 17), "application/xml");
        Fetched.Sitemap s = assertInstanceOf(Fetched.Sitemap.class, f, f::toString);
        assertEquals(Sitemaps.MAX_URLS, s.urls().size());
        assertEquals(17, s.dropped());
        assertEquals("http://127.0.0.1:8080/p/0", s.urls().get(0));
        assertEquals("http://127.0.0.1:8080/p/" + (Sitemaps.MAX_URLS - 1), s.urls().get(Sitemaps.MAX_URLS - 1));
    }

    @Test
    void aTextSitemapAtTheLimitIsTakenWholeAndDuplicatesCountOnce() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Sitemaps.MAX_URLS; i++) text.append("http://127.0.0.1:8080/t/").append(i).append('\n');
        text.append("http://127.0.0.1:8080/t/0\n"); // a repeat is neither taken again nor dropped
        Fetched.Sitemap s = assertInstanceOf(Fetched.Sitemap.class, read(text.toString().getBytes(StandardCharsets.UTF_8), "text/plain"));
        assertEquals(Sitemaps.MAX_URLS, s.urls().size());
        assertEquals(0, s.dropped());
    }

    @Test
    void aGzipFileIsDecodedBeforeItIsRead() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(urlset(3));
        }
        Fetched.Sitemap s = assertInstanceOf(Fetched.Sitemap.class, read(gz.toByteArray(), "application/octet-stream"));
        assertEquals(3, s.urls().size());
    }

    @Test
    void somethingElseIsASitemapFailure() {
        Fetched f = read("<html><body>hello</body></html>".getBytes(StandardCharsets.UTF_8), "text/html");
        Fetched.Failed failed = assertInstanceOf(Fetched.Failed.class, f, f::toString);
        assertEquals(Fetched.Failure.SITEMAP, failed.failure());
    }
}
