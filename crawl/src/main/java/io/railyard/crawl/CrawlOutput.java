package io.railyard.crawl;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The crawl's output file: {@code source<TAB>link} lines, written so that a crash never leaves a
 * half-written page and a crawl can be resumed from the file alone.
 *
 * <h2>Format (UTF-8, one record per line, fields separated by TAB)</h2>
 * <pre>
 *   #railyard-crawl  1                          first line: what the file is, format version
 *   SOURCE  LINK                                one line per distinct link of a page (document order)
 *   ...
 *   #page      SOURCE  STATUS  N  [truncated]   closes the page's block: N link lines precede it
 *   #skip      URL     STATUS  CONTENT-TYPE     fetched, not HTML
 *   #redirect  URL     STATUS  LOCATION         the crawl went on at LOCATION
 *   #error     URL     KIND    DETAIL           failed for good (retries spent or not retryable)
 * </pre>
 * Lines starting with {@code #} are records, never links (a normalised URL starts with its
 * scheme), so {@code grep -v '^#'} leaves exactly the {@code source<TAB>link} lines. Every URL
 * fetched gets exactly one record; a page's link lines come right before its {@code #page} record.
 *
 * <h2>Why the file survives a crash</h2>
 * A page's block (its link lines and its record) is one {@code write} to the file, appended, done
 * as the page completes, by one thread: blocks never interleave and are in the OS the moment the
 * write returns, so Ctrl-C or {@code kill -9} of the crawler loses at most the pages in flight. A
 * write cut by the death of the process (possible for a large block) leaves a tail without its
 * record; {@link #resume} cuts that tail off. {@link #close} forces the file to disk.
 *
 * <h2>What the file "holds" (resume)</h2>
 * The URLs with a record: they are not fetched again. {@link #resume} reads the records (and each
 * page's links, from which the crawler rebuilds its frontier: see {@link Crawler}), truncates
 * anything after the last record, and appends from there. So a resumed crawl writes each URL's
 * record once, and its final file has the same lines as an uninterrupted crawl's (in another order:
 * pages complete in whatever order the network answers).
 *
 * <p>Not the usual write-to-a-temporary-then-move: the point of this file is to be useful while the
 * crawl runs and after it dies.
 *
 * <p>Thread-safety: one thread writes (the crawler's coordinator); the static readers are
 * thread-safe.
 */
public final class CrawlOutput implements AutoCloseable {

    public static final String HEADER = "#railyard-crawl\t1";

    /** One record of the file, with the links of its block for a page. */
    public sealed interface Record {
        String url();

        record Page(String url, int status, List<String> links, boolean truncated) implements Record {}

        record Skip(String url, int status, String contentType) implements Record {}

        record Redirect(String url, int status, String location) implements Record {}

        record Error(String url, String kind, String detail) implements Record {}
    }

    /**
     * What a file holds.
     *
     * @param records    every whole record, in file order
     * @param validBytes the length of the file up to the end of its last record (or its header)
     * @param tailBytes  bytes after that: a block cut short by a crash (link lines without their
     *                   record, or a line without its end)
     */
    public record Contents(List<Record> records, long validBytes, long tailBytes) {}

    /** The file is not a crawl output, or was edited so that it no longer parses. */
    public static final class NotACrawlOutputException extends IOException {
        public NotACrawlOutputException(String message) {
            super(message);
        }
    }

    private final Path path;
    private final FileChannel channel;
    private long bytesWritten;

    private CrawlOutput(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** Creates (or empties) the file and writes the header. Fails before anything is fetched if it cannot. */
    public static CrawlOutput create(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        CrawlOutput out = new CrawlOutput(path, ch);
        out.write(HEADER + "\n");
        return out;
    }

    /**
     * Opens an existing output to continue it: reads what it holds, cuts off a torn tail, and
     * appends after the last record. A missing or empty file starts a new output.
     *
     * @throws NotACrawlOutputException naming the line when the file is not one
     */
    public static Resumed resume(Path path) throws IOException {
        if (!Files.exists(path) || Files.size(path) == 0) return new Resumed(create(path), new Contents(List.of(), 0, 0));
        Contents c = read(path);
        FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE);
        try {
            ch.truncate(c.validBytes());
            ch.position(c.validBytes());
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new Resumed(new CrawlOutput(path, ch), c);
    }

    /** An output opened by {@link #resume}, and what it held. */
    public record Resumed(CrawlOutput output, Contents held) {}

    public Path path() {
        return path;
    }

    /** A fetched HTML page: its link lines and its record, in one write. */
    public void page(String url, int status, List<String> links, boolean truncated) throws IOException {
        StringBuilder sb = new StringBuilder(links.size() * (url.length() + 48) + url.length() + 32);
        for (String link : links) sb.append(url).append('\t').append(link).append('\n');
        sb.append("#page\t").append(url).append('\t').append(status).append('\t').append(links.size());
        if (truncated) sb.append("\ttruncated");
        write(sb.append('\n').toString());
    }

    public void skip(String url, int status, String contentType) throws IOException {
        write("#skip\t" + url + "\t" + status + "\t" + Fetches.oneLine(contentType) + "\n");
    }

    public void redirect(String url, int status, String location) throws IOException {
        write("#redirect\t" + url + "\t" + status + "\t" + location + "\n");
    }

    public void error(String url, String kind, String detail) throws IOException {
        write("#error\t" + url + "\t" + Fetches.oneLine(kind) + "\t" + Fetches.oneLine(detail) + "\n");
    }

    /** Bytes this object appended. */
    public long bytesWritten() {
        return bytesWritten;
    }

    private void write(String block) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(block.getBytes(StandardCharsets.UTF_8));
        bytesWritten += b.remaining();
        while (b.hasRemaining()) channel.write(b);
    }

    /** Forces the file to disk and closes it. */
    @Override
    public void close() throws IOException {
        if (!channel.isOpen()) return;
        try {
            channel.force(false);
        } finally {
            channel.close();
        }
    }

    // ---------------------------------------------------------------- reading

    /** Reads a crawl output: its whole records, and how much of it is a torn tail. */
    public static Contents read(Path path) throws IOException {
        List<Record> records = new ArrayList<>();
        List<String> pending = new ArrayList<>(); // link lines of the block being read
        String pendingSource = null;
        long offset = 0, valid = 0;
        int lineNo = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(256);
            int b;
            while (true) {
                b = in.read();
                if (b == -1) break;
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                lineNo++;
                String s = line.toString(StandardCharsets.UTF_8);
                offset += line.size() + 1;
                line.reset();
                if (lineNo == 1) {
                    if (!s.equals(HEADER))
                        throw new NotACrawlOutputException(path + " is not a railyard crawl output (its first line is not '"
                                + HEADER.replace('\t', ' ') + "')");
                    valid = offset;
                    continue;
                }
                String[] f = s.split("\t", -1);
                if (!s.startsWith("#")) {
                    if (f.length != 2) throw bad(path, lineNo, "a link line has 2 fields");
                    if (pendingSource != null && !pendingSource.equals(f[0])) throw bad(path, lineNo, "the links of two pages are mixed");
                    pendingSource = f[0];
                    pending.add(f[1]);
                    continue;
                }
                Record r = record(path, lineNo, f, pending, pendingSource);
                records.add(r);
                pending = new ArrayList<>();
                pendingSource = null;
                valid = offset;
            }
            if (lineNo == 0) throw new NotACrawlOutputException(path + " is not a railyard crawl output (it has no whole line)");
            offset += line.size();
        }
        return new Contents(records, valid, offset - valid);
    }

    private static Record record(Path path, int lineNo, String[] f, List<String> pending, String pendingSource) throws NotACrawlOutputException {
        String kind = f[0];
        if (!kind.equals("#page") && !pending.isEmpty()) throw bad(path, lineNo, "link lines are followed by their #page record");
        try {
            return switch (kind) {
                case "#page" -> {
                    if (f.length < 4) throw bad(path, lineNo, "#page has 4 or 5 fields");
                    int n = Integer.parseInt(f[3]);
                    if (n != pending.size() || (n > 0 && !f[1].equals(pendingSource)))
                        throw bad(path, lineNo, "#page " + f[1] + " closes its " + n + " link lines");
                    yield new Record.Page(f[1], Integer.parseInt(f[2]), List.copyOf(pending), f.length > 4 && f[4].equals("truncated"));
                }
                case "#skip" -> new Record.Skip(f[1], Integer.parseInt(f[2]), f.length > 3 ? f[3] : "");
                case "#redirect" -> {
                    if (f.length < 4) throw bad(path, lineNo, "#redirect has 4 fields");
                    yield new Record.Redirect(f[1], Integer.parseInt(f[2]), f[3]);
                }
                case "#error" -> new Record.Error(f[1], f.length > 2 ? f[2] : "", f.length > 3 ? f[3] : "");
                default -> throw bad(path, lineNo, "a record is #page, #skip, #redirect or #error");
            };
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw bad(path, lineNo, "the record's fields are complete");
        }
    }

    private static NotACrawlOutputException bad(Path path, int line, String expected) {
        return new NotACrawlOutputException(path + ":" + line + " does not read as a railyard crawl output (expected: "
                + expected + "); was the file edited? Crawl into a new file instead");
    }
}
