package io.railyard.crawl;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * HTTP content codings (RFC 9110 section 8.4): what the crawler asks for ({@link #ACCEPT_ENCODING})
 * and how a body that came with a {@code Content-Encoding} is decoded — {@code gzip} (several
 * members too), {@code deflate} (zlib-wrapped, as the RFC says, or raw, as some servers send it)
 * and {@code br} (brotli, by the pure-Java {@code org.brotli:dec}), stacked codings undone in
 * reverse order.
 *
 * <p>Decoding streams into a buffer that never grows past the cap (plus one byte, to know that
 * there was more): a body of a few MB that inflates to a GiB costs the cap in memory, not the GiB,
 * and is reported {@link Decoded#truncated()}. Both HTTP clients hand the wire bytes here, so every
 * model decodes alike.
 *
 * <p>Stateless; thread-safe.
 */
public final class ContentDecoding {

    /** The {@code Accept-Encoding} request header. */
    public static final String ACCEPT_ENCODING = "gzip, deflate, br";

    private ContentDecoding() {}

    /**
     * A decoded body.
     *
     * @param truncated the decoded body was longer than the cap and was cut there, or the wire body
     *                  had been cut and decoded as far as it went
     */
    public record Decoded(byte[] body, boolean truncated) {}

    /** A body that cannot be decoded: an unknown coding ({@link #unknownCoding()}), or corrupt data. */
    public static final class DecodingException extends IOException {
        private final boolean unknownCoding;

        DecodingException(String message, boolean unknownCoding, Throwable cause) {
            super(message, cause);
            this.unknownCoding = unknownCoding;
        }

        public boolean unknownCoding() {
            return unknownCoding;
        }
    }

    /**
     * Decodes {@code wire} as {@code contentEncoding} says (null or blank: as is), keeping at most
     * {@code maxBytes} decoded bytes.
     *
     * @param wireCut the client cut the wire body at its limit, so a coding's early end is that cut
     *                (the body is then truncated), not corruption
     * @throws DecodingException for an unknown coding or a corrupt body
     */
    public static Decoded decode(byte[] wire, boolean wireCut, String contentEncoding, int maxBytes) throws DecodingException {
        List<String> codings = codings(contentEncoding);
        if (codings.isEmpty() || wire.length == 0) {
            if (wire.length <= maxBytes) return new Decoded(wire, wireCut);
            return new Decoded(Arrays.copyOf(wire, maxBytes), true);
        }
        InputStream in = new ByteArrayInputStream(wire);
        try {
            for (int i = codings.size() - 1; i >= 0; i--) in = decoder(in, codings.get(i));
        } catch (DecodingException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (wireCut) return new Decoded(new byte[0], true);
            throw corrupt(contentEncoding, e);
        }
        Buffer out = new Buffer(Math.min(maxBytes + 1, Math.max(8192, wire.length * 4)));
        try (InputStream decoding = in) {
            out.readFrom(decoding, maxBytes + 1L);
        } catch (IOException | RuntimeException e) { // org.brotli.dec throws BrotliRuntimeException too
            if (!wireCut) throw corrupt(contentEncoding, e);
            return new Decoded(out.bytes(Math.min(out.length, maxBytes)), true);
        }
        if (out.length > maxBytes) return new Decoded(out.bytes(maxBytes), true);
        return new Decoded(out.bytes(out.length), wireCut);
    }

    /** The codings of a Content-Encoding header, in the order they were applied; {@code identity} dropped. */
    static List<String> codings(String contentEncoding) {
        List<String> codings = new ArrayList<>(1);
        if (contentEncoding == null || contentEncoding.isBlank()) return codings;
        for (String c : contentEncoding.split(",")) {
            String name = c.strip().toLowerCase(Locale.ROOT);
            if (!name.isEmpty() && !name.equals("identity")) codings.add(name);
        }
        return codings;
    }

    private static InputStream decoder(InputStream in, String coding) throws IOException {
        return switch (coding) {
            case "gzip", "x-gzip" -> new GZIPInputStream(in, 8192);
            case "deflate" -> inflater(in);
            case "br" -> Brotli.decoder(in);
            default -> throw new DecodingException("Content-Encoding '" + coding + "' is not one the crawler decodes (it asks for "
                    + ACCEPT_ENCODING + ")", true, null);
        };
    }

    /**
     * Brotli's decoder, in a class of its own, loaded at the first brotli answer: org.brotli.dec is
     * compiled for Java 5, too old for the JVM's start-up cache, and a reference to it from
     * {@link ContentDecoding} itself would make every crawl load it from its jar as it starts (the
     * class path's jars opened one by one until dec.jar), brotli answer or not.
     */
    private static final class Brotli {
        static InputStream decoder(InputStream in) throws IOException {
            return new org.brotli.dec.BrotliInputStream(in);
        }
    }

    /** deflate is zlib-wrapped (RFC 1950) by the RFC, raw (RFC 1951) from some servers: the first two bytes tell. */
    private static InputStream inflater(InputStream in) throws IOException {
        PushbackInputStream p = new PushbackInputStream(in, 2);
        byte[] head = p.readNBytes(2);
        p.unread(head);
        boolean zlib = head.length == 2 && (head[0] & 0x0f) == 8 && (((head[0] & 0xff) << 8) | (head[1] & 0xff)) % 31 == 0;
        return new InflaterInputStream(p, new Inflater(!zlib), 8192) {
            @Override
            public void close() throws IOException {
                super.close();
                inf.end(); // the Inflater was ours, not the stream's default: free its native memory now
            }
        };
    }

    private static DecodingException corrupt(String contentEncoding, Throwable e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new DecodingException("the body does not decode as Content-Encoding '" + contentEncoding.strip() + "': " + why, false, e);
    }

    /** A byte buffer that grows by doubling up to a limit. */
    private static final class Buffer {
        byte[] data;
        int length;

        Buffer(int initial) {
            data = new byte[Math.max(initial, 16)];
        }

        void readFrom(InputStream in, long limit) throws IOException {
            while (length < limit) {
                if (length == data.length) data = Arrays.copyOf(data, (int) Math.min(limit, 2L * data.length));
                int n = in.read(data, length, (int) Math.min(data.length - length, limit - length));
                if (n < 0) return;
                length += n;
            }
        }

        byte[] bytes(int n) {
            return n == data.length ? data : Arrays.copyOf(data, n);
        }
    }
}
