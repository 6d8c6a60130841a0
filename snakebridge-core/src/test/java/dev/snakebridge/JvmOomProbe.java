package dev.snakebridge;

import java.util.ArrayList;
import java.util.List;

/**
 * A JVM with a small heap (run with -Xmx) that asks for answers too large for it until one fails with
 * {@link OutOfMemoryError}, then checks that its runtime still works: prints {@code survived <n>} where n
 * counts the ordinary calls that succeeded afterwards (used by JvmOutOfMemoryIT).
 */
public final class JvmOomProbe {
  private JvmOomProbe() {}

  public static void main(String[] args) throws Exception {
    try (SnakeBridgeRuntime py = SnakeBridgeRuntime.create(Workers.config(2).build())) {
      List<Object> kept = new ArrayList<>();
      boolean oom = false;
      for (int i = 0; i < 100 && !oom; i++) {
        try {
          kept.add(py.callHelper("sb_test_helpers.big_answer", 200_000)); // ~40 MB of heap each
        } catch (OutOfMemoryError e) {
          oom = true;
        }
      }
      kept.clear();
      System.out.println(oom ? "oom" : "no oom");
      int ok = 0;
      for (int i = 0; i < 50; i++) {
        if (py.call("math", "sqrt", (double) i * i).equals((double) i)) {
          ok++;
        }
      }
      // Answers arriving on an async reader while the heap runs out: the runtime must still deliver them.
      var async = new ArrayList<java.util.concurrent.CompletableFuture<Object>>();
      for (int i = 0; i < 20; i++) {
        async.add(py.callAsync("sb_test_helpers", "add", (long) i, 1L));
      }
      for (int i = 0; i < 20; i++) {
        if (async.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS).equals((long) i + 1)) {
          ok++;
        }
      }
      System.out.println("survived " + ok);
    }
  }
}
