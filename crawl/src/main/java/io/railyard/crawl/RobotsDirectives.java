package io.railyard.crawl;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A page's robots directives: the {@code content} of {@code <meta name="robots">} (or of a meta
 * named after the crawler's product token) and the {@code X-Robots-Tag} response headers, whose
 * values may be addressed to one crawler ({@code X-Robots-Tag: otherbot: noindex}; such a value
 * counts only when it names ours). {@code none} means {@code noindex, nofollow}.
 *
 * <p>Stateless; thread-safe.
 */
public final class RobotsDirectives {

    /** Directives whose own syntax has a colon: not a user-agent prefix. */
    private static final Set<String> WITH_VALUE = Set.of("unavailable_after", "max-snippet", "max-image-preview", "max-video-preview");

    private RobotsDirectives() {}

    /**
     * The directives that apply to the crawler {@code token}, lower case, each once, joined by
     * {@code ", "}; "" when none.
     */
    public static String combine(List<String> metaContents, List<String> headerValues, String token) {
        if (metaContents.isEmpty() && headerValues.isEmpty()) return ""; // most pages
        Set<String> out = new LinkedHashSet<>();
        for (String m : metaContents) add(out, m);
        String me = token.toLowerCase(Locale.ROOT);
        for (String h : headerValues) {
            if (h == null) continue;
            int colon = h.indexOf(':');
            if (colon > 0) {
                String prefix = h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                if (!prefix.isEmpty() && prefix.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_')
                        && !WITH_VALUE.contains(prefix)) {
                    if (prefix.equals(me)) add(out, h.substring(colon + 1));
                    continue;
                }
            }
            add(out, h);
        }
        return String.join(", ", out);
    }

    private static void add(Set<String> out, String content) {
        if (content == null) return;
        for (String d : content.split(",")) {
            String x = d.strip().toLowerCase(Locale.ROOT);
            if (!x.isEmpty()) out.add(x);
        }
    }

    /** Whether {@code directives} (as {@link #combine} writes them) hold {@code which} ({@code noindex} or {@code nofollow}). */
    public static boolean has(String directives, String which) {
        if (directives == null || directives.isEmpty()) return false;
        for (String d : directives.split(",")) {
            String x = d.strip();
            if (x.equals(which) || x.equals("none")) return true;
        }
        return false;
    }
}
