/**
 * SnakeBridge for Java: call any Python module from Java through a pool of Python worker processes.
 *
 * <p>The public API is the package {@code dev.snakebridge}; everything under {@code
 * dev.snakebridge.internal} is machinery and not exported.
 */
module dev.snakebridge {
  requires org.slf4j;
  requires jdk.jfr;

  exports dev.snakebridge;
  // What generated wrappers share (one copy for every wrapper jar on the classpath).
  exports dev.snakebridge.wrappers;
  // JFR instantiates and reads the event classes reflectively.
  exports dev.snakebridge.internal.telemetry to jdk.jfr;
}
