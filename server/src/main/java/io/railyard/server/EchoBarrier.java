package io.railyard.server;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes "hold C connections open at once" checkable by any client, in any model or language: the
 * echo port answers nothing until {@code size} echo connections are open together. A client that
 * opens its connection, sends its first line and waits for the echo is therefore released only
 * when all C are held; a model that cannot hold C gets no echo and fails on its read timeout
 * instead of passing by holding fewer.
 *
 * <pre>
 *   CLOSED --(open connections reach size)--> OPEN --(every connection closed)--> CLOSED
 * </pre>
 * While OPEN, new connections pass at once; the barrier re-arms when the last one closes, so the
 * next trial of a benchmark meets a fresh barrier.
 *
 * <p>Thread-safety: called from any event-loop thread; guarded by this object's monitor.
 */
final class EchoBarrier {

    private final int size;
    private final Set<EchoHandler> waiting = new LinkedHashSet<>();
    private int open;
    private boolean opened;

    EchoBarrier(int size) {
        this.size = size;
    }

    /** A connection opened; true when it may echo at once, else it is released later. */
    boolean arrive(EchoHandler handler) {
        List<EchoHandler> release;
        synchronized (this) {
            open++;
            if (opened) return true;
            if (open < size) {
                waiting.add(handler);
                return false;
            }
            opened = true;
            release = new ArrayList<>(waiting);
            waiting.clear();
        }
        for (EchoHandler h : release) h.release();
        return true;
    }

    synchronized void leave(EchoHandler handler) {
        open--;
        waiting.remove(handler);
        if (open == 0) opened = false;
    }
}
