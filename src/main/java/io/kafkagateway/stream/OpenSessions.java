package io.kafkagateway.stream;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The long-lived sessions of every front-end (WebSocket connections, gRPC consume streams), so that a stopping
 * gateway can wind them down in two steps: at the start of the drain each session stops taking messages, and those
 * that hold messages the client may still acknowledge stay open (their acknowledgements count); at the end of the
 * drain all are closed, and whatever is still unacknowledged is offered again at once. Shared by every event loop;
 * each session is called on its own.
 */
public final class OpenSessions {

    /** One session, as the drain sees it. */
    public interface Session {
        /** Stops taking messages; the session stays open until {@link #close()}, or closes itself at once. */
        void drain();

        /** Closes the session; it reports {@link OpenSessions#finished} once it has let go. */
        void close();
    }

    /** An open session, the event loop it lives on, and whether it has let go. */
    public record Entry(Context context, Session session, Promise<Void> finished) {
    }

    private final Set<Entry> open = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    public boolean draining() {
        return draining;
    }

    public Entry opened(Context context, Session session) {
        Entry entry = new Entry(context, session, Promise.promise());
        open.add(entry);
        return entry;
    }

    /** The session let go (positions committed, unacknowledged messages offered again). */
    public void finished(Entry entry) {
        open.remove(entry);
        entry.finished().tryComplete();
    }

    /** First step: every session stops taking messages; completes once each has been told. */
    public Future<Void> drain() {
        draining = true;
        List<Future<Void>> told = List.copyOf(open).stream().map(entry -> {
            Promise<Void> done = Promise.promise();
            entry.context().runOnContext(v -> {
                try {
                    entry.session().drain();
                } finally {
                    done.complete();
                }
            });
            return done.future();
        }).toList();
        return Future.join(told).mapEmpty();
    }

    /** Last step: closes every session; completes once all have let go. */
    public Future<Void> close() {
        draining = true;
        List<Entry> sessions = List.copyOf(open);
        sessions.forEach(entry -> entry.context().runOnContext(v -> entry.session().close()));
        return Future.join(sessions.stream().map(entry -> entry.finished().future()).toList()).mapEmpty();
    }

    /** Sessions open now. */
    public int size() {
        return open.size();
    }
}
