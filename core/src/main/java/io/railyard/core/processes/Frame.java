package io.railyard.core.processes;

import io.railyard.core.codec.PayloadCodec;
import java.util.List;

/**
 * The messages a {@link ProcessPool} and one of its worker processes exchange, one per frame.
 * {@link FrameCodec} is the only code that turns them into bytes and back. Payloads (tasks, results,
 * exceptions, the initializer) are opaque bytes of the pool's {@link PayloadCodec}.
 *
 * <pre>
 *   parent                                   worker
 *     |  (spawn; the worker connects)          |
 *     | ---- Init --------------------------&gt;  |  configure the codec, run the initializer
 *     | &lt;--- Ready ---------------------------  |  (or Failure with taskId -1)
 *     | ---- ClockCheck ---------------------&gt;  |  first frame after Ready
 *     | &lt;--- ClockReading --------------------  |  its System.nanoTime(), inside the round trip
 *     | ---- Task ---------------------------&gt;  |  one at a time
 *     |                                         |  stamps when the task's code begins
 *     | &lt;--- Result | Failure ----------------  |
 *     | ---- Shutdown -----------------------&gt;  |  exit 0 (end of stream: halt)
 * </pre>
 *
 * Immutable records; the byte arrays are never modified after a frame is built.
 */
sealed interface Frame {

    /** First frame to a worker: how to decode payloads and what to run before the first task. */
    record Init(int workerIndex, String codec, List<String> allow, byte[] initializer) implements Frame {}

    /** The worker is initialised and waits for tasks. */
    record Ready(long pid) implements Frame {}

    /** Run this task; the worker answers with a {@link Result} or a {@link Failure} of the same id. */
    record Task(long taskId, byte[] payload) implements Frame {}

    /**
     * Asks the worker for a reading of its clock, which it answers at once with a
     * {@link ClockReading}: the round trip bounds the offset between the two clocks (see
     * {@link Worker#clockRead}).
     */
    record ClockCheck() implements Frame {}

    /** The worker's {@link System#nanoTime()} when it answered a {@link ClockCheck}. */
    record ClockReading(long nanos) implements Frame {}

    /**
     * The task returned. {@code startNanos} is the worker's {@link System#nanoTime()} when the task's
     * code began (after decoding it), where submit-to-start ends; {@code cpuNanos} is the CPU time of
     * the worker's task thread for it.
     */
    record Result(long taskId, long startNanos, long cpuNanos, byte[] payload) implements Frame {}

    /**
     * The task threw (or its result could not be encoded). {@code exception} is the encoded
     * exception, empty when it could not be encoded; {@code error} always describes it, so the parent
     * can build a {@link io.railyard.core.RemoteException} when it cannot or must not decode it.
     * Task id -1 reports a failed initializer. {@code startNanos} is as in {@link Result}, -1 when
     * the task's code never began (it could not be decoded).
     */
    record Failure(long taskId, long startNanos, long cpuNanos, ErrorInfo error, byte[] exception) implements Frame {}

    /** Finish and exit with status 0. */
    record Shutdown() implements Frame {}
}
