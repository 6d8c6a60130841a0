package dev.snakebridge;

import dev.snakebridge.internal.call.CallEngine;
import dev.snakebridge.internal.call.Handles;
import dev.snakebridge.internal.session.RefState;

/** The engine's way to the handles' hidden constructors and state; see {@link Handles}. */
final class EngineHandles implements Handles {
  static final EngineHandles INSTANCE = new EngineHandles();

  private EngineHandles() {}

  @Override
  public PyRef newRef(CallEngine engine, RefState state, String capturedRepr) {
    return new PyRef(engine, state, capturedRepr);
  }

  @Override
  public RefState stateOf(PyRef ref) {
    return ref.state();
  }

  @Override
  public CallEngine engineOf(PyRef ref) {
    return ref.engine();
  }

  @Override
  public Object tuple(Object[] items) {
    return PyTuple.wrap(items);
  }

  @Override
  public boolean observesCalls(Telemetry telemetry) {
    return telemetry.observesCalls();
  }

  @Override
  public CallTracer tracer(Telemetry telemetry) {
    return telemetry.callTracer();
  }
}
