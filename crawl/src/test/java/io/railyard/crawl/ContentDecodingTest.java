package io.railyard.crawl;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Content codings decoded, stacked, capped, cut on the wire, corrupt, unknown. */
class ContentDecodingTest {

    private static final byte[] TEXT = "hello, hello, hello compressed world ".repeat(200).getBytes(StandardCharsets.UTF_8);

    @Test
    void eachCodingAndAStackDecodeToTheSameBytes() throws Exception {
        assertArrayEquals(TEXT, ContentDecoding.decode(TestSite.gzip(TEXT), false, "gzip", 1 << 20).body());
        assertArrayEquals(TEXT, ContentDecoding.decode(TestSite.gzip(TEXT), false, "x-gzip", 1 << 20).body());
        assertArrayEquals(TEXT, ContentDecoding.decode(TestSite.deflate(TEXT, false), false, "deflate", 1 << 20).body());
        assertArrayEquals(TEXT, ContentDecoding.decode(TestSite.deflate(TEXT, true), false, "Deflate", 1 << 20).body(), "raw deflate");
        assertArrayEquals(TEXT, ContentDecoding.decode(TestSite.gzip(TestSite.deflate(TEXT, false)), false, "deflate, gzip", 1 << 20).body());
        assertArrayEquals(TEXT, ContentDecoding.decode(TEXT, false, "identity", 1 << 20).body());
        byte[] twoMembers = concat(TestSite.gzip(Arrays.copyOf(TEXT, 100)), TestSite.gzip(Arrays.copyOfRange(TEXT, 100, TEXT.length)));
        assertArrayEquals(TEXT, ContentDecoding.decode(twoMembers, false, "gzip", 1 << 20).body(), "gzip members are concatenated");
        try (var in = ContentDecodingTest.class.getResourceAsStream("brotli-page.html.br")) {
            byte[] br = in.readAllBytes();
            assertEquals(CrawlRealSitesTest.brotliPage(), new String(ContentDecoding.decode(br, false, "br", 1 << 20).body(), StandardCharsets.UTF_8));
        }
        assertEquals(List.of("deflate", "gzip"), ContentDecoding.codings(" deflate ,identity, GZIP"));
    }

    @Test
    void theCapCutsTheDecodedBodyAndAWireCutIsATruncationNotCorruption() throws Exception {
        ContentDecoding.Decoded capped = ContentDecoding.decode(TestSite.gzip(TEXT), false, "gzip", 1000);
        assertEquals(1000, capped.body().length);
        assertTrue(capped.truncated());
        byte[] gz = TestSite.gzip(TEXT);
        ContentDecoding.Decoded cut = ContentDecoding.decode(Arrays.copyOf(gz, gz.length / 2), true, "gzip", 1 << 20);
        assertTrue(cut.truncated());
        assertTrue(cut.body().length > 0 && cut.body().length < TEXT.length);
        assertArrayEquals(Arrays.copyOf(TEXT, cut.body().length), cut.body(), "decoded as far as it went");
        assertFalse(ContentDecoding.decode(TEXT, false, null, 1 << 20).truncated());
    }

    @Test
    void corruptDataAndUnknownCodingsAreDecodingErrors() {
        byte[] gz = TestSite.gzip(TEXT);
        ContentDecoding.DecodingException early = assertThrows(ContentDecoding.DecodingException.class,
                () -> ContentDecoding.decode(Arrays.copyOf(gz, gz.length / 2), false, "gzip", 1 << 20));
        assertFalse(early.unknownCoding());
        assertThrows(ContentDecoding.DecodingException.class, () -> ContentDecoding.decode(TEXT, false, "gzip", 1 << 20), "not gzip at all");
        assertThrows(ContentDecoding.DecodingException.class, () -> ContentDecoding.decode(TEXT, false, "br", 1 << 20), "not brotli");
        ContentDecoding.DecodingException unknown = assertThrows(ContentDecoding.DecodingException.class,
                () -> ContentDecoding.decode(TEXT, false, "zstd", 1 << 20));
        assertTrue(unknown.unknownCoding());
        assertTrue(unknown.getMessage().contains("'zstd'"), unknown.getMessage());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
