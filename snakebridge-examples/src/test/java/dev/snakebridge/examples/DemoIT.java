package dev.snakebridge.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snakebridge.SnakeBridge;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The README's demo runs against real Python and prints real results. */
class DemoIT {
  @AfterAll
  static void stop() {
    SnakeBridge.shutdown();
  }

  @Test
  void demoPrintsResultsFromPython() {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      Demo.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed)
        .contains("math.sqrt(16)                      → 4.0")
        .contains("[3, 2, 1]")
        .contains("15511210043330985984000000")
        .contains("2024-03-01")
        .contains("PyRef[re.Pattern")
        .contains("[(ann, home), (bob, work)]")
        .contains("ValueError — math domain error")
        .contains("numpy.linalg.det                   → -2.0000000000000004")
        .endsWith("done.\n");
  }
}
