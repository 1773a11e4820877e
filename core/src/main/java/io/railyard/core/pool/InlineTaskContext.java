package io.railyard.core.pool;

import io.railyard.core.AsyncTask;
import io.railyard.core.BlockingTask;
import io.railyard.core.TaskContext;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * The context of a task that runs where the model has no facilities to offer (a worker process, a
 * cluster member): its id and worker, continuations run inline on the completing thread.
 * Immutable.
 */
public record InlineTaskContext(String model, long taskId, int worker) implements TaskContext {

    @Override
    public Executor executor() {
        return Runnable::run;
    }

    @Override
    public <F> F facility(Class<F> type) {
        throw noFacility(model, type);
    }

    /** Runs {@code task} (a {@link BlockingTask} or an {@link AsyncTask}) on this thread with this context. */
    public Object run(Object task) throws Exception {
        return call(task, this);
    }

    /**
     * Runs a task to completion on the calling thread: a blocking task is called, an asynchronous
     * one started with {@code context} and waited for (its stage cancelled if the wait is
     * interrupted). The task's own exception is thrown, not a wrapper.
     */
    static Object call(Object task, TaskContext context) throws Exception {
        if (task instanceof BlockingTask<?> b) return b.call();
        if (!(task instanceof AsyncTask<?> a))
            throw new IllegalArgumentException("a " + (task == null ? "null" : task.getClass().getName())
                    + " is not a BlockingTask or an AsyncTask");
        CompletionStage<?> stage = a.start(context);
        if (stage == null) throw new NullPointerException("AsyncTask.start returned null instead of a stage");
        try {
            return stage.toCompletableFuture().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) throw ex;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        } catch (InterruptedException e) {
            stage.toCompletableFuture().cancel(true);
            throw e;
        }
    }

    /** The error for a task asking {@code model} for a facility it does not offer. */
    static IllegalStateException noFacility(String model, Class<?> type) {
        return new IllegalStateException("the " + model + " model offers no " + type.getSimpleName()
                + " to tasks; run this task on a model that does (e.g. loop)");
    }
}
