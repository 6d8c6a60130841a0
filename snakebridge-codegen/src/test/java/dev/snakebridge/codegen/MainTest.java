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
    assertThat(run(err, "generate", "--module-mode", "everything", "--library", "numpy", "--out", "x")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown moduleMode 'everything'", "Usage:");
    err.reset();
    assertThat(run(err, "plan", "--module-mode", "docs", "--library", "torch")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("moduleMode=docs needs a docsManifest");
    err.reset();
    assertThat(run(err, "generate", "--out", "x")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("Missing required option: '--library=NAME'");
    err.reset();
    assertThat(run(err, "generate", "--library", "numpy", "--out", "x", "--strict")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--strict needs --manifest and --lock");
  }

  @Test
  void eachCommandHasARealHelpWithThePluginsOptions() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc = Main.run(new String[] {"generate", "--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream()));
    assertThat(rc).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: snakebridge-codegen generate", "--library",
        "--lock", "--manifest", "--strict", "--include", "--exclude", "--max-class-methods", "--class-method-scope",
        "--max-members-per-file", "--python-path", "--import-timeout", "--sources", "--streaming");
    out.reset();
    assertThat(Main.run(new String[] {"docs-manifest", "--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream()))).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--inventory");
  }
}
