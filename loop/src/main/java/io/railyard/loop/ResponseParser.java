package io.railyard.loop;

import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;

/**
 * An incremental HTTP/1.1 response parser: bytes go in as they arrive, in pieces of any size, and it
 * says when a whole response is there. Message framing follows RFC 9112 section 6.3: no body for
 * HEAD, 1xx, 204 and 304; chunked when the last transfer coding is chunked; else
 * {@code Content-Length}; else the body runs until the server closes the connection.
 *
 * <p>Written for this client rather than using Netty's general {@code HttpObjectDecoder}: one
 * object per connection, no message objects per response. That halves the code a response runs
 * through, which is what a short (cold, C1-compiled) run pays. The head is read as bytes into a
 * buffer the parser keeps: the framing is decided from those bytes, and the response gets a copy of
 * its field lines ({@link HeaderFields}), whose names and values become strings only if asked for.
 * Three strings a header line were half of what a cold {@code run io} allocated (docs/startup.md).
 *
 * <pre>
 *   STATUS -> HEADERS -+-> (no body) ------------------------------------------> DONE
 *     ^                +-> FIXED (Content-Length) -----------------------------> DONE
 *     | 1xx            +-> CHUNK_SIZE -> CHUNK_DATA -> CHUNK_END -> CHUNK_SIZE
 *     +----------------+        | size 0 -> TRAILERS ----------------------------> DONE
 *                      +-> UNTIL_CLOSE --(connection closed)-------------------> DONE
 * </pre>
 *
 * <p>Loop-confined, like the connection that owns it.
 */
final class ResponseParser {

    enum State { STATUS, HEADERS, FIXED, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, UNTIL_CLOSE, DONE }

    static final int MAX_LINE = 16 << 10;
    static final int MAX_HEAD = 64 << 10;

    private State state = State.DONE;
    private boolean headRequest;
    /** The request cuts long bodies instead of failing them (the exchange stops the parse at its limit). */
    private boolean truncating;
    private int headBytes;
    private long remaining;
    /**
     * The head being read: after the status line, its field lines, each without its CR LF, and the
     * line being read from {@link #lineStart} on. After the head, a chunked body's line being read.
     */
    private byte[] head = new byte[256];
    private int headLength, lineStart;
    /** Per field line in {@link #head}: start, colon (-1: a folded line), end. */
    private int[] lines = new int[3 * 8];
    private int lineCount;

    // the response being parsed
    int status;
    String version;
    HeaderFields fields;
    boolean keepAlive;
    /** The body ends when the connection does: such a connection cannot be reused. */
    boolean closeDelimited;

    void begin(boolean headRequest) {
        begin(headRequest, false);
    }

    /** Starts a new response, to a request that was (or was not) HEAD, and that does (or not) truncate long bodies. */
    void begin(boolean headRequest, boolean truncating) {
        this.headRequest = headRequest;
        this.truncating = truncating;
        startMessage();
    }

    private void startMessage() {
        state = State.STATUS;
        headBytes = 0;
        headLength = 0;
        lineStart = 0;
        lineCount = 0;
        status = 0;
        version = null;
        fields = HeaderFields.NONE;
        keepAlive = false;
        closeDelimited = false;
    }

    boolean started() {
        return state != State.STATUS || headLength > 0;
    }

