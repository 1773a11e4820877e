package io.railyard.bench.workload;

import io.railyard.core.RemoteException;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Why a task failed, in one word or two a summary can count: {@value #TIMEOUT}, {@value #BODY_LIMIT},
 * {@value #REFUSED}, {@value #UNKNOWN_HOST}, {@value #HTTP_STATUS}, {@value #WORKER_DIED},
 * {@value #MEMBER_DIED}, {@value #BUDGET_STOP}, {@value #CANCELLED}, {@value #NOT_ENCODABLE},
 * else the simple name of the deepest cause's class. The cause chain is searched, and an exception
 * that crossed from a worker process or a cluster member as a {@link RemoteException} counts by the
 * class it was there. Stateless.
 */
public final class FailureReasons {
    private FailureReasons() {}

    public static final String TIMEOUT = "timeout", BODY_LIMIT = "body limit", REFUSED = "refused", UNKNOWN_HOST = "unknown host",
            HTTP_STATUS = "http status", WORKER_DIED = "worker died", MEMBER_DIED = "member died", BUDGET_STOP = "budget stop",
            CANCELLED = "cancelled", NOT_ENCODABLE = "not encodable";

    /** The reason {@code error} (a task's failure, possibly wrapped) stands for. */
    public static String of(Throwable error) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable deepest = error;
        for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
            if ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) continue;
            String name = t instanceof RemoteException r ? r.remoteClassName() : t.getClass().getName();
            String reason = byClass(name, t.getMessage());
            if (reason != null) return reason;
            deepest = t;
        }
        if (deepest instanceof RemoteException r) return simpleName(r.remoteClassName());
        return deepest == null ? "unknown" : deepest.getClass().getSimpleName();
    }

    private static String byClass(String name, String message) {
        return switch (simpleName(name)) {
            case "DeadlineExceededException", "SocketTimeoutException", "TaskTimeoutException", "HttpTimeoutException",
                 "HttpConnectTimeoutException", "ConnectTimeoutException", "TimeoutException" -> TIMEOUT;
            case "BodyLimitException" -> BODY_LIMIT;
            case "ConnectException", "NoRouteToHostException", "PortUnreachableException" -> REFUSED;
            case "UnknownHostException" -> UNKNOWN_HOST;
            case "WorkerDiedException" -> WORKER_DIED;
            case "MemberDiedException" -> MEMBER_DIED;
            case "OverBudgetException" -> BUDGET_STOP;
            case "CancellationException" -> CANCELLED;
            case "NotEncodableException" -> NOT_ENCODABLE;
            case "IOException" -> message != null && message.startsWith("HTTP ") ? HTTP_STATUS : null;
            default -> null;
        };
    }

    private static String simpleName(String className) {
        int dot = Math.max(className.lastIndexOf('.'), className.lastIndexOf('$'));
        return dot < 0 ? className : className.substring(dot + 1);
    }
}
