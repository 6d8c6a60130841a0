package dev.snakebridge.internal.call;

import dev.snakebridge.internal.codec.ByteSink;
import dev.snakebridge.internal.codec.RequestWriter;
import dev.snakebridge.internal.codec.ValueEncoder;
import dev.snakebridge.internal.session.SessionRegistry;
import dev.snakebridge.internal.telemetry.Logs;
import dev.snakebridge.internal.transport.SharedMemorySupport;
import dev.snakebridge.internal.worker.WorkerConnection;
import dev.snakebridge.internal.worker.WorkerProcess;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs, once per JVM and on a spare thread, the start-up work that the first runtime's own thread need
 * not wait for: a first shared-memory mapping (with a small ring file of its own), then the first
 * call's own Java code: a session id, encoding a request and decoding an answer. In a
 * fresh JVM all of that is class loading and linking, tens of milliseconds that the first call would
 * otherwise pay; here it overlaps with reading the worker files and with Python's own start. A failure
 * only means that the first call pays as before.
 */
final class Warmup {
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private Warmup() {}

  static void begin() {
    if (STARTED.compareAndSet(false, true)) {
      Thread thread = new Thread(new Runnable() { // classes, not lambdas, on the start path: see EngineParts
        @Override
        public void run() {
          Warmup.run();
        }
      }, "snakebridge-warmup");
      thread.setDaemon(true);
      thread.start();
    }
  }

  private static void run() {
    try {
      SharedMemorySupport.warmUp();
      String session = SessionRegistry.newId("warmup_");
      ByteSink request = WorkerConnection.newRequestSink(64);
      CallSpec spec = CallSpec.call("math", "sqrt", 16);
      new RequestWriter(request, new ValueEncoder(request, null)).call(spec.opCode(), session, spec.operands());
      ByteSink answer = new ByteSink(64);
      new ValueEncoder(answer, null).encode(List.of(4.0, 1L, "text", Map.of("key", true)));
      byte[] bytes = answer.array();
      WorkerProcess.decodePlain(Arrays.copyOf(bytes, answer.position()));
    } catch (RuntimeException | LinkageError e) {
      Logs.get("snakebridge.runtime").debug("warming the call path failed; the first call does it instead", e);
    }
  }
}
