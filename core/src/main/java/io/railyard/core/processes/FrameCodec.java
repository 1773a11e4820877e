package io.railyard.core.processes;

import io.railyard.core.codec.ByteSink;

import io.railyard.core.processes.Frame.Failure;
import io.railyard.core.processes.Frame.Init;
import io.railyard.core.processes.Frame.Ready;
import io.railyard.core.processes.Frame.Result;
import io.railyard.core.processes.Frame.Shutdown;
import io.railyard.core.processes.Frame.Task;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place where {@link Frame}s become bytes and back. Layout (big-endian):
 *
 * <pre>
 *   frame     = length:int32 type:uint8 body        length counts type + body, 1..maxFrameBytes
 *   Init      = 1  workerIndex:int32 codec:str allow:int32 str* initializer:bytes
 *   Ready     = 2  pid:int64
 *   Task      = 3  taskId:int64 payload:bytes
 *   Result    = 4  taskId:int64 cpuNanos:int64 payload:bytes
 *   Failure   = 5  taskId:int64 cpuNanos:int64 error exception:bytes
 *   Shutdown  = 6
 *   error     = className:str message:str frames:int32 (class:str method:str file:str line:int32)* hasCause:uint8 [error]
 *   str       = length:int32 utf8 (length -1: null);   bytes = length:int32 raw
 * </pre>
 *
 * Decoding trusts nothing: every count and length is checked against the bytes left in the frame
 * before anything is allocated, so a garbage frame costs at most its own size. Stateless and
 * thread-safe.
 */
final class FrameCodec {
    static final byte INIT = 1, READY = 2, TASK = 3, RESULT = 4, FAILURE = 5, SHUTDOWN = 6;
    /** Bytes of the length prefix. */
    static final int HEADER = 4;
    /** The smallest encoded stack frame: three empty strings and a line number. */
    private static final int MIN_STACK_FRAME = 16;

    /** A Task frame's length without its payload's bytes, measured by encoding an empty one. */
    private static final int TASK_WITHOUT_PAYLOAD = lengthOf(new Task(0, new byte[0]));

    private FrameCodec() {}

    /** The most payload bytes a Task frame may carry when frames are at most {@code maxFrameBytes} long. */
    static int maxTaskPayload(int maxFrameBytes) {
        return maxFrameBytes - TASK_WITHOUT_PAYLOAD;
    }

    /** The length an encoded frame declares (type and body). */
    static int lengthOf(Frame frame) {
        ByteSink out = new ByteSink(64);
        try {
            encode(frame, out, Integer.MAX_VALUE);
        } catch (FrameException impossible) {
            throw new IllegalStateException(impossible); // no frame exceeds Integer.MAX_VALUE bytes
        }
        return out.size() - HEADER;
    }

    // ------------------------------------------------------------------ encoding


    /**
     * Encodes {@code frame} into {@code out} (cleared first), length prefix included.
     *
     * @throws FrameException if the frame is larger than {@code maxFrameBytes}
     */
    static void encode(Frame frame, ByteSink out, int maxFrameBytes) throws FrameException {
        out.clear();
        out.putInt(0); // the length, set below
        // an if-chain rather than a pattern switch: its bootstrap would cost every worker milliseconds at start-up
        if (frame instanceof Init i) {
            out.putByte(INIT);
            out.putInt(i.workerIndex());
            out.putString(i.codec());
            out.putInt(i.allow().size());
            for (String a : i.allow()) out.putString(a);
            out.putBytes(i.initializer());
        } else if (frame instanceof Ready r) {
            out.putByte(READY);
            out.putLong(r.pid());
        } else if (frame instanceof Task t) {
            out.putByte(TASK);
            out.putLong(t.taskId());
            out.putBytes(t.payload());
        } else if (frame instanceof Result r) {
            out.putByte(RESULT);
            out.putLong(r.taskId());
            out.putLong(r.cpuNanos());
            out.putBytes(r.payload());
        } else if (frame instanceof Failure f) {
            out.putByte(FAILURE);
            out.putLong(f.taskId());
            out.putLong(f.cpuNanos());
            putError(out, f.error());
            out.putBytes(f.exception());
        } else {
            out.putByte(SHUTDOWN);
        }
        int length = out.size() - HEADER;
        if (length > maxFrameBytes)
            throw new FrameException("a " + frame.getClass().getSimpleName() + " frame of " + length
                    + " bytes exceeds the limit of " + maxFrameBytes + " bytes (pool option maxFrameBytes)");
        out.setInt(0, length);
    }

