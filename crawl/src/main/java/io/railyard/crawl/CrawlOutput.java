package io.railyard.crawl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

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
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The crawl's output file, in one of two formats, written so that a crash never leaves a
 * half-written record and a crawl can be resumed from the file alone.
 *
 * <h2>{@code tsv} (the default; UTF-8, one record per line, fields separated by TAB)</h2>
 * <pre>
 *   #railyard-crawl  1                          first line: what the file is, format version
 *   SOURCE  LINK                                one line per distinct link of a page (document order)
 *   ...
 *   #page      SOURCE  STATUS  N  [FLAGS]       closes the page's block: N link lines precede it;
 *                                               FLAGS: truncated, noindex, nofollow (comma-separated)
 *   #skip      URL     STATUS  CONTENT-TYPE     fetched, not HTML
 *   #redirect  URL     STATUS  LOCATION         the crawl went on at LOCATION
 *   #error     URL     KIND    DETAIL           failed for good (retries spent or not retryable)
 *   SITEMAP    URL                              one line per URL a sitemap lists
 *   #sitemap   SITEMAP STATUS  N  [index]       closes the sitemap's block (index: its URLs are sitemaps)
 * </pre>
 * Lines starting with {@code #} are records, never links (a normalised URL starts with its
 * scheme), so {@code grep -v '^#'} leaves exactly the {@code source<TAB>link} lines (a sitemap's
 * lines among them, with the sitemap as their source). Every URL fetched gets exactly one record; a
 * page's link lines come right before its {@code #page} record.
 *
 * <h2>{@code jsonl} (one JSON object per line, one line per URL fetched)</h2>
 * <pre>
 *   {"type":"page","url":U,"final_url":U,"depth":D,"status":200,"content_type":..,"content_encoding":"gzip",
 *    "wire_bytes":..,"decoded_bytes":..,"fetch_ms":..,"truncated":false,"title":..,"canonical":..,
 *    "robots":"noindex, nofollow","noindex":true,"nofollow":true,"redirected_from":..,"links":[{"url":L,"rel":"nofollow"},..]}
 *   {"type":"skip","url":..,"final_url":..,"depth":..,"status":..,"content_type":..,"content_encoding":..,"wire_bytes":..,..}
 *   {"type":"redirect","url":..,"final_url":LOCATION,"depth":..,"status":301,"location":LOCATION,"fetch_ms":..}
 *   {"type":"error","url":..,"depth":..,"kind":"http-404","status":404,"detail":..}
 *   {"type":"sitemap","url":..,"status":200,"index":false,"urls":[..],"dropped":0,"content_encoding":..,"wire_bytes":..,..}
 * </pre>
 * {@code final_url} is where the record's answer leads: the URL itself, or a redirect's target (which
 * has a record of its own); {@code redirected_from} names the first URL of the redirect chain that
 * led to a page. {@code depth} is the depth at which the URL was fetched; {@code robots} the page's
 * robots directives (meta tags and X-Robots-Tag).
 *
 * <h2>Why the file survives a crash</h2>
 * A record (a page's block with its link lines, a jsonl line) is one {@code write} to the file,
 * appended, done as the page completes, by one thread: records never interleave and are in the OS
 * the moment the write returns, so Ctrl-C or {@code kill -9} of the crawler loses at most the pages
 * in flight. A write cut by the death of the process (possible for a large record) leaves a tail
 * without its record line (tsv) or a line without its end (jsonl); {@link #resume} cuts that tail
 * off. {@link #close} forces the file to disk.
 *
 * <h2>What the file "holds" (resume)</h2>
 * The URLs with a record: they are not fetched again. {@link #resume} reads the records (and each
 * page's links, from which the crawler rebuilds its frontier: see {@link Crawler}), truncates
 * anything after the last record, and appends from there, in the file's own format. So a resumed
 * crawl writes each URL's record once, and its final file has the same records as an uninterrupted
 * crawl's (in another order: pages complete in whatever order the network answers).
 *
 * <p>Not the usual write-to-a-temporary-then-move: the point of this file is to be useful while the
 * crawl runs and after it dies.
 *
 * <p>Thread-safety: one thread writes (the crawler's coordinator); the static readers are
 * thread-safe.
 */
public final class CrawlOutput implements AutoCloseable {

    public static final String HEADER = "#railyard-crawl\t1";

    /** The file's format ({@code --format}). */
    public enum Format {
        TSV, JSONL;

        /** {@code tsv} or {@code jsonl}; null for anything else. */
        public static Format of(String name) {
            return switch (name.strip().toLowerCase(Locale.ROOT)) {
                case "tsv" -> TSV;
                case "jsonl" -> JSONL;
                default -> null;
            };
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One record of the file, with what a resumed crawl needs of it. */
    public sealed interface Record {
        String url();

        /**
         * @param nofollow the page's robots directives said nofollow (its links were not followed,
         *                 unless meta robots were ignored)
         */
        record Page(String url, int status, List<String> links, boolean truncated, boolean nofollow) implements Record {
            public Page {
                links = List.copyOf(links);
            }

            public Page(String url, int status, List<String> links, boolean truncated) {
                this(url, status, links, truncated, false);
            }
        }

        record Skip(String url, int status, String contentType) implements Record {}

        record Redirect(String url, int status, String location) implements Record {}

        record Error(String url, String kind, String detail) implements Record {}

        /** A sitemap and its URLs: pages, or more sitemaps for an {@code index}. */
        record Sitemap(String url, int status, boolean index, List<String> urls) implements Record {
            public Sitemap {
                urls = List.copyOf(urls);
            }
        }
    }

    /**
     * What a file holds.
     *
     * @param records    every whole record, in file order
     * @param validBytes the length of the file up to the end of its last record (or its header)
     * @param tailBytes  bytes after that: a record cut short by a crash
     * @param format     the file's format
     */
    public record Contents(List<Record> records, long validBytes, long tailBytes, Format format) {
        public Contents(List<Record> records, long validBytes, long tailBytes) {
            this(records, validBytes, tailBytes, Format.TSV);
        }
    }

    /** Another crawl (this process or another) holds the file's lock: it is writing there. */
    public static final class OutputInUseException extends IOException {
        public OutputInUseException(Path path) {
            super("another crawl is writing --out " + path + " (it holds the file's lock): wait for it to end, or give another --out");
        }
    }

    /**
     * Takes the lock of a regular file's whole content for as long as {@code ch} is open, so that a
     * second crawl on the same file is refused before it empties or appends to it (the lock is
     * advisory: it keeps out other crawls, not other programs). A pipe or a device is not locked.
     */
    private static void lock(Path path, boolean regularFile, FileChannel ch) throws IOException {
        if (!regularFile) return;
        java.nio.channels.FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException heldHere) {
            lock = null;
        }
        if (lock == null) {
            ch.close();
            throw new OutputInUseException(path);
        }
    }

    /** The file is not a crawl output, or was edited so that it no longer parses. */
    public static final class NotACrawlOutputException extends IOException {
        public NotACrawlOutputException(String message) {
            super(message);
        }
    }

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final Path path;
    private final FileChannel channel;
    private final Format format;
    /** Whether the output is a regular file, the only kind {@link #close} forces to disk (a pipe or a device cannot be). */
    private final boolean regularFile;
    private final ByteArrayOutputStream jsonBuffer = new ByteArrayOutputStream(4096);
    private long bytesWritten;

    private CrawlOutput(Path path, boolean regularFile, FileChannel channel, Format format) {
        this.path = path;
        this.channel = channel;
        this.format = format;
        this.regularFile = regularFile;
    }

    /** Creates (or empties) a tsv file and writes the header. */
    public static CrawlOutput create(Path path) throws IOException {
        return create(path, Format.TSV);
    }

    /**
     * Creates (or empties) the file (a tsv one with its header). Fails before anything is fetched if it
     * cannot, or when another crawl is writing it ({@link OutputInUseException}: the file is left as it is).
     */
    public static CrawlOutput create(Path path, Format format) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        boolean regularFile = Files.isRegularFile(path);
        lock(path, regularFile, ch);
        try {
            if (regularFile) ch.truncate(0);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        CrawlOutput out = new CrawlOutput(path, regularFile, ch, format);
        if (format == Format.TSV) out.write(HEADER + "\n");
        return out;
    }

    /**
     * Opens an existing output to continue it, in its own format: reads what it holds, cuts off a
     * torn tail, and appends after the last record. A missing or empty file starts a new output in
     * {@code formatIfNew}.
     *
     * @throws NotACrawlOutputException naming the line when the file is not one
     */
    public static Resumed resume(Path path, Format formatIfNew) throws IOException {
        if (!Files.exists(path) || Files.size(path) == 0)
            return new Resumed(create(path, formatIfNew), new Contents(List.of(), 0, 0, formatIfNew));
        FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE);
        boolean regularFile = Files.isRegularFile(path);
        lock(path, regularFile, ch); // before reading: another crawl may be appending
        Contents c;
        try {
            c = read(path);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        try {
            ch.truncate(c.validBytes());
            ch.position(c.validBytes());
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new Resumed(new CrawlOutput(path, regularFile, ch, c.format()), c);
    }

    /** {@link #resume(Path, Format)}, a new file in tsv. */
    public static Resumed resume(Path path) throws IOException {
        return resume(path, Format.TSV);
    }

    /** An output opened for resuming, and what it held. */
    public record Resumed(CrawlOutput output, Contents held) {}

    public Path path() {
        return path;
    }

    public Format format() {
        return format;
    }

    // ---------------------------------------------------------------- writing

    /**
     * A page's record (its links first, in tsv).
     *
     * @param depth the depth it was fetched at
     * @param via   the first URL of the redirect chain that led to it, or null
     */
    public void page(String url, int depth, String via, Fetched.Page p) throws IOException {
        if (format == Format.TSV) {
            StringBuilder block = new StringBuilder(64 * (p.links().size() + 1));
            for (String link : p.links()) block.append(url).append('\t').append(link).append('\n');
            StringJoiner flags = new StringJoiner(",");
            if (p.truncated()) flags.add("truncated");
            if (p.noindex()) flags.add("noindex");
            if (p.nofollow()) flags.add("nofollow");
            block.append("#page\t").append(url).append('\t').append(p.status()).append('\t').append(p.links().size());
            if (flags.length() > 0) block.append('\t').append(flags);
            write(block.append('\n').toString());
            return;
        }
        JsonGenerator g = fetched("page", url, url, depth, p.status());
        transfer(g, p.transfer());
        g.writeBooleanField("truncated", p.truncated());
        g.writeStringField("title", p.title());
        g.writeStringField("canonical", p.canonical());
        g.writeStringField("robots", p.robots());
        g.writeBooleanField("noindex", p.noindex());
        g.writeBooleanField("nofollow", p.nofollow());
        if (via != null) g.writeStringField("redirected_from", via);
        g.writeArrayFieldStart("links");
        for (int i = 0; i < p.links().size(); i++) {
            g.writeStartObject();
            g.writeStringField("url", p.links().get(i));
            g.writeStringField("rel", p.rels().get(i));
            g.writeEndObject();
        }
        g.writeEndArray();
        endJson(g);
    }

    /** A JSON record of an answer, opened with the fields every answered fetch has; the caller adds its own and ends it. */
    private JsonGenerator fetched(String type, String url, String finalUrl, int depth, int status) throws IOException {
        JsonGenerator g = json();
        g.writeStringField("type", type);
        g.writeStringField("url", url);
        g.writeStringField("final_url", finalUrl);
        g.writeNumberField("depth", depth);
        g.writeNumberField("status", status);
        return g;
    }

    /** A page's record with links only (tests, tools). */
    public void page(String url, int status, List<String> links, boolean truncated) throws IOException {
        page(url, 0, null, new Fetched.Page(status, links, truncated));
    }

    public void skip(String url, int depth, String via, Fetched.NotHtml s) throws IOException {
        if (format == Format.TSV) {
            write("#skip\t" + url + "\t" + s.status() + "\t" + Fetches.oneLine(s.contentType()) + "\n");
            return;
        }
        JsonGenerator g = fetched("skip", url, url, depth, s.status());
        Fetched.Transfer t = s.transfer();
        transfer(g, t.contentType().isEmpty() ? new Fetched.Transfer(s.contentType(), t.contentEncoding(), t.wireBytes(), t.decodedBytes(), t.fetchMillis()) : t);
        if (via != null) g.writeStringField("redirected_from", via);
        endJson(g);
    }

    public void skip(String url, int status, String contentType) throws IOException {
        skip(url, 0, null, new Fetched.NotHtml(status, contentType));
    }

    public void redirect(String url, int depth, Fetched.Redirect r) throws IOException {
        if (format == Format.TSV) {
            write("#redirect\t" + url + "\t" + r.status() + "\t" + r.location() + "\n");
            return;
        }
        JsonGenerator g = fetched("redirect", url, r.location(), depth, r.status());
        g.writeStringField("location", r.location());
        g.writeNumberField("fetch_ms", r.fetchMillis());
        endJson(g);
    }

    public void redirect(String url, int status, String location) throws IOException {
        redirect(url, 0, new Fetched.Redirect(status, location));
    }

    /**
     * @param status the HTTP status when the server answered (0 when it did not)
     */
    public void error(String url, int depth, String kind, int status, String detail) throws IOException {
        if (format == Format.TSV) {
            write("#error\t" + url + "\t" + Fetches.oneLine(kind) + "\t" + Fetches.oneLine(detail) + "\n");
            return;
        }
        JsonGenerator g = json();
        g.writeStringField("type", "error");
        g.writeStringField("url", url);
        g.writeNumberField("depth", depth);
        g.writeStringField("kind", kind);
        if (status > 0) g.writeNumberField("status", status);
        g.writeStringField("detail", Fetches.oneLine(detail));
        endJson(g);
    }

    public void error(String url, String kind, String detail) throws IOException {
        error(url, 0, kind, 0, detail);
    }

    /** A sitemap's record and its URLs. */
    public void sitemap(String url, Fetched.Sitemap s) throws IOException {
        if (format == Format.TSV) {
            StringBuilder block = new StringBuilder(64 * (s.urls().size() + 1));
            for (String u : s.urls()) block.append(url).append('\t').append(u).append('\n');
            block.append("#sitemap\t").append(url).append('\t').append(s.status()).append('\t').append(s.urls().size());
            if (s.index()) block.append("\tindex");
            write(block.append('\n').toString());
            return;
        }
        JsonGenerator g = json();
        g.writeStringField("type", "sitemap");
        g.writeStringField("url", url);
        g.writeNumberField("status", s.status());
        g.writeBooleanField("index", s.index());
        g.writeNumberField("dropped", s.dropped());
        transfer(g, s.transfer());
        g.writeArrayFieldStart("urls");
        for (String u : s.urls()) g.writeString(u);
        g.writeEndArray();
        endJson(g);
    }

    private static void transfer(JsonGenerator g, Fetched.Transfer t) throws IOException {
        g.writeStringField("content_type", t.contentType());
        g.writeStringField("content_encoding", t.contentEncoding());
        g.writeNumberField("wire_bytes", t.wireBytes());
        g.writeNumberField("decoded_bytes", t.decodedBytes());
        g.writeNumberField("fetch_ms", t.fetchMillis());
    }

    private JsonGenerator json() throws IOException {
        jsonBuffer.reset();
        JsonGenerator g = JSON.createGenerator(jsonBuffer);
        g.writeStartObject();
        return g;
    }

    private void endJson(JsonGenerator g) throws IOException {
        g.writeEndObject();
        g.close();
        jsonBuffer.write('\n');
        writeBytes(ByteBuffer.wrap(jsonBuffer.toByteArray()));
    }

    /** Bytes this object appended. */
    public long bytesWritten() {
        return bytesWritten;
    }

    private void write(String block) throws IOException {
        writeBytes(ByteBuffer.wrap(block.getBytes(StandardCharsets.UTF_8)));
    }

    private void writeBytes(ByteBuffer b) throws IOException {
        bytesWritten += b.remaining();
        while (b.hasRemaining()) channel.write(b);
    }

    /**
     * Forces the file to disk and closes it. An output that is no regular file ({@code --out /dev/stdout}
     * into a pipe, {@code /dev/null}) is only closed: the system refuses to sync those (EINVAL).
     */
    @Override
    public void close() throws IOException {
        if (!channel.isOpen()) return;
        try {
            if (regularFile) channel.force(false);
        } finally {
            channel.close();
        }
    }

    // ---------------------------------------------------------------- reading

    /** Reads a crawl output (either format): its whole records, and how much of it is a torn tail. */
    public static Contents read(Path path) throws IOException {
        Format format = null;
        List<Record> records = new ArrayList<>();
        List<String> pending = new ArrayList<>(); // tsv: link lines of the block being read
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
                    if (s.equals(HEADER)) {
                        format = Format.TSV;
                        valid = offset;
                        continue;
                    }
                    if (!s.startsWith("{"))
                        throw new NotACrawlOutputException(path + " is not a railyard crawl output (its first line is neither '"
                                + HEADER.replace('\t', ' ') + "' nor a jsonl record)");
                    format = Format.JSONL;
                }
                if (format == Format.JSONL) {
                    records.add(jsonRecord(path, lineNo, s));
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
            if (lineNo == 0) {
                if (line.size() > 0 && line.toByteArray()[0] == '{') format = Format.JSONL; // one torn jsonl line and nothing else
                else throw new NotACrawlOutputException(path + " is not a railyard crawl output (it has no whole line)");
            }
            offset += line.size();
        }
        return new Contents(records, valid, offset - valid, format);
    }

    private static Record record(Path path, int lineNo, String[] f, List<String> pending, String pendingSource) throws NotACrawlOutputException {
        String kind = f[0];
        boolean block = kind.equals("#page") || kind.equals("#sitemap");
        if (!block && !pending.isEmpty()) throw bad(path, lineNo, "link lines are followed by their #page record");
        try {
            return switch (kind) {
                case "#page", "#sitemap" -> {
                    if (f.length < 4) throw bad(path, lineNo, kind + " has 4 or 5 fields");
                    int n = Integer.parseInt(f[3]);
                    if (n != pending.size() || (n > 0 && !f[1].equals(pendingSource)))
                        throw bad(path, lineNo, kind + " " + f[1] + " closes its " + n + " link lines");
                    List<String> flags = f.length > 4 ? List.of(f[4].split(",")) : List.of();
                    if (kind.equals("#sitemap")) yield new Record.Sitemap(f[1], Integer.parseInt(f[2]), flags.contains("index"), pending);
                    yield new Record.Page(f[1], Integer.parseInt(f[2]), pending, flags.contains("truncated"), flags.contains("nofollow"));
                }
                case "#skip" -> new Record.Skip(f[1], Integer.parseInt(f[2]), f.length > 3 ? f[3] : "");
                case "#redirect" -> {
                    if (f.length < 4) throw bad(path, lineNo, "#redirect has 4 fields");
                    yield new Record.Redirect(f[1], Integer.parseInt(f[2]), f[3]);
                }
                case "#error" -> new Record.Error(f[1], f.length > 2 ? f[2] : "", f.length > 3 ? f[3] : "");
                default -> throw bad(path, lineNo, "a record is #page, #skip, #redirect, #error or #sitemap");
            };
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw bad(path, lineNo, "the record's fields are complete");
        }
    }

    /** One jsonl line as a record: only the fields a resumed crawl needs are read. */
    private static Record jsonRecord(Path path, int lineNo, String line) throws NotACrawlOutputException {
        String type = null, url = null, contentType = "", location = null, kind = "", detail = "";
        int status = 0;
        boolean truncated = false, nofollow = false, index = false;
        List<String> links = new ArrayList<>();
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw bad(path, lineNo, "a jsonl line is one JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "type" -> type = p.getValueAsString();
                    case "url" -> url = p.getValueAsString();
                    case "status" -> status = p.getValueAsInt();
                    case "content_type" -> contentType = p.getValueAsString("");
                    case "location" -> location = p.getValueAsString();
                    case "kind" -> kind = p.getValueAsString("");
                    case "detail" -> detail = p.getValueAsString("");
                    case "truncated" -> truncated = p.getValueAsBoolean();
                    case "nofollow" -> nofollow = p.getValueAsBoolean();
                    case "index" -> index = p.getValueAsBoolean();
                    case "links", "urls" -> {
                        if (t != JsonToken.START_ARRAY) throw bad(path, lineNo, field + " is an array");
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            if (p.currentToken() == JsonToken.VALUE_STRING) {
                                links.add(p.getText());
                            } else if (p.currentToken() == JsonToken.START_OBJECT) {
                                while (p.nextToken() == JsonToken.FIELD_NAME) {
                                    String f = p.currentName();
                                    p.nextToken();
                                    if (f.equals("url")) links.add(p.getText());
                                    else p.skipChildren();
                                }
                            } else {
                                throw bad(path, lineNo, field + " holds URLs");
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw bad(path, lineNo, "a jsonl line is one JSON object");
        }
        if (type == null || url == null) throw bad(path, lineNo, "a jsonl record has a type and a url");
        return switch (type) {
            case "page" -> new Record.Page(url, status, links, truncated, nofollow);
            case "skip" -> new Record.Skip(url, status, contentType);
            case "redirect" -> {
                if (location == null) throw bad(path, lineNo, "a redirect record has a location");
                yield new Record.Redirect(url, status, location);
            }
            case "error" -> new Record.Error(url, kind, detail);
            case "sitemap" -> new Record.Sitemap(url, status, index, links);
            default -> throw bad(path, lineNo, "a record's type is page, skip, redirect, error or sitemap");
        };
    }

    private static NotACrawlOutputException bad(Path path, int line, String expected) {
        return new NotACrawlOutputException(path + ":" + line + " does not read as a railyard crawl output (expected: "
                + expected + "); was the file edited? Crawl into a new file instead");
    }
}
