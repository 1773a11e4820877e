package io.railyard.loop;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A response's header fields as they arrived: the bytes of its field lines (each without its CR LF)
 * and, for each line, where it starts, where its colon is (-1 for an obsolete folded line, which
 * continues the value before it) and where it ends. Names and values become strings only when first
 * asked for: the loop's client reads a response's framing from the bytes ({@link ResponseParser}),
 * and a run that asks nothing of its responses' headers makes no string of them.
 *
 * <p>Immutable and thread-safe: the strings are made at most once per thread that asks, into an
 * immutable list, so a race between two threads only makes the same list twice.
 */
final class HeaderFields {

    static final HeaderFields NONE = new HeaderFields(new byte[0], new int[0]);

    private final byte[] bytes;
    /** Per line: start, colon (-1: folded), end. */
    private final int[] lines;
    /** name, value, name, value... as received, folded lines joined; made on first use. */
    private List<String> list;

    HeaderFields(byte[] bytes, int[] lines) {
        this.bytes = bytes;
        this.lines = lines;
    }

    /** name, value, name, value... as received, a folded line joined to the value before it by a space. */
    List<String> list() {
        List<String> l = list;
        if (l == null) list = l = build();
        return l;
    }

    private List<String> build() {
        int count = lines.length / 3;
        List<String> l = new ArrayList<>(count * 2);
        for (int i = 0; i < count; i++) {
            int colon = lines[3 * i + 1];
            if (colon < 0) continue; // a folded line: joined to the value it continues
            l.add(text(bytes, lines[3 * i], colon));
            l.add(value(bytes, lines, count, i));
        }
        return List.copyOf(l);
    }

    // the one reading of field lines, for this class and for the parser's framing (ResponseParser)

    /** Whitespace as {@link String#strip()} sees it. */
    private static boolean isSpace(byte b) {
        return Character.isWhitespace((char) (b & 0xff));
    }

    /** The start of field line {@code i}'s value in {@code bytes}: after its colon and any whitespace. */
    static int valueFrom(byte[] bytes, int[] lines, int i) {
        int at = lines[3 * i + 1] + 1, to = lines[3 * i + 2];
        while (at < to && isSpace(bytes[at])) at++;
        return at;
    }

    /** The end of field line {@code i}'s value, which starts at {@code from} ({@link #valueFrom}), before any trailing whitespace. */
    static int valueTo(byte[] bytes, int[] lines, int i, int from) {
        int to = lines[3 * i + 2];
        while (to > from && isSpace(bytes[to - 1])) to--;
        return to;
    }

    /**
     * Field line {@code i}'s value as a string, the folded lines that continue it (among the first
     * {@code count}) joined to it by a space.
     */
    static String value(byte[] bytes, int[] lines, int count, int i) {
        int from = valueFrom(bytes, lines, i);
        String v = text(bytes, from, valueTo(bytes, lines, i, from));
        for (int j = i + 1; j < count && lines[3 * j + 1] < 0; j++) v = v + " " + text(bytes, lines[3 * j], lines[3 * j + 2]).strip();
        return v;
    }

    static String text(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
