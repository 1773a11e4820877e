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
        List<String> l = new ArrayList<>(lines.length / 3 * 2);
        for (int i = 0; i < lines.length; i += 3) {
            int start = lines[i], colon = lines[i + 1], end = lines[i + 2];
            if (colon < 0) {
                int last = l.size() - 1;
                l.set(last, l.get(last) + " " + text(start, end).strip());
            } else {
                l.add(text(start, colon));
                l.add(text(colon + 1, end).strip());
            }
        }
        return List.copyOf(l);
    }

    private String text(int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
