package io.railyard.crawl;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which character encoding an HTML page is in, decided the way browsers decide (the WHATWG HTML
 * standard's "determining the character encoding", in its steps that apply to a whole body):
 * <ol>
 *   <li>a byte order mark (UTF-8, UTF-16BE, UTF-16LE);</li>
 *   <li>the {@code charset} of the Content-Type header;</li>
 *   <li>a {@code <meta charset>} or {@code <meta http-equiv="Content-Type">} in the first 1024 bytes
 *       (the prescan);</li>
 *   <li>else, with nothing declared: UTF-8 when the bytes are valid UTF-8, else windows-1252 (the
 *       standard's fallback for documents without a declaration).</li>
 * </ol>
 * Labels are read as the WHATWG Encoding standard reads them where it differs from Java: {@code
 * iso-8859-1}, {@code latin1} and {@code us-ascii} mean windows-1252, and a {@code <meta>} that
 * says UTF-16 means UTF-8. A label Java does not know is skipped to the next step.
 *
 * <p>Stateless; thread-safe.
 */
public final class HtmlCharset {

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    private static final Pattern META = Pattern.compile("<meta\\b[^>]*?charset\\s*=\\s*[\"']?\\s*([a-zA-Z0-9_:.+-]+)",
            Pattern.CASE_INSENSITIVE);

    private HtmlCharset() {}

    /** The text of an HTML body, decoded as {@link #of} says (the byte order mark dropped). */
    public static String decode(byte[] body, String contentType) {
        Charset declared = declared(body, contentType);
        if (declared != null) {
            int bom = bomLength(body);
            return new String(body, bom, body.length - bom, declared);
        }
        // Nothing declared. Decoding UTF-8 replaces every malformed sequence with U+FFFD, so a text
        // without one came from valid UTF-8: a valid page is decoded once instead of checked then decoded
        String utf8 = new String(body, StandardCharsets.UTF_8);
        return utf8.indexOf('\uFFFD') < 0 || validUtf8(body) ? utf8 : new String(body, WINDOWS_1252);
    }

    /** The encoding of an HTML body with this Content-Type header (may be null). */
    public static Charset of(byte[] body, String contentType) {
        Charset declared = declared(body, contentType);
        if (declared != null) return declared;
        return validUtf8(body) ? StandardCharsets.UTF_8 : WINDOWS_1252;
    }

    /** The first three steps: a byte order mark, the header's {@code charset}, the prescan; null when none says. */
    private static Charset declared(byte[] body, String contentType) {
        Charset bom = bom(body);
        if (bom != null) return bom;
        Charset header = label(charsetParameter(contentType), false);
        if (header != null) return header;
        return prescan(body);
    }

    /** The {@code charset} parameter of a Content-Type value, or null. */
    static String charsetParameter(String contentType) {
        if (contentType == null) return null;
        int i = contentType.toLowerCase(Locale.ROOT).indexOf("charset=");
        if (i < 0) return null;
        String name = contentType.substring(i + 8).split(";")[0].strip().replace("\"", "").replace("'", "");
        return name.isEmpty() ? null : name;
    }

    /** A label as a charset, WHATWG's way; null if unknown. */
    static Charset label(String name, boolean fromMeta) {
        if (name == null) return null;
        String n = name.strip().toLowerCase(Locale.ROOT);
        switch (n) {
            case "iso-8859-1", "iso8859-1", "latin1", "l1", "ascii", "us-ascii", "iso_8859-1", "cp819", "ibm819", "windows-1252", "cp1252", "x-cp1252":
                return WINDOWS_1252;
            case "utf8", "unicode-1-1-utf-8":
                return StandardCharsets.UTF_8;
            default:
                break;
        }
        if (fromMeta && n.startsWith("utf-16")) return StandardCharsets.UTF_8;
        try {
            return Charset.isSupported(n) ? Charset.forName(n) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Charset prescan(byte[] body) {
        String head = new String(body, 0, Math.min(body.length, 1024), StandardCharsets.ISO_8859_1);
        int meta = indexOfMeta(head);
        if (meta < 0) return null; // most pages: the regular expression would try each of the 1024 bytes
        Matcher m = META.matcher(head).region(meta, head.length());
        while (m.find()) {
            Charset cs = label(m.group(1), true);
            if (cs != null) return cs;
        }
        return null;
    }

    /** Where the first {@code <meta} in any case starts in {@code s}; -1 if nowhere. */
    static int indexOfMeta(String s) {
        for (int i = s.indexOf('<'); i >= 0; i = s.indexOf('<', i + 1)) {
            if (s.regionMatches(true, i + 1, "meta", 0, 4)) return i;
        }
        return -1;
    }

    private static Charset bom(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf) return StandardCharsets.UTF_8;
        if (b.length >= 2 && (b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff) return StandardCharsets.UTF_16BE;
        if (b.length >= 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe) return StandardCharsets.UTF_16LE;
        return null;
    }

    private static int bomLength(byte[] b) {
        Charset cs = bom(b);
        return cs == null ? 0 : cs == StandardCharsets.UTF_8 ? 3 : 2;
    }

    /** Valid UTF-8, allowing the last sequence to be cut short (a page cut at the size cap). */
    static boolean validUtf8(byte[] b) {
        int i = 0;
        while (i < b.length && b[i] >= 0) i++; // the ASCII prefix, usually all of it
        if (i == b.length) return true;
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b, i, b.length - i);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(4096);
        while (true) {
            CoderResult r = d.decode(in, out, false);
            if (r.isError()) return false;
            if (r.isUnderflow()) return in.remaining() < 4; // what is left is at most a cut sequence
            out.clear();
        }
    }
}
