package dev.snakebridge;

/**
 * A JVM that starts two workers (forked from a template unless the argument is {@code direct}), prints the
 * pids of every process it started, workers and template, and waits to be killed (used by OrphanIT).
 */
public final class OrphanProbe {
  private OrphanProbe() {}

  public static void main(String[] args) throws InterruptedException {
    boolean fork = args.length == 0 || !args[0].equals("direct");
    SnakeBridge.configure(Workers.config(2).forkServer(fork).build());
    SnakeBridge.call("math", "sqrt", 1);
    ProcessHandle.current().descendants().forEach(child -> System.out.println("worker " + child.pid()));
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(60_000);
  }
}
