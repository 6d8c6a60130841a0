package dev.snakebridge;

/**
 * A JVM that prints {@code starting}, then starts a pool of four workers (forked from a template unless the
 * argument is {@code direct}) and calls them until it is killed (used by KilledDuringStartIT).
 */
public final class StartKillProbe {
  private StartKillProbe() {}

  public static void main(String[] args) {
    boolean fork = args.length == 0 || !args[0].equals("direct");
    System.out.println("starting");
    System.out.flush();
    SnakeBridge.configure(Workers.config(4).forkServer(fork).build());
    while (true) {
      SnakeBridge.call("math", "sqrt", 1);
    }
  }
}
