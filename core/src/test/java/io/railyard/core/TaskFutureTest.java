package io.railyard.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.*;

/** {@link TaskFuture#unwrap}: the one place the futures' wrappers come off a task's exception. */
class TaskFutureTest {

    /** A subclass of a wrapper with a meaning of its own (as Hazelcast's MemberLeftException is). */
    static final class MeaningfulExecutionException extends ExecutionException {
        MeaningfulExecutionException(Throwable cause) {
            super(cause);
        }
    }

    @Test
    void theWrappersOfGetJoinAndDependentStagesComeOff() {
        IOException cause = new IOException("disk gone");
        CompletableFuture<Object> failed = CompletableFuture.failedFuture(cause);
        CompletionException joined = assertThrows(CompletionException.class, () -> failed.thenApply(x -> x).join());
        assertSame(cause, TaskFuture.unwrap(joined));
        ExecutionException got = assertThrows(ExecutionException.class, failed::get);
        assertSame(cause, TaskFuture.unwrap(got));
        assertSame(cause, TaskFuture.unwrap(new CompletionException(new ExecutionException(new CompletionException(cause)))));
    }

    @Test
    void anythingElseStaysAsItIs() {
        IOException plain = new IOException("plain");
        assertSame(plain, TaskFuture.unwrap(plain));
        MeaningfulExecutionException meaningful = new MeaningfulExecutionException(plain);
        assertSame(meaningful, TaskFuture.unwrap(meaningful), "a subclass of a wrapper means something");
        assertSame(meaningful, TaskFuture.unwrap(new CompletionException(meaningful)));
        CompletionException empty = new CompletionException("no cause", null);
        assertSame(empty, TaskFuture.unwrap(empty), "a wrapper without a cause is all there is");
        assertNull(TaskFuture.unwrap(null));
    }
}