    /**
     * Consumes bytes of {@code in} into the response (body bytes go to {@code ex}); returns true once
     * the response is complete. Bytes after the end of the response are left in {@code in}.
     */
    boolean feed(ByteBuf in, Exchange ex) throws IOException {
        while (in.isReadable() && state != State.DONE) {
            switch (state) {
                case STATUS -> {
                    if (!headLine(in)) return false;
                    if (headLength == 0) continue; // tolerated: stray CRLF before the status line
                    statusLine(headLength);
                    headLength = 0;
                    state = State.HEADERS;
                }
                case HEADERS -> {
                    if (!headLine(in)) return false;
                    if (headLength == lineStart) endOfHead();
                    else field(lineStart, headLength);
                    lineStart = headLength;
                }
                case FIXED -> {
                    int n = (int) Math.min(remaining, in.readableBytes());
                    ex.append(in, n);
                    remaining -= n;
                    if (remaining == 0) state = State.DONE;
                }
                case CHUNK_SIZE -> {
                    String line = line(in);
                    if (line == null) return false;
                    remaining = chunkSize(line);
                    state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
                }
                case CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, in.readableBytes());
                    ex.append(in, n);
                    remaining -= n;
                    if (remaining == 0) state = State.CHUNK_END;
                }
                case CHUNK_END -> {
                    String line = line(in);
                    if (line == null) return false;
                    if (!line.isEmpty()) throw malformed("chunk data longer than its size");
                    state = State.CHUNK_SIZE;
                }
                case TRAILERS -> {
                    String line = line(in);
                    if (line == null) return false;
                    if (line.isEmpty()) state = State.DONE; // trailer fields are read and dropped
                }
                case UNTIL_CLOSE -> ex.append(in, in.readableBytes());
                case DONE -> throw new IllegalStateException("unreachable");
            }
        }
        return state == State.DONE;
    }

    /**
     * The connection closed. Returns true if that completed a body delimited by the close; throws if
     * it cut a response short; returns false if no response had begun.
     */
    boolean closed() throws IOException {
        if (state == State.UNTIL_CLOSE) {
            state = State.DONE;
            return true;
        }
        if (state == State.DONE || !started()) return false;
        throw new IOException("the connection closed in the middle of the response (" + describe() + ")");
    }

    private String describe() {
        return switch (state) {
            case STATUS, HEADERS -> "while reading its head";
            case FIXED -> remaining + " body bytes missing";
            case CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS -> "inside its chunked body";
            default -> state.name().toLowerCase(Locale.ROOT);
        };
    }

    /**
     * Reads the next line into {@link #head} from {@link #lineStart}, without its CR LF; returns false
     * if its end has not arrived (what did arrive is kept). Lines of the head and the trailers count
     * toward {@link #MAX_HEAD}.
     */
    private boolean headLine(ByteBuf in) throws IOException {
        int start = in.readerIndex();
        int lf = in.indexOf(start, in.writerIndex(), (byte) '\n');
        int end = lf < 0 ? in.writerIndex() : lf;
        int length = end - start;
        if (headLength - lineStart + length > MAX_LINE) throw malformed("a line longer than " + MAX_LINE + " bytes");
        if (state == State.STATUS || state == State.HEADERS || state == State.TRAILERS) {
            headBytes += length + 1;
            if (headBytes > MAX_HEAD) throw malformed("a head longer than " + MAX_HEAD + " bytes");
        }
        if (headLength + length > head.length) head = Arrays.copyOf(head, Math.max(head.length * 2, headLength + length));
        in.getBytes(start, head, headLength, length);
        headLength += length;
        if (lf < 0) {
            in.readerIndex(end);
            return false;
        }
        in.readerIndex(lf + 1);
        if (headLength > lineStart && head[headLength - 1] == '\r') headLength--;
        return true;
    }

    /** The next line of a chunked body (a size, a chunk's end, a trailer) without its CR LF, or null if its end has not arrived. */
    private String line(ByteBuf in) throws IOException {
        if (!headLine(in)) return null;
        String s = text(lineStart, headLength);
        headLength = lineStart; // the buffer holds one such line at a time
        return s;
    }

    /** The status line, {@code head[0, end)}. */
    private void statusLine(int end) throws IOException {
        int sp = indexOf(0, end, ' ');
        if (sp < 0 || !startsWith(0, end, "HTTP/1.") || end < sp + 4) throw malformed("status line '" + text(0, end) + "'");
        version = sp == 8 && startsWith(0, sp, "HTTP/1.1") ? "HTTP/1.1" : sp == 8 && startsWith(0, sp, "HTTP/1.0") ? "HTTP/1.0" : text(0, sp);
        int code = 0;
        for (int i = sp + 1; i < sp + 4; i++) {
            int c = head[i];
            if (c < '0' || c > '9') throw malformed("status line '" + text(0, end) + "'");
            code = code * 10 + (c - '0');
        }
        if (end > sp + 4 && head[sp + 4] != ' ') throw malformed("status line '" + text(0, end) + "'");
        status = code;
    }

    /** A field line, {@code head[from, to)}: checked, and where its colon is kept. */
    private void field(int from, int to) throws IOException {
        int first = head[from];
        int colon;
        if (first == ' ' || first == '\t') { // obsolete line folding: continues the previous value
            if (lineCount == 0) throw malformed("a folded line before any header");
            colon = -1;
        } else {
            colon = indexOf(from, to, ':');
            if (colon <= from) throw malformed("header line '" + text(from, to) + "'");
            int last = head[colon - 1];
            if (last == ' ' || last == '\t') throw malformed("whitespace before the colon of header '" + text(from, colon).strip() + "'");
        }
        if (3 * lineCount + 3 > lines.length) lines = Arrays.copyOf(lines, lines.length * 2);
        lines[3 * lineCount] = from;
        lines[3 * lineCount + 1] = colon;
        lines[3 * lineCount + 2] = to;
        lineCount++;
    }

    /** The blank line after the headers: decide how the body is framed. */
    private void endOfHead() throws IOException {
        if (status >= 100 && status < 200 && status != 101) { // informational: the real response follows
            boolean toHead = headRequest;
            startMessage();
            headRequest = toHead;
            return;
        }
        String connection = null, transferEncoding = null;
        int lengthFrom = -1, lengthTo = -1;
        for (int i = 0; i < lineCount; i++) {
            int from = lines[3 * i], colon = lines[3 * i + 1];
            if (colon < 0) continue; // a folded line: read with the field it continues
            if (isName(from, colon, "content-length")) {
                if (i + 1 < lineCount && lines[3 * i + 4] < 0) throw malformed("Content-Length '" + value(i) + "'");
                int vFrom = HeaderFields.valueFrom(head, lines, i), vTo = HeaderFields.valueTo(head, lines, i, vFrom);
                if (lengthFrom >= 0 && !Arrays.equals(head, lengthFrom, lengthTo, head, vFrom, vTo)) throw malformed("conflicting Content-Length headers");
                lengthFrom = vFrom;
                lengthTo = vTo;
            } else if (isName(from, colon, "transfer-encoding")) {
                transferEncoding = transferEncoding == null ? value(i) : transferEncoding + "," + value(i);
            } else if (isName(from, colon, "connection")) {
                connection = connection == null ? value(i) : connection + "," + value(i);
            }
        }
        fields = new HeaderFields(Arrays.copyOf(head, headLength), Arrays.copyOf(lines, 3 * lineCount));
        headLength = 0; // the buffer is free for the chunked body's lines
        keepAlive = version.equals("HTTP/1.1") ? !hasToken(connection, "close") : hasToken(connection, "keep-alive");
        if (headRequest || status == 101 || status == 204 || status == 304) {
            state = State.DONE;
        } else if (transferEncoding != null) {
            if (lastToken(transferEncoding).equalsIgnoreCase("chunked")) state = State.CHUNK_SIZE;
            else untilClose();
        } else if (lengthFrom >= 0) {
            remaining = parseLength(lengthFrom, lengthTo);
            if (remaining > LoopHttpClient.MAX_BODY_BYTES && !truncating) throw new BodyLimitException("a response body of " + remaining
                    + " bytes is over the client's limit of " + LoopHttpClient.MAX_BODY_BYTES);
            state = remaining == 0 ? State.DONE : State.FIXED;
        } else {
            untilClose();
        }
    }

    private void untilClose() {
        closeDelimited = true;
        state = State.UNTIL_CLOSE;
    }

    /** The body's size when Content-Length announced it, else -1. */
    long announcedLength() {
        return state == State.FIXED ? remaining : -1;
    }

    private long parseLength(int from, int to) throws IOException {
        if (from == to || to - from > 18) throw malformed("Content-Length '" + text(from, to) + "'");
        long n = 0;
        for (int i = from; i < to; i++) {
            int c = head[i];
            if (c < '0' || c > '9') throw malformed("Content-Length '" + text(from, to) + "'");
            n = n * 10 + (c - '0');
        }
        return n;
    }

    // the head's bytes (ISO-8859-1: a byte is a char)

    private int indexOf(int from, int to, char c) {
        for (int i = from; i < to; i++) if (head[i] == c) return i;
        return -1;
    }

    private boolean startsWith(int from, int to, String prefix) {
        if (to - from < prefix.length()) return false;
        for (int i = 0; i < prefix.length(); i++) if (head[from + i] != prefix.charAt(i)) return false;
        return true;
    }

    /** Whether {@code head[from, to)} is {@code lowerCaseName}, in any case. */
    private boolean isName(int from, int to, String lowerCaseName) {
        if (to - from != lowerCaseName.length()) return false;
        for (int i = 0; i < lowerCaseName.length(); i++) {
            int c = head[from + i];
            if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
            if (c != lowerCaseName.charAt(i)) return false;
        }
        return true;
    }

    private String text(int from, int to) {
        return HeaderFields.text(head, from, to);
    }

    /** Field line {@code i}'s value, folded lines joined ({@link HeaderFields#value}). */
    private String value(int i) {
        return HeaderFields.value(head, lines, lineCount, i);
    }

    private long chunkSize(String line) throws IOException {
        int end = line.indexOf(';');
        String hex = (end < 0 ? line : line.substring(0, end)).strip();
        if (hex.isEmpty() || hex.length() > 15) throw malformed("chunk size '" + line + "'");
        long n = 0;
        for (int i = 0; i < hex.length(); i++) {
            int d = Character.digit(hex.charAt(i), 16);
            if (d < 0) throw malformed("chunk size '" + line + "'");
            n = n * 16 + d;
        }
        if (n > LoopHttpClient.MAX_BODY_BYTES && !truncating) throw new BodyLimitException("a chunk of " + n + " bytes is over the client's body limit");
        return n;
    }

    /** Whether the comma-separated {@code list} holds {@code token}, in any case (no allocation). */
    private static boolean hasToken(String list, String token) {
        if (list == null) return false;
        int at = 0, n = list.length();
        while (at <= n) {
            int comma = list.indexOf(',', at);
            int end = comma < 0 ? n : comma, from = at;
            while (from < end && Character.isWhitespace(list.charAt(from))) from++;
            int to = end;
            while (to > from && Character.isWhitespace(list.charAt(to - 1))) to--;
            if (to - from == token.length() && list.regionMatches(true, from, token, 0, token.length())) return true;
            if (comma < 0) return false;
            at = comma + 1;
        }
        return false;
    }

    private static String lastToken(String list) {
        int comma = list.lastIndexOf(',');
        return (comma < 0 ? list : list.substring(comma + 1)).strip();
    }

    private static IOException malformed(String what) {
        return new IOException("malformed HTTP response: " + what);
    }
}
