package io.railyard.core.processes;

import io.railyard.core.RemoteException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * An exception described without Java serialization: class name, message, stack and cause chain.
 * A worker sends it with every failure so the parent can always report what happened, even when the
 * exception's own class is not on the allow-list. Immutable.
 */
record ErrorInfo(String className, String message, List<StackTraceElement> stack, ErrorInfo cause) {

    /** Causes deeper than this are cut: enough to debug, bounded for the frame. */
    static final int MAX_CAUSES = 16;

    static ErrorInfo of(Throwable t) {
        return of(t, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static ErrorInfo of(Throwable t, Set<Throwable> seen) {
        seen.add(t);
        Throwable c = t.getCause();
        ErrorInfo cause = c == null || seen.contains(c) || seen.size() >= MAX_CAUSES ? null : of(c, seen);
        return new ErrorInfo(t.getClass().getName(), t.getMessage(), List.of(t.getStackTrace()), cause);
    }

    /** The description as a {@link RemoteException}, the cause chain as nested remote exceptions. */
    RemoteException toRemoteException() {
        List<ErrorInfo> chain = new ArrayList<>();
        for (ErrorInfo e = this; e != null; e = e.cause) chain.add(e);
        RemoteException built = null;
        for (int i = chain.size() - 1; i >= 0; i--) {
            ErrorInfo e = chain.get(i);
            built = new RemoteException(e.className, e.message, e.stack.toArray(StackTraceElement[]::new), built);
        }
        return built;
    }
}
