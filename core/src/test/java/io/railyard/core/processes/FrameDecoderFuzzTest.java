package io.railyard.core.processes;

import io.railyard.core.codec.ByteSink;

import io.railyard.core.processes.Frame.Failure;
import io.railyard.core.processes.Frame.Init;
import io.railyard.core.processes.Frame.Ready;
import io.railyard.core.processes.Frame.Result;
import io.railyard.core.processes.Frame.Shutdown;
import io.railyard.core.processes.Frame.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Seeded property and fuzz tests of the frame decoder: valid frames round-trip; truncated,
 * oversized and garbage input ends in a {@link FrameException} or {@link EOFException} with a clear
 * message (never another exception, never a hang), and the reader's buffer never grows beyond
 * twice the bytes it really received, whatever length a frame declares.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FrameDecoderFuzzTest {
    private static final long SEED = 20_251_130L;
    private static final int MAX = 1 << 20;
    /** Small, so that the fuzz exercises the buffer's growth. */
    private static final int INITIAL = 16;

    @Test
    void validFramesRoundTrip() throws IOException {
        Random rnd = new Random(SEED);
        for (int round = 0; round < 300; round++) {
            List<Frame> frames = new ArrayList<>();
            for (int i = 0; i < 1 + rnd.nextInt(8); i++) frames.add(randomFrame(rnd));
            byte[] stream = encode(frames);
            FrameReader reader = new FrameReader(trickle(stream, rnd), MAX, INITIAL);
            for (Frame expected : frames) assertArrayEquals(encode(List.of(expected)), encode(List.of(reader.read())));
            assertNull(reader.read(), "clean end of stream after the last frame");
            assertTrue(reader.capacity() <= Math.max(INITIAL, 2 * stream.length), "buffer " + reader.capacity() + " for " + stream.length + " bytes");
        }
    }

    @Test
    void truncatedStreamsEndInAnEofNamingWhatIsMissing() throws IOException {
        Random rnd = new Random(SEED + 1);
        for (int round = 0; round < 500; round++) {
            List<Frame> frames = new ArrayList<>();
            for (int i = 0; i < 1 + rnd.nextInt(4); i++) frames.add(randomFrame(rnd));
            byte[] stream = encode(frames);
            int cut = rnd.nextInt(stream.length);
            FrameReader reader = new FrameReader(trickle(Arrays.copyOf(stream, cut), rnd), MAX, INITIAL);
            int read = 0;
            try {
                while (reader.read() != null) read++;
                // a cut exactly between frames is a clean end
                assertEquals(cut, encode(frames.subList(0, read)).length, "clean end only at a frame boundary");
            } catch (EOFException e) {
                assertTrue(e.getMessage().startsWith("stream ended inside a frame"), e.getMessage());
            }
            assertTrue(read < frames.size());
        }
    }

    @Test
    void anOversizedDeclaredLengthIsRefusedBeforeAnyAllocation() throws IOException {
        for (int declared : new int[]{MAX + 1, Integer.MAX_VALUE, -1, 0, Integer.MIN_VALUE}) {
            byte[] stream = ByteBuffer.allocate(64).putInt(declared).put(FrameCodec.TASK).array();
            FrameReader reader = new FrameReader(Channels.newChannel(new ByteArrayInputStream(stream)), MAX, INITIAL);
            FrameException e = assertThrows(FrameException.class, reader::read);
            assertTrue(e.getMessage().contains("declared frame length " + declared), e.getMessage());
            assertTrue(reader.capacity() <= 2 * stream.length);
        }
    }

    @Test
    void aHugeDeclaredLengthWithFewBytesCostsOnlyWhatArrived() throws IOException {
        int max = Integer.MAX_VALUE - 16; // a limit that would never stop the allocation
        for (int sent : new int[]{0, 1, 100, 5000}) {
            ByteBuffer b = ByteBuffer.allocate(5 + sent).putInt(max).put(FrameCodec.TASK);
            FrameReader reader = new FrameReader(Channels.newChannel(new ByteArrayInputStream(b.array())), max, INITIAL);
            EOFException e = assertThrows(EOFException.class, reader::read);
            assertTrue(e.getMessage().contains(max + " bytes declared"), e.getMessage());
            assertTrue(reader.capacity() <= Math.max(INITIAL, 2 * (5 + sent)), "buffer of " + reader.capacity() + " bytes after " + (5 + sent));
        }
    }

    @Test
    void garbageEndsInAClearErrorOrAFrameNeverAnotherException() throws IOException {
        Random rnd = new Random(SEED + 2);
        int errors = 0;
        for (int round = 0; round < 5_000; round++) {
            byte[] garbage = garbage(rnd);
            FrameReader reader = new FrameReader(trickle(garbage, rnd), MAX, INITIAL);
            try {
                for (int frames = 0; reader.read() != null; frames++)
                    assertTrue(frames < garbage.length / 5 + 1, "more frames than the bytes allow");
            } catch (FrameException | EOFException e) {
                assertNotNull(e.getMessage());
                assertFalse(e.getMessage().isBlank());
                errors++;
            }
            assertTrue(reader.capacity() <= Math.max(INITIAL, 2 * garbage.length), "buffer " + reader.capacity() + " for " + garbage.length + " bytes");
        }
        assertTrue(errors > 4_000, "garbage is mostly refused: " + errors);
    }

    @Test
    void mutatedValidFramesAreDecodedOrRefusedCleanly() throws IOException {
        Random rnd = new Random(SEED + 3);
        for (int round = 0; round < 5_000; round++) {
            byte[] frame = encode(List.of(randomFrame(rnd)));
            for (int flips = 1 + rnd.nextInt(4); flips > 0; flips--)
                frame[4 + rnd.nextInt(frame.length - 4)] = (byte) rnd.nextInt(256); // keep the length: fuzz the body
            FrameReader reader = new FrameReader(Channels.newChannel(new ByteArrayInputStream(frame)), MAX, INITIAL);
            try {
                assertNotNull(reader.read());
                assertNull(reader.read());
            } catch (FrameException e) {
                assertFalse(e.getMessage().isBlank());
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    @Test
    void aTaskPayloadOfMaxTaskPayloadBytesFitsAFrameAndOneByteMoreDoesNot() throws FrameException {
        for (int limit : new int[] {64, 1000, MAX}) {
            int most = FrameCodec.maxTaskPayload(limit);
            ByteSink sink = new ByteSink(64);
            FrameCodec.encode(new Task(1, new byte[most]), sink, limit);
            assertEquals(limit, sink.size() - FrameCodec.HEADER, "the largest payload fills the frame exactly");
            FrameException e = assertThrows(FrameException.class, () -> FrameCodec.encode(new Task(1, new byte[most + 1]), sink, limit));
            assertTrue(e.getMessage().contains("maxFrameBytes"), e.getMessage());
        }
    }

    private static byte[] encode(List<Frame> frames) throws FrameException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteSink sink = new ByteSink(64);
        for (Frame f : frames) {
            FrameCodec.encode(f, sink, MAX);
            ByteBuffer b = sink.flipped();
            out.write(b.array(), 0, b.limit());
        }
        return out.toByteArray();
    }

    private static Frame randomFrame(Random rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> new Init(rnd.nextInt(64), randomString(rnd), List.of(randomString(rnd), "a.b.*"), bytes(rnd, 200));
            case 1 -> new Ready(rnd.nextLong());
            case 2 -> new Task(rnd.nextLong(), bytes(rnd, 3000));
            case 3 -> new Result(rnd.nextLong(), rnd.nextLong(), bytes(rnd, 3000));
            case 4 -> new Failure(rnd.nextLong(), rnd.nextLong(), ErrorInfo.of(new IllegalStateException(randomString(rnd),
                    new RuntimeException("cause"))), bytes(rnd, 100));
            default -> new Shutdown();
        };
    }

    private static String randomString(Random rnd) {
        StringBuilder s = new StringBuilder();
        for (int i = rnd.nextInt(20); i > 0; i--) s.append((char) (rnd.nextBoolean() ? 'a' + rnd.nextInt(26) : 0x400 + rnd.nextInt(200)));
        return s.toString();
    }

    private static byte[] bytes(Random rnd, int max) {
        byte[] b = new byte[rnd.nextInt(max)];
        rnd.nextBytes(b);
        return b;
    }

    /** Random bytes, often starting with a plausible length so the body decoder is reached too. */
    private static byte[] garbage(Random rnd) {
        byte[] g = bytes(rnd, 400);
        if (g.length >= 5 && rnd.nextBoolean()) {
            ByteBuffer.wrap(g).putInt(1 + rnd.nextInt(g.length - 4)).put((byte) (1 + rnd.nextInt(7)));
        }
        return g;
    }

    /** A channel that hands out the bytes in small random pieces, like a socket under load. */
    private static ReadableByteChannel trickle(byte[] bytes, Random rnd) {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        return new ReadableByteChannel() {
            public int read(ByteBuffer dst) {
                int n = Math.min(dst.remaining(), 1 + rnd.nextInt(50));
                byte[] b = new byte[n];
                int got = in.read(b, 0, n);
                if (got <= 0) return -1;
                dst.put(b, 0, got);
                return got;
            }

            public boolean isOpen() {
                return true;
            }

            public void close() {}
        };
    }
}