    private static void putError(ByteSink out, ErrorInfo e) {
        out.putString(e.className());
        out.putString(e.message());
        out.putInt(e.stack().size());
        for (StackTraceElement s : e.stack()) {
            out.putString(s.getClassName());
            out.putString(s.getMethodName());
            out.putString(s.getFileName());
            out.putInt(s.getLineNumber());
        }
        out.putByte(e.cause() == null ? 0 : 1);
        if (e.cause() != null) putError(out, e.cause());
    }

    // ------------------------------------------------------------------ decoding

    /**
     * Decodes one frame body (type and fields, without the length prefix), which must be consumed
     * exactly.
     *
     * @throws FrameException naming what is wrong
     */
    static Frame decode(ByteBuffer body) throws FrameException {
        int declared = body.remaining();
        try {
            byte type = body.get();
            Frame f = switch (type) {
                case INIT -> {
                    int index = body.getInt();
                    String codec = string(body);
                    if (codec == null) throw new FrameException("Init frame without a codec");
                    int n = count(body, 4, "allow-list entries");
                    List<String> allow = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        String a = string(body);
                        if (a == null) throw new FrameException("Init frame with a null allow-list entry");
                        allow.add(a);
                    }
                    yield new Init(index, codec, List.copyOf(allow), bytes(body));
                }
                case READY -> new Ready(body.getLong());
                case TASK -> new Task(body.getLong(), bytes(body));
                case RESULT -> new Result(body.getLong(), body.getLong(), bytes(body));
                case FAILURE -> new Failure(body.getLong(), body.getLong(), error(body, 0), bytes(body));
                case SHUTDOWN -> new Shutdown();
                default -> throw new FrameException("unknown frame type " + type + " in a frame of " + declared + " bytes");
            };
            if (body.hasRemaining())
                throw new FrameException(body.remaining() + " bytes left over after a " + f.getClass().getSimpleName()
                        + " frame of " + declared + " bytes");
            return f;
        } catch (BufferUnderflowException e) {
            throw new FrameException("frame of " + declared + " bytes ends in the middle of a field");
        }
    }

    private static ErrorInfo error(ByteBuffer body, int depth) throws FrameException {
        if (depth > ErrorInfo.MAX_CAUSES) throw new FrameException("error cause chain deeper than " + ErrorInfo.MAX_CAUSES);
        String className = string(body);
        if (className == null) throw new FrameException("error without a class name");
        String message = string(body);
        int n = count(body, MIN_STACK_FRAME, "stack frames");
        List<StackTraceElement> stack = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String cls = string(body), method = string(body), file = string(body);
            int line = body.getInt();
            if (cls == null || method == null) throw new FrameException("stack frame without class or method");
            stack.add(new StackTraceElement(cls, method, file, line));
        }
        byte hasCause = body.get();
        if (hasCause != 0 && hasCause != 1) throw new FrameException("bad cause flag " + hasCause);
        ErrorInfo cause = hasCause == 1 ? error(body, depth + 1) : null;
        return new ErrorInfo(className, message, List.copyOf(stack), cause);
    }

    /** A count of items of at least {@code minItemBytes} each that must fit in what is left. */
    private static int count(ByteBuffer body, int minItemBytes, String what) throws FrameException {
        int n = body.getInt();
        if (n < 0 || (long) n * minItemBytes > body.remaining())
            throw new FrameException("count of " + what + " " + n + " does not fit in the " + body.remaining() + " bytes left");
        return n;
    }

    private static byte[] bytes(ByteBuffer body) throws FrameException {
        int n = body.getInt();
        if (n < 0 || n > body.remaining())
            throw new FrameException("field of " + n + " bytes does not fit in the " + body.remaining() + " bytes left");
        byte[] b = new byte[n];
        body.get(b);
        return b;
    }

    private static String string(ByteBuffer body) throws FrameException {
        int n = body.getInt();
        if (n == -1) return null;
        if (n < 0 || n > body.remaining())
            throw new FrameException("string of " + n + " bytes does not fit in the " + body.remaining() + " bytes left");
        if (!body.hasArray()) {
            byte[] b = new byte[n];
            body.get(b);
            return new String(b, StandardCharsets.UTF_8);
        }
        String s = new String(body.array(), body.arrayOffset() + body.position(), n, StandardCharsets.UTF_8);
        body.position(body.position() + n);
        return s;
    }
}
