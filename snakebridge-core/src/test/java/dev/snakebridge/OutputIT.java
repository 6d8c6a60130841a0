package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** User output on stdout (Python or C), stderr and logging never corrupts the protocol; it reaches SLF4J. */
class OutputIT {
  static SnakeBridgeRuntime py;

  @BeforeAll
  static void start() {
    py = Workers.start(1);
  }

  @AfterAll
  static void stop() {
    py.close();
  }

  @Test
  void printsAndLogsReachJavaLoggingTaggedWithTheWorker() throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      for (int i = 0; i < 20; i++) {
        assertThat(py.callHelper("sb_test_helpers.noisy", "t" + i)).isEqualTo("answer t" + i);
        assertThat(py.call("math", "sqrt", 16)).isEqualTo(4.0);
      }
      long deadline = System.currentTimeMillis() + 5000;
      // Output travels apart from answers (log frames, the stderr pipe): wait for the last of each kind.
      while (!(captured.toString(StandardCharsets.UTF_8).contains("stderr line t19")
              && captured.toString(StandardCharsets.UTF_8).contains("C printf t19")
              && captured.toString(StandardCharsets.UTF_8).contains("logging warning t19"))
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log)
        .contains("[default-w0] print from python t0")
        .contains("[default-w0] sys.stdout.write t3")
        .contains("[default-w0] os.write fd1 t7")
        .contains("[default-w0] C printf t19")
        .contains("[default-w0] logging warning t5")
        .contains("stderr line t19");
    assertThat(log).containsPattern("WARN snakebridge.python.sb.test - \\[default-w0\\] logging warning t5");
  }
}
