package dev.snakebridge.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snakebridge.PoolConfig;
import dev.snakebridge.SnakeBridgeConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an early template's interpreter is told, in which order, whenever the worker's directory is known. */
class EarlyTemplateTest {
  @TempDir Path temp;

  /** An "interpreter" that records its arguments and everything written on its stdin. */
  private SnakeBridgeConfig recording() throws Exception {
    Path interpreter = temp.resolve("recording-python");
    Files.writeString(interpreter, "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + temp.resolve("args") + "'\n"
        + "exec cat > '" + temp.resolve("stdin") + "'\n");
    Files.setPosixFilePermissions(interpreter, PosixFilePermissions.fromString("rwx------"));
    return SnakeBridgeConfig.builder().pythonExecutable(interpreter.toString()).build();
  }

  private String expected(Path workerDir, Map<String, String> env) {
    String loader = EarlyTemplate.LOADER;
    String script = workerDir.resolve(ForkServer.SCRIPT).toString();
    StringBuilder pairs = new StringBuilder();
    env.forEach((k, v) -> pairs.append(k).append('=').append(v).append('\0'));
    return String.format("%05d", loader.getBytes(StandardCharsets.UTF_8).length) + loader
        + script.getBytes(StandardCharsets.UTF_8).length + "\n" + script
        + pairs.toString().getBytes(StandardCharsets.UTF_8).length + "\n" + pairs;
  }

  private String recorded(Process process) throws Exception {
    process.getOutputStream().close();
    process.waitFor();
    return Files.readString(temp.resolve("stdin"), StandardCharsets.UTF_8);
  }

  @Test
  void theDirectoryOfferedBeforeTheProcessRunsIsSentOnceItDoes() throws Exception {
    SnakeBridgeConfig config = recording();
    EarlyTemplate early = EarlyTemplate.startFor(config, config.pools().get("default"));
    Path workerDir = temp.resolve("worker-1");
    early.offerWorkerDirectory(workerDir); // most likely before the process has started
    Process process = early.take(10_000);
    Map<String, String> env = new LinkedHashMap<>(Map.of("SNAKEBRIDGE_SLOTS", "1"));
    early.finishSetup(process, workerDir.resolve(ForkServer.SCRIPT).toString(), env);

    assertThat(recorded(process)).isEqualTo(expected(workerDir, env));
    assertThat(Files.readAllLines(temp.resolve("args"))).containsExactly("-c", EarlyTemplate.COMMAND, ForkServer.SCRIPT);
  }

  @Test
  void withoutAnOfferTheScriptGoesWithTheEnvironment() throws Exception {
    SnakeBridgeConfig config = recording();
    EarlyTemplate early = EarlyTemplate.startFor(config, config.pools().get("default"));
    Process process = early.take(10_000); // started, nothing offered yet
    Path workerDir = temp.resolve("worker-2");
    Map<String, String> env = new LinkedHashMap<>(Map.of("A", "1=2", "B", ""));
    early.finishSetup(process, workerDir.resolve(ForkServer.SCRIPT).toString(), env);

    assertThat(recorded(process)).isEqualTo(expected(workerDir, env));
  }

  @Test
  void aPoolWithAnEnvironmentOfItsOwnHasNone() throws Exception {
    SnakeBridgeConfig config = recording();
    PoolConfig own = PoolConfig.builder("own").environment("PYTHONPATH", "/opt/x").build();
    assertThat(EarlyTemplate.startFor(config, own)).isNull();
    assertThat(EarlyTemplate.startFor(SnakeBridgeConfig.builder().forkServer(false).build(),
        config.pools().get("default"))).isNull();
  }
}
