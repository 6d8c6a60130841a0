package dev.snakebridge.internal.call;

import dev.snakebridge.PyRef;
import dev.snakebridge.Telemetry;
import dev.snakebridge.internal.session.RefState;

/**
 * What the engine needs from the public handles and cannot reach itself: their constructors and
 * internal state are hidden from users, so the public package implements this once and hands it to the
 * engine it starts. This keeps the dependency one way (the handles forward to the engine) without
 * widening the public API.
 */
public interface Handles {
  /** A new handle for an object that now lives in a worker. */
  PyRef newRef(CallEngine engine, RefState state, String capturedRepr);

  /** The state behind {@code ref}. */
  RefState stateOf(PyRef ref);

  /** The engine {@code ref} belongs to. */
  CallEngine engineOf(PyRef ref);

  /** A tuple of the decoded items, owned by the caller (no copy). */
  Object tuple(Object[] items);

  /** Whether call events would reach a handler or JFR: calls skip timing themselves when not. */
  boolean observesCalls(Telemetry telemetry);

  /** The tracer installed with {@code Telemetry.setCallTracer}, or null. */
  dev.snakebridge.CallTracer tracer(Telemetry telemetry);
}
