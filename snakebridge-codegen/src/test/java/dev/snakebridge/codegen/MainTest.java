package dev.snakebridge.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
  static int run(ByteArrayOutputStream err, String... args) {
    return Main.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true,
        StandardCharsets.UTF_8));
  }

  @Test
  void badUsageExitsWithTwoAndSaysWhy() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(run(err, "generate", "--module-mode", "everything", "--library", "numpy")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown moduleMode 'everything'", "usage:");
    err.reset();
    assertThat(run(err, "plan", "--module-mode", "docs", "--library", "torch")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("moduleMode=docs needs a docsManifest");
  }
}
