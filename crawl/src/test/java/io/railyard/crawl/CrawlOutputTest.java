package io.railyard.crawl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The output format: blocks and records, torn tails cut on resume, foreign files refused. */
class CrawlOutputTest {

    @TempDir
    Path dir;

    private Path sample() throws Exception {
        Path f = dir.resolve("out.tsv");
        try (CrawlOutput o = CrawlOutput.create(f)) {
            o.page("http://h/a", 200, List.of("http://h/b", "http://h/c"), false);
            o.skip("http://h/img", 200, "image/png");
            o.redirect("http://h/old", 301, "http://h/new");
            o.error("http://h/x", "http-404", "HTTP 404\twith a tab");
            o.page("http://h/empty", 200, List.of(), true);
        }
        return f;
    }

    @Test
    void anOutputThatIsNoRegularFileClosesWithoutForcingIt() throws Exception {
        // --out /dev/stdout into a pipe, or /dev/null: the system cannot sync those, and closing must not fail the crawl
        Path devNull = Path.of("/dev/null");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(devNull), "needs /dev/null");
        for (CrawlOutput.Format format : CrawlOutput.Format.values()) {
            CrawlOutput o = CrawlOutput.create(devNull, format);
            o.page("http://h/a", 200, List.of("http://h/b"), false);
            o.close();
        }
    }

    @Test
    void aSecondCrawlOnTheSameFileIsRefusedAndLeavesItAsItIs() throws Exception {
        Path f = sample();
        List<String> before = Files.readAllLines(f);
        try (CrawlOutput first = CrawlOutput.resume(f).output()) {
            CrawlOutput.OutputInUseException e = assertThrows(CrawlOutput.OutputInUseException.class, () -> CrawlOutput.create(f));
            assertTrue(e.getMessage().contains("another crawl is writing --out " + f), e.getMessage());
            assertThrows(CrawlOutput.OutputInUseException.class, () -> CrawlOutput.resume(f));
            assertEquals(before, Files.readAllLines(f), "not emptied by the refused --overwrite");
            first.skip("http://h/more", 200, "text/plain");
        }
        try (CrawlOutput again = CrawlOutput.create(f)) { // the first one closed: its lock is gone
            again.skip("http://h/z", 200, "text/plain");
        }
        assertEquals(List.of("#railyard-crawl\t1", "#skip\thttp://h/z\t200\ttext/plain"), Files.readAllLines(f));
    }

    @Test
    void linesAreSourceTabLinkAndRecordsStartWithAHash() throws Exception {
        List<String> lines = Files.readAllLines(sample());
        assertEquals(List.of("#railyard-crawl\t1", "http://h/a\thttp://h/b", "http://h/a\thttp://h/c", "#page\thttp://h/a\t200\t2",
                "#skip\thttp://h/img\t200\timage/png", "#redirect\thttp://h/old\t301\thttp://h/new",
                "#error\thttp://h/x\thttp-404\tHTTP 404 with a tab", "#page\thttp://h/empty\t200\t0\ttruncated"), lines);
    }

    @Test
    void readingGivesEveryRecordWithItsLinks() throws Exception {
        CrawlOutput.Contents c = CrawlOutput.read(sample());
        assertEquals(0, c.tailBytes());
        assertEquals(List.of(new CrawlOutput.Record.Page("http://h/a", 200, List.of("http://h/b", "http://h/c"), false),
                new CrawlOutput.Record.Skip("http://h/img", 200, "image/png"),
                new CrawlOutput.Record.Redirect("http://h/old", 301, "http://h/new"),
                new CrawlOutput.Record.Error("http://h/x", "http-404", "HTTP 404 with a tab"),
                new CrawlOutput.Record.Page("http://h/empty", 200, List.of(), true)), c.records());
    }

    @Test
    void resumeCutsAnUnfinishedBlockAndATornLineAndAppendsAfterTheLastRecord() throws Exception {
        Path f = sample();
        long whole = Files.size(f);
        // a crash in the middle of a block: two link lines of a page without its record, the second torn
        Files.writeString(f, "http://h/d\thttp://h/e\nhttp://h/d\thttp://h/f", StandardOpenOption.APPEND);
        CrawlOutput.Contents c = CrawlOutput.read(f);
        assertEquals(whole, c.validBytes());
        assertEquals(Files.size(f) - whole, c.tailBytes());
        CrawlOutput.Resumed r = CrawlOutput.resume(f);
        assertEquals(5, r.held().records().size());
        try (CrawlOutput o = r.output()) {
            o.page("http://h/d", 200, List.of("http://h/e"), false);
        }
        List<String> lines = Files.readAllLines(f);
        assertEquals("http://h/d\thttp://h/e", lines.get(lines.size() - 2));
        assertEquals("#page\thttp://h/d\t200\t1", lines.get(lines.size() - 1));
        assertEquals(6, CrawlOutput.read(f).records().size());
        assertTrue(Files.readString(f).endsWith("\n"));
    }

    @Test
    void aMissingOrEmptyFileResumesAsANewCrawl() throws Exception {
        Path f = dir.resolve("new.tsv");
        CrawlOutput.Resumed r = CrawlOutput.resume(f);
        r.output().close();
        assertTrue(r.held().records().isEmpty());
        assertEquals("#railyard-crawl\t1\n", Files.readString(f));
    }

    @Test
    void aForeignOrEditedFileIsRefusedNamingTheLine() throws Exception {
        Path foreign = dir.resolve("foreign.txt");
        Files.writeString(foreign, "hello\nworld\n");
        var e = assertThrows(CrawlOutput.NotACrawlOutputException.class, () -> CrawlOutput.resume(foreign));
        assertTrue(e.getMessage().contains("not a railyard crawl output"), e.getMessage());
        assertEquals("hello\nworld\n", Files.readString(foreign), "left as it was");

        Path edited = sample();
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(edited));
        lines.remove(2); // a link line of the first page
        Files.write(edited, lines, StandardCharsets.UTF_8);
        var e2 = assertThrows(CrawlOutput.NotACrawlOutputException.class, () -> CrawlOutput.read(edited));
        assertTrue(e2.getMessage().contains(":3 "), e2.getMessage());
        assertFalse(e2.getMessage().contains("\n"));
    }

    @Test
    void aSitemapIsABlockLikeAPageAndFlagsAreRead() throws Exception {
        Path f = dir.resolve("sitemap.tsv");
        try (CrawlOutput o = CrawlOutput.create(f)) {
            o.sitemap("http://h/sm.xml", new Fetched.Sitemap(200, false, List.of("http://h/a", "http://h/b"), 0, Fetched.Transfer.NONE));
            o.sitemap("http://h/index.xml", new Fetched.Sitemap(200, true, List.of("http://h/sm.xml"), 0, Fetched.Transfer.NONE));
            o.page("http://h/a", 1, null, new Fetched.Page(200, List.of("http://h/c"), List.of("nofollow"), true, "A", "", "noindex, nofollow", Fetched.Transfer.NONE));
        }
        List<String> lines = Files.readAllLines(f);
        assertEquals(List.of("#railyard-crawl\t1", "http://h/sm.xml\thttp://h/a", "http://h/sm.xml\thttp://h/b", "#sitemap\thttp://h/sm.xml\t200\t2",
                "http://h/index.xml\thttp://h/sm.xml", "#sitemap\thttp://h/index.xml\t200\t1\tindex",
                "http://h/a\thttp://h/c", "#page\thttp://h/a\t200\t1\ttruncated,noindex,nofollow"), lines);
        assertEquals(List.of(new CrawlOutput.Record.Sitemap("http://h/sm.xml", 200, false, List.of("http://h/a", "http://h/b")),
                new CrawlOutput.Record.Sitemap("http://h/index.xml", 200, true, List.of("http://h/sm.xml")),
                new CrawlOutput.Record.Page("http://h/a", 200, List.of("http://h/c"), true, true)), CrawlOutput.read(f).records());
    }

    @Test
    void jsonlIsOneObjectPerUrlAndReadsBackAsTheSameRecords() throws Exception {
        Path f = dir.resolve("out.jsonl");
        Fetched.Transfer t = new Fetched.Transfer("text/html; charset=utf-8", "gzip", 310, 1200, 42);
        try (CrawlOutput o = CrawlOutput.create(f, CrawlOutput.Format.JSONL)) {
            o.page("http://h/a", 2, "http://h/start", new Fetched.Page(200, List.of("http://h/b", "http://h/c\"q"), List.of("", "nofollow"),
                    false, "T\u00eftle \"x\"", "http://h/canon", "nofollow", t));
            o.skip("http://h/img", 1, null, new Fetched.NotHtml(200, "image/png", new Fetched.Transfer("image/png", "", 10, 0, 3)));
            o.redirect("http://h/old", 0, new Fetched.Redirect(301, "http://h/new", 7));
            o.error("http://h/x", 1, "http-404", 404, "HTTP 404\twith a tab");
            o.sitemap("http://h/sm.xml", new Fetched.Sitemap(200, false, List.of("http://h/a"), 3, t));
        }
        List<String> lines = Files.readAllLines(f);
        assertEquals(5, lines.size());
        assertEquals("{\"type\":\"page\",\"url\":\"http://h/a\",\"final_url\":\"http://h/a\",\"depth\":2,\"status\":200,"
                + "\"content_type\":\"text/html; charset=utf-8\",\"content_encoding\":\"gzip\",\"wire_bytes\":310,\"decoded_bytes\":1200,\"fetch_ms\":42,"
                + "\"truncated\":false,\"title\":\"T\u00eftle \\\"x\\\"\",\"canonical\":\"http://h/canon\",\"robots\":\"nofollow\",\"noindex\":false,"
                + "\"nofollow\":true,\"redirected_from\":\"http://h/start\",\"links\":[{\"url\":\"http://h/b\",\"rel\":\"\"},{\"url\":\"http://h/c\\\"q\",\"rel\":\"nofollow\"}]}",
                lines.get(0));
        assertEquals("{\"type\":\"redirect\",\"url\":\"http://h/old\",\"final_url\":\"http://h/new\",\"depth\":0,\"status\":301,"
                + "\"location\":\"http://h/new\",\"fetch_ms\":7}", lines.get(2));
        assertEquals("{\"type\":\"error\",\"url\":\"http://h/x\",\"depth\":1,\"kind\":\"http-404\",\"status\":404,\"detail\":\"HTTP 404 with a tab\"}",
                lines.get(3));
        CrawlOutput.Contents c = CrawlOutput.read(f);
        assertEquals(CrawlOutput.Format.JSONL, c.format());
        assertEquals(List.of(new CrawlOutput.Record.Page("http://h/a", 200, List.of("http://h/b", "http://h/c\"q"), false, true),
                new CrawlOutput.Record.Skip("http://h/img", 200, "image/png"),
                new CrawlOutput.Record.Redirect("http://h/old", 301, "http://h/new"),
                new CrawlOutput.Record.Error("http://h/x", "http-404", "HTTP 404 with a tab"),
                new CrawlOutput.Record.Sitemap("http://h/sm.xml", 200, false, List.of("http://h/a"))), c.records());
    }

    @Test
    void aJsonlResumeCutsATornLastLineAndAppendsInJsonl() throws Exception {
        Path f = dir.resolve("torn.jsonl");
        try (CrawlOutput o = CrawlOutput.create(f, CrawlOutput.Format.JSONL)) {
            o.page("http://h/a", 200, List.of("http://h/b"), false);
        }
        long whole = Files.size(f);
        Files.writeString(f, "{\"type\":\"page\",\"url\":\"http://h/b\",\"lin", StandardOpenOption.APPEND);
        CrawlOutput.Resumed r = CrawlOutput.resume(f, CrawlOutput.Format.TSV);
        assertEquals(CrawlOutput.Format.JSONL, r.output().format(), "the file's own format");
        assertEquals(1, r.held().records().size());
        assertEquals(whole, r.held().validBytes());
        try (CrawlOutput o = r.output()) {
            o.page("http://h/b", 200, List.of(), false);
        }
        List<String> lines = Files.readAllLines(f);
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).startsWith("{\"type\":\"page\",\"url\":\"http://h/b\""), lines.get(1));

        Path edited = dir.resolve("edited.jsonl");
        Files.writeString(edited, lines.get(0) + "\n{\"not\": \"ours\"}\n" + lines.get(1) + "\n");
        var e = assertThrows(CrawlOutput.NotACrawlOutputException.class, () -> CrawlOutput.read(edited));
        assertTrue(e.getMessage().contains(":2 "), e.getMessage());
    }
}
