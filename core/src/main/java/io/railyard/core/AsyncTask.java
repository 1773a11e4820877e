package io.railyard.core;

import java.io.Serializable;
import java.util.concurrent.CompletionStage;

/**
 * A job that starts non-blocking work and returns at once with a stage that completes later: the
 * shape of asyncio coroutines. {@link #start} must not block; it should only begin operations (an
 * HTTP request, a timer) whose callbacks complete the stage.
 *
 * <p>On the {@code loop} model the task and every callback run on the one event-loop thread; the
 * {@link TaskContext} hands out that loop's non-blocking facilities. On the blocking models an
 * asynchronous task is allowed too: its worker waits for the stage, holding one unit of concurrency
 * until it completes.
 */
@FunctionalInterface
public interface AsyncTask<T> extends Serializable {
    CompletionStage<T> start(TaskContext context) throws Exception;
}
