package dev.snakebridge;

/**
 * A program with no interpreter setting, run in its own JVM by {@link ProjectEnvironmentIT}: it starts a
 * runtime from {@code SnakeBridgeConfig.load()} and prints which interpreter it got and what the installed
 * package says.
 */
public final class EnvironmentProbe {
  private EnvironmentProbe() {}

  public static void main(String[] args) {
    try (SnakeBridgeRuntime runtime = SnakeBridgeRuntime.create(SnakeBridgeConfig.load().toBuilder().poolSize(1).build())) {
      System.out.println("executable=" + runtime.get("sys", "executable"));
      System.out.println("hello=" + runtime.call("tinypkg", "hello"));
    } catch (SnakeBridgeException e) {
      System.out.println("error=" + e.getMessage());
      System.exit(3);
    }
  }
}
