package dev.snakebridge.internal.session;

import dev.snakebridge.Telemetry;
import dev.snakebridge.internal.telemetry.Logs;
import dev.snakebridge.internal.worker.WorkerProcess;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * All sessions of a runtime, and which one is current in each thread: an explicit session entered with
 * {@code withSession} (or bound by the library for the thread it runs user code on), else the thread's
 * automatic session, created on its first call. Releases sessions — when asked, when their thread
 * ends, at shutdown — and expires and evicts their refs. Thread-safe.
 */
public final class SessionRegistry {
  /** Sends RELEASE_SESSION to one worker; completes when it answered. */
  public interface WorkerCleanup extends BiFunction<WorkerProcess, String, CompletableFuture<?>> {}

  private final Map<String, SessionState> sessions = new ConcurrentHashMap<>();
  private final ThreadLocal<SessionState> auto = new ThreadLocal<>();
  private final ThreadLocal<ArrayDeque<SessionState>> scoped = new ThreadLocal<>() { // not withInitial: see EngineParts
    @Override
    protected ArrayDeque<SessionState> initialValue() {
      return new ArrayDeque<>();
    }
  };
  private final Telemetry telemetry;
  private final WorkerCleanup cleanup;
  private final Optional<Duration> refTtl;
  private final int maxRefsPerSession;
  private final Duration cleanupTimeout;
  private final java.util.List<java.util.function.Consumer<String>> releaseListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  private volatile boolean closing;

  public SessionRegistry(Telemetry telemetry, WorkerCleanup cleanup, Optional<Duration> refTtl,
      int maxRefsPerSession, Duration cleanupTimeout) {
    this.telemetry = telemetry;
    this.cleanup = cleanup;
    this.refTtl = refTtl;
    this.maxRefsPerSession = maxRefsPerSession;
    this.cleanupTimeout = cleanupTimeout;
  }

  /** An unguessable id with the given prefix, e.g. {@code auto_3f9c…}. */
  public static String newId(String prefix) {
    return prefix + RandomIds.hex(16); // 128 random bits: unguessable
  }

  /** The current thread's session, creating its automatic session on first use. */
  public SessionState current() {
    SessionState s = scoped.get().peek();
    if (s != null) {
      return s;
    }
    s = auto.get();
    if (s == null || s.isReleased()) {
      s = new SessionState(newId("auto_"), Thread.currentThread());
      sessions.put(s.id(), s);
      auto.set(s);
      emit("session.create", s, Map.of());
    }
    return s;
  }

  /** The explicit session named {@code id}, created when it does not exist (or was released). */
  public SessionState named(String id) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("session id must not be blank");
    }
    return sessions.compute(id, (key, existing) -> {
      if (existing != null && !existing.isReleased()) {
        return existing;
      }
      if (existing != null && existing.isAuto()) {
        throw new IllegalArgumentException("'" + id + "' is an automatic session's id");
      }
      SessionState created = new SessionState(key, null);
      emit("session.create", created, Map.of());
      return created;
    });
  }

  /** The live session with {@code id}, or null when there is none (never creates one). */
  public SessionState lookup(String id) {
    SessionState s = sessions.get(id);
    return s == null || s.isReleased() ? null : s;
  }

  /** Runs {@code body} with {@code session} current in this thread. */
  public <T> T withSession(SessionState session, Supplier<T> body) {
    ArrayDeque<SessionState> stack = scoped.get();
    stack.push(session);
    try {
      return body.get();
    } finally {
      stack.pop();
    }
  }

  /** Releases this thread's automatic session (and its refs); the next call starts a new one. */
  public void releaseAuto() {
    SessionState s = auto.get();
    auto.remove();
    if (s != null) {
      release(s, "its thread released it (releaseAutoSession)");
    }
  }

  /** Records a ref in its session, evicting the least recently used beyond the cap. */
  public void track(RefState ref) {
    for (RefState evicted : ref.session().track(ref, maxRefsPerSession)) {
      String why = "evicted: session " + ref.session().id() + " holds at most " + maxRefsPerSession
          + " live refs and this was the least recently used";
      if (evicted.markReleased(why)) {
        evicted.worker().queueRelease(evicted.id());
        emitRef("ref.evicted", evicted);
      }
    }
  }

  /**
   * Releases a session: its refs become unusable at once, and the workers drop its objects in the
   * background. A cleanup that fails or exceeds the cleanup timeout emits {@code session.cleanup.error}
   * and is logged; it never blocks the caller.
   */
  public void release(SessionState session, String reason) {
    if (session.isReleased()) {
      return;
    }
    List<RefState> refs = session.release("session " + session.id() + " was released: " + reason);
    sessions.remove(session.id(), session);
    for (RefState r : refs) {
      r.markReleased("its session " + session.id() + " was released (" + reason + ")");
    }
    emit("session.release", session, Map.of("refs", refs.size()));
    releaseListeners.forEach(l -> l.accept(session.id()));
    for (WorkerProcess worker : session.workers(refs)) {
      if (!worker.isAlive()) {
        continue;
      }
      CompletableFuture<?> done;
      try {
        done = cleanup.apply(worker, session.id());
      } catch (RuntimeException e) {
        done = CompletableFuture.failedFuture(e);
      }
      done.orTimeout(cleanupTimeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((ok, error) -> {
        if (error != null && closing) {
          // The workers stop with the runtime, and every object with them: nothing was left behind.
          log().debug("cleanup of session {} in worker {} ended with the runtime: {}", session.id(), worker, error.toString());
        } else if (error != null) {
          log().warn("cleanup of session {} in worker {} failed: {}", session.id(), worker, error.toString());
          telemetry.emit("session.cleanup.error", Map.of(), Map.of(
              "session", session.id(), "worker", worker.id(), "error", String.valueOf(error)));
        }
      });
    }
  }

  /** Runs {@code listener} with the id of every session released from now on. */
  public void onRelease(java.util.function.Consumer<String> listener) {
    releaseListeners.add(listener);
  }

  /** Releases sessions whose thread ended and expires refs idle past the TTL; from the housekeeper. */
  public void housekeep() {
    long now = System.nanoTime();
    for (SessionState s : sessions.values()) {
      if (s.ownerEnded()) {
        release(s, "its thread ended");
        continue;
      }
      if (refTtl.isPresent()) {
        for (RefState r : s.expire(now, refTtl.get().toNanos())) {
          if (r.markReleased("expired: idle for longer than the ref TTL of " + refTtl.get())) {
            r.worker().queueRelease(r.id());
            emitRef("ref.expired", r);
          }
        }
      }
    }
  }

  /**
   * The runtime is closing: cleanups that fail from now on failed because the workers stop, which frees
   * their objects anyway; they are not errors.
   */
  public void close() {
    closing = true;
  }

  /** Releases every session (runtime shutdown). */
  public void releaseAll(String reason) {
    sessions.values().forEach(s -> release(s, reason));
  }

  public int sessionCount() {
    return sessions.size();
  }

  /** Sessions whose home in {@code pool} is {@code worker}'s pool: counted per pool by the caller. */
  public Iterable<SessionState> sessions() {
    return sessions.values();
  }

  private void emit(String name, SessionState s, Map<String, Number> measurements) {
    telemetry.emit(name, measurements, Map.of("session", s.id(), "auto", s.isAuto()));
  }

  private void emitRef(String name, RefState r) {
    telemetry.emit(name, Map.of(), Map.of(
        "session", r.session().id(), "ref", r.id(), "type", r.typeName(), "worker", r.worker().id()));
  }

  private static Logger log() {
    return Logs.get("snakebridge.session");
  }
}
