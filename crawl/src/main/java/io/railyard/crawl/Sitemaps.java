package io.railyard.crawl;

import crawlercommons.sitemaps.AbstractSiteMap;
import crawlercommons.sitemaps.SiteMap;
import crawlercommons.sitemaps.SiteMapIndex;
import crawlercommons.sitemaps.SiteMapParser;
import crawlercommons.sitemaps.SiteMapURL;
import crawlercommons.sitemaps.UnknownFormatException;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * Reads a sitemap (the sitemaps.org protocol) with crawler-commons' {@link SiteMapParser}: an XML
 * {@code urlset}, a {@code sitemapindex} of more sitemaps, or a text file of URLs, gzip-compressed
 * or not (a {@code .xml.gz} file, or a {@code Content-Encoding: gzip} answer, both decoded with a cap).
 * The protocol's limits hold: at most {@link #MAX_BYTES} (50 MiB) uncompressed and {@link #MAX_URLS}
 * (50,000) URLs per file; the URLs past that are counted, not taken. XML document type declarations
 * (and so external entities) are refused by the parser.
 *
 * <p>Stateless; thread-safe.
 */
public final class Sitemaps {

    /** URLs taken from one sitemap file at most (sitemaps.org). */
    public static final int MAX_URLS = 50_000;
    /** Uncompressed bytes of one sitemap file at most (sitemaps.org: 50 MiB). */
    public static final int MAX_BYTES = 50 << 20;

    private Sitemaps() {}

    /** A fetched sitemap, decoded, as its URLs; a file that is not a sitemap is a {@link Fetched.Failure#SITEMAP} failure. */
    static Fetched read(String url, int status, String contentType, ContentDecoding.Decoded decoded, Fetched.Transfer transfer) {
        byte[] body = decoded.body();
        boolean cut = decoded.truncated();
        if (body.length >= 2 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b) { // a .gz file
            try {
                ContentDecoding.Decoded inner = ContentDecoding.decode(body, cut, "gzip", MAX_BYTES);
                body = inner.body();
                cut = inner.truncated();
            } catch (ContentDecoding.DecodingException e) {
                return new Fetched.Failed(Fetched.Failure.SITEMAP, status, "a gzip sitemap that does not decode: " + e.getMessage(), false, 0);
            }
        }
        if (cut) return new Fetched.Failed(Fetched.Failure.SITEMAP, status, "the sitemap is over " + (MAX_BYTES >> 20)
                + " MiB uncompressed (the protocol's limit): not read", false, 0);
        AbstractSiteMap map;
        try {
            SiteMapParser parser = new SiteMapParser(false); // not strict: URLs outside the sitemap's folder are kept; scope decides
            map = parser.parseSiteMap(type(contentType, body), body, URI.create(url).toURL());
        } catch (UnknownFormatException | IOException | RuntimeException e) {
            return new Fetched.Failed(Fetched.Failure.SITEMAP, status, "not a sitemap: " + Fetches.oneLine(e.getMessage()), false, 0);
        }
        LinkedHashSet<String> urls = new LinkedHashSet<>();
        int dropped = 0;
        boolean index = map.isIndex();
        List<URL> found = new ArrayList<>();
        if (map instanceof SiteMapIndex i) for (AbstractSiteMap child : i.getSitemaps()) found.add(child.getUrl());
        else if (map instanceof SiteMap m) for (SiteMapURL u : m.getSiteMapUrls()) found.add(u.getUrl());
        for (URL u : found) {
            String n = Urls.normalize(u.toString());
            if (n == null || urls.contains(n)) continue;
            if (urls.size() >= MAX_URLS) dropped++;
            else urls.add(n);
        }
        if (urls.isEmpty() && dropped == 0 && !looksLikeSitemap(body))
            return new Fetched.Failed(Fetched.Failure.SITEMAP, status, "not a sitemap: no urlset, sitemapindex or URL lines in it", false, 0);
        return new Fetched.Sitemap(status, index, new ArrayList<>(urls), dropped, transfer);
    }

    /** The parser's content type: XML when the body starts like XML, else text (one URL a line). */
    private static String type(String contentType, byte[] body) {
        int i = 0;
        if (body.length >= 3 && (body[0] & 0xff) == 0xef && (body[1] & 0xff) == 0xbb && (body[2] & 0xff) == 0xbf) i = 3;
        while (i < body.length && Character.isWhitespace(body[i])) i++;
        if (i < body.length && body[i] == '<') return "application/xml";
        String t = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        return t.contains("xml") ? "application/xml" : "text/plain";
    }

    /** An empty but well-formed sitemap (no URLs) is one; anything else with no URL is not. */
    private static boolean looksLikeSitemap(byte[] body) {
        String start = new String(body, 0, Math.min(body.length, 4096), java.nio.charset.StandardCharsets.UTF_8);
        return start.contains("<urlset") || start.contains("<sitemapindex") || start.isBlank();
    }
}
