package dev.snakebridge;

/** A JVM that starts workers, prints their pids and waits to be killed (used by OrphanIT). */
public final class OrphanProbe {
  private OrphanProbe() {}

  public static void main(String[] args) throws InterruptedException {
    SnakeBridge.configure(Workers.config(2).build());
    SnakeBridge.call("math", "sqrt", 1);
    ProcessHandle.current().children().forEach(child -> System.out.println("worker " + child.pid()));
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(60_000);
  }
}
