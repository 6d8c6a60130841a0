package dev.snakebridge.internal.environment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs one external tool (venv, pip, uv, an interpreter) to completion, passing each line it prints to a
 * progress sink as it comes and keeping the lines for error messages. Thread-safe (stateless).
 *
 * @param exitCode the tool's exit status
 * @param output what it printed, stdout and stderr merged, line by line
 */
public record ToolRun(int exitCode, List<String> output) {

  /**
   * Runs {@code command} with {@code extraEnv} added to this process's environment.
   *
   * @throws IOException when the tool cannot be started at all
   */
  public static ToolRun run(List<String> command, Map<String, String> extraEnv, Consumer<String> progress)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(extraEnv);
    Process p = pb.start();
    p.getOutputStream().close();
    List<String> lines = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        lines.add(line);
        progress.accept(line);
      }
    }
    try {
      return new ToolRun(p.waitFor(), List.copyOf(lines));
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + command.get(0), e);
    }
  }

  /** Whether the tool succeeded. */
  public boolean ok() {
    return exitCode == 0;
  }

  /** The last {@code n} lines of output, for an error message. */
  public String tail(int n) {
    return String.join("\n", output.subList(Math.max(0, output.size() - n), output.size()));
  }
}
