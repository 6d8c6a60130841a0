package dev.snakebridge.bench;

import dev.snakebridge.SnakeBridge;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * The child JVM of {@link FirstCall}, a program as small as a user's first one:
 *
 * <ul>
 *   <li>{@code FirstCallProbe call}: {@code SnakeBridge.call("math", "sqrt", 16)} with the default
 *       configuration ({@code SNAKEBRIDGE_PYTHON} from the environment);
 *   <li>{@code FirstCallProbe echo}, the baseline: starts the same Python with {@code -c} reading one line
 *       and writing it back, sends "16" and reads the line.
 * </ul>
 *
 * Prints {@code R MILLIS_SINCE_JVM_START MILLIS_SINCE_PROCESS_START RESULT}, taking the clock first and
 * asking for the start times only after it (the management classes take a while to load): the JVM's own
 * record of its start ({@code RuntimeMXBean.getStartTime}, in milliseconds, a little after the fork) and
 * the process's start from the kernel ({@code ProcessHandle.Info.startInstant}, in clock ticks).
 */
public final class FirstCallProbe {
  private FirstCallProbe() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1 || !(args[0].equals("call") || args[0].equals("echo"))) {
      System.err.println("usage: FirstCallProbe call|echo");
      System.exit(2);
    }
    Object result = args[0].equals("call") ? SnakeBridge.call("math", "sqrt", 16) : echo();
    long now = System.currentTimeMillis();
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    long processStart = ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli()).orElse(-1L);
    System.out.println("R " + (now - jvmStart) + " " + (processStart < 0 ? -1 : now - processStart) + " " + result);
    System.out.flush();
  }

  private static String echo() throws Exception {
    String python = System.getenv().getOrDefault("SNAKEBRIDGE_PYTHON", "python3");
    Process p = new ProcessBuilder(python, "-c",
        "import sys; sys.stdout.write(sys.stdin.readline()); sys.stdout.flush()")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    OutputStream in = p.getOutputStream();
    in.write("16\n".getBytes(StandardCharsets.US_ASCII));
    in.flush();
    // The child exits by itself once it has written the line; the clock stops at the line, as for the call.
    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII)).readLine();
  }
}
