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
}
