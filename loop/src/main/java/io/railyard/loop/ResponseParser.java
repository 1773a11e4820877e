package io.railyard.loop;

import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An incremental HTTP/1.1 response parser: bytes go in as they arrive, in pieces of any size, and it
 * says when a whole response is there. Message framing follows RFC 9112 section 6.3: no body for
 * HEAD, 1xx, 204 and 304; chunked when the last transfer coding is chunked; else
 * {@code Content-Length}; else the body runs until the server closes the connection.
 *
 * <p>Written for this client rather than using Netty's general {@code HttpObjectDecoder}: one
 * object per connection, no message objects per response, header values kept as plain strings.
 * That halves the code a response runs through, which is what a short (cold, C1-compiled) run pays.
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
    /** The part of a line that arrived without its end. */
    private final StringBuilder partial = new StringBuilder();
    private int headBytes;
    private long remaining;

    // the response being parsed
    int status;
    String version;
    List<String> headers;
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
        partial.setLength(0);
        headBytes = 0;
        status = 0;
        version = null;
        headers = new ArrayList<>(16);
        keepAlive = false;
        closeDelimited = false;
    }

    boolean started() {
        return state != State.STATUS || partial.length() > 0;
    }

    /**
     * Consumes bytes of {@code in} into the response (body bytes go to {@code ex}); returns true once
     * the response is complete. Bytes after the end of the response are left in {@code in}.
     */
    boolean feed(ByteBuf in, Exchange ex) throws IOException {
        while (in.isReadable() && state != State.DONE) {
            switch (state) {
                case STATUS -> {
                    String line = line(in);
                    if (line == null) return false;
                    if (line.isEmpty()) continue; // tolerated: stray CRLF before the status line
                    statusLine(line);
                    state = State.HEADERS;
                }
                case HEADERS -> {
                    String line = line(in);
                    if (line == null) return false;
                    if (line.isEmpty()) endOfHead();
                    else header(line);
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

    /** The next line without its CR LF, or null if its end has not arrived (the start is kept). */
    private String line(ByteBuf in) throws IOException {
        int start = in.readerIndex();
        int lf = in.indexOf(start, in.writerIndex(), (byte) '\n');
        int end = lf < 0 ? in.writerIndex() : lf;
        int length = end - start;
        if (partial.length() + length > MAX_LINE) throw malformed("a line longer than " + MAX_LINE + " bytes");
        if (state == State.STATUS || state == State.HEADERS || state == State.TRAILERS) {
            headBytes += length + 1;
            if (headBytes > MAX_HEAD) throw malformed("a head longer than " + MAX_HEAD + " bytes");
        }
        if (lf < 0) {
            partial.append(in.toString(start, length, StandardCharsets.ISO_8859_1));
            in.readerIndex(end);
            return null;
        }
        if (length > 0 && in.getByte(end - 1) == '\r') length--;
        String s = in.toString(start, length, StandardCharsets.ISO_8859_1);
        in.readerIndex(lf + 1);
        if (partial.length() == 0) return s;
        String whole = partial.append(s).toString();
        partial.setLength(0);
        return whole.endsWith("\r") ? whole.substring(0, whole.length() - 1) : whole;
    }

    private void statusLine(String line) throws IOException {
        int sp = line.indexOf(' ');
        if (sp < 0 || !line.startsWith("HTTP/1.") || line.length() < sp + 4) throw malformed("status line '" + line + "'");
        version = line.substring(0, sp);
        int code = 0;
        for (int i = sp + 1; i < sp + 4; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') throw malformed("status line '" + line + "'");
            code = code * 10 + (c - '0');
        }
        if (line.length() > sp + 4 && line.charAt(sp + 4) != ' ') throw malformed("status line '" + line + "'");
        status = code;
    }

    private void header(String line) throws IOException {
        char first = line.charAt(0);
        if (first == ' ' || first == '\t') { // obsolete line folding: joins the previous value
            if (headers.isEmpty()) throw malformed("a folded line before any header");
            int last = headers.size() - 1;
            headers.set(last, headers.get(last) + " " + line.strip());
            return;
        }
        int colon = line.indexOf(':');
        if (colon <= 0) throw malformed("header line '" + line + "'");
        String name = line.substring(0, colon);
        if (name.charAt(name.length() - 1) == ' ' || name.charAt(name.length() - 1) == '\t')
            throw malformed("whitespace before the colon of header '" + name.strip() + "'");
        headers.add(name);
        headers.add(line.substring(colon + 1).strip());
    }

    /** The blank line after the headers: decide how the body is framed. */
    private void endOfHead() throws IOException {
        if (status >= 100 && status < 200 && status != 101) { // informational: the real response follows
            boolean head = headRequest;
            startMessage();
            headRequest = head;
            return;
        }
        String connection = null, transferEncoding = null, contentLength = null;
        for (int i = 0; i < headers.size(); i += 2) {
            String name = headers.get(i);
            String value = headers.get(i + 1);
            if (name.equalsIgnoreCase("content-length")) {
                if (contentLength != null && !contentLength.equals(value)) throw malformed("conflicting Content-Length headers");
                contentLength = value;
            } else if (name.equalsIgnoreCase("transfer-encoding")) {
                transferEncoding = transferEncoding == null ? value : transferEncoding + "," + value;
            } else if (name.equalsIgnoreCase("connection")) {
                connection = connection == null ? value : connection + "," + value;
            }
        }
        keepAlive = version.equals("HTTP/1.1") ? !hasToken(connection, "close") : hasToken(connection, "keep-alive");
        if (headRequest || status == 101 || status == 204 || status == 304) {
            state = State.DONE;
        } else if (transferEncoding != null) {
            if (lastToken(transferEncoding).equalsIgnoreCase("chunked")) state = State.CHUNK_SIZE;
            else untilClose();
        } else if (contentLength != null) {
            remaining = parseLength(contentLength);
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

    private long parseLength(String v) throws IOException {
        if (v.isEmpty() || v.length() > 18) throw malformed("Content-Length '" + v + "'");
        long n = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') throw malformed("Content-Length '" + v + "'");
            n = n * 10 + (c - '0');
        }
        return n;
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

    private static boolean hasToken(String list, String token) {
        if (list == null) return false;
        for (String t : list.split(",")) if (t.strip().equalsIgnoreCase(token)) return true;
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
