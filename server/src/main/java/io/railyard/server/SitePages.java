package io.railyard.server;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The HTML of the generated site's pages, and how often each page was asked for (for the
 * fail-first option). A page's absolute links name the origin the client used (its Host header),
 * so a crawler that came in through {@code localhost} stays on {@code localhost}; pages for the
 * server's own origin are rendered once and kept.
 *
 * <p>Thread-safe: the caches are filled racily but idempotently (a lost race renders a page twice).
 */
final class SitePages {

    private static final String[] WORDS = ("rail yard train track signal switch engine wagon freight platform "
            + "station timetable junction siding depot coupling brake load route schedule").split(" ");

    private final SiteGraph graph;
    private volatile String origin = "http://unbound";
    private final AtomicReferenceArray<byte[]> rendered;
    private final AtomicIntegerArray requests;

    SitePages(SiteGraph graph) {
        this.graph = graph;
        this.rendered = new AtomicReferenceArray<>(graph.pages().size());
        this.requests = new AtomicIntegerArray(graph.pages().size());
    }

    SiteGraph graph() {
        return graph;
    }

    /** Set once the server is bound and its port known. */
    void origin(String origin) {
        this.origin = origin;
    }

    String origin() {
        return origin;
    }

    /** Counts a request for the page and returns how many came before it. */
    int countRequest(SiteGraph.Page page) {
        return requests.getAndIncrement(page.id());
    }

    /** The page's HTML as seen by a client that reached the server at {@code requestOrigin}. */
    byte[] html(SiteGraph.Page page, String requestOrigin) {
        String own = origin;
        if (!own.equals(requestOrigin)) return render(page, requestOrigin);
        byte[] html = rendered.get(page.id());
        if (html == null) {
            html = render(page, own);
            rendered.set(page.id(), html);
        }
        return html;
    }

    static byte[] render(SiteGraph.Page page, String origin) {
        SplittableRandom words = new SplittableRandom(page.id() * 31L + 7);
        StringBuilder sb = new StringBuilder(2048);
        String title = page.disallowed() ? "Private page " + page.id() : page.id() == 0 ? "Site root" : "Page " + page.id();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(title).append("</title>\n");
        if (page.base() != null) sb.append("<base href=\"").append(page.base()).append("\">\n");
        sb.append("</head>\n<body>\n<h1 id=\"top\">").append(title).append("</h1>\n<p>");
        for (int i = 0; i < 60; i++) sb.append(WORDS[words.nextInt(WORDS.length)]).append(i % 12 == 11 ? ".\n" : " ");
        sb.append("</p>\n<ul class=\"links\">\n");
        int n = 0;
        for (SiteGraph.Link link : page.links()) {
            String href = link.href(origin);
            // attribute spellings vary the way real pages do; a real HTML parser reads them all
            switch (n++ % 5) {
                case 1 -> sb.append("<li><a class=\"nav\" href='").append(href).append("'>");
                case 3 -> sb.append("<li><A HREF=\"").append(href).append("\">");
                default -> sb.append("<li><a href=\"").append(href).append("\">");
            }
            sb.append("link to ").append(link.target()).append("</a></li>\n");
        }
        sb.append("</ul>\n<p id=\"s0\">end of ").append(title.toLowerCase()).append("</p>\n</body>\n</html>\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
