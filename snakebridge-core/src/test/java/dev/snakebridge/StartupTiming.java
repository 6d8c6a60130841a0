package dev.snakebridge;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A timing harness for issue 7's start-up target, not a test: how long {@code SnakeBridgeRuntime.create}
 * takes for a pool of 4 (until every worker is ready), with and without the fork server, against {@code
 * <python> -I -S -c pass} measured in the same run, where {@code <python>} is the real interpreter behind
 * {@code python3} on PATH (as SnakeBridge resolves it: a pyenv shim alone costs ~60 ms) or the one given.
 * Prints medians and ranges in ms.
 *
 * <pre>{@code
 * java -cp <test classpath> dev.snakebridge.StartupTiming [rounds [python]]
 * }</pre>
 */
public final class StartupTiming {
  private StartupTiming() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    String python = args.length > 1 ? args[1] : realPython();
    System.out.println("interpreter: " + python);
    SnakeBridgeConfig fork = SnakeBridgeConfig.builder().pythonExecutable(python).poolSize(4).build();
    SnakeBridgeConfig direct = fork.toBuilder().forkServer(false).build();
    PoolConfig numpy = PoolConfig.builder("default").size(4).startupImports("numpy").build();
    SnakeBridgeConfig forkNumpy = fork.toBuilder().pool(numpy).build();
    SnakeBridgeConfig directNumpy = direct.toBuilder().pool(numpy).build();
    time(fork, 2); // unpacks the worker files, resolves the interpreter, warms the JVM's code paths
    time(direct, 2);
    report("python3 -I -S -c pass", rounds, () -> bare(python, "-I", "-S", "-c", "pass"));
    report("pool of 4, fork server", rounds, () -> time(fork, 1));
    report("pool of 4, direct", rounds, () -> time(direct, 1));
    report("pool of 4 + numpy, fork server", rounds, () -> time(forkNumpy, 1));
    report("pool of 4 + numpy, direct", rounds, () -> time(directNumpy, 1));
    report("python3 -I -S -c pass (again)", rounds, () -> bare(python, "-I", "-S", "-c", "pass"));
  }

  private static String realPython() throws Exception {
    Process p = new ProcessBuilder("python3", "-I", "-S", "-c", "import sys; print(sys.executable)").start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
    p.waitFor();
    return out;
  }

  private static long time(SnakeBridgeConfig config, int times) {
    long total = 0;
    for (int i = 0; i < times; i++) {
      long began = System.nanoTime();
      SnakeBridgeRuntime py = SnakeBridgeRuntime.create(config);
      total += System.nanoTime() - began;
      py.close();
      pause(); // the closed pool's processes exit meanwhile, off the next measurement's two cores
    }
    return total / times;
  }

  private static void pause() {
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long bare(String... command) {
    try {
      long began = System.nanoTime();
      int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
      long took = System.nanoTime() - began;
      if (exit != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited with " + exit);
      }
      return took;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void report(String what, int rounds, LongSupplier nanos) {
    List<Long> samples = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      samples.add(nanos.getAsLong());
    }
    Collections.sort(samples);
    System.out.printf("%-34s median %6.1f ms  min %6.1f  max %6.1f  (%d runs)%n", what,
        samples.get(samples.size() / 2) / 1e6, samples.get(0) / 1e6, samples.get(samples.size() - 1) / 1e6, rounds);
  }
}
