/**
 * SnakeBridge for Java: call any Python module from Java through a pool of Python worker processes.
 *
 * <p>The public API is the package {@code dev.snakebridge}; everything under {@code
 * dev.snakebridge.internal} is machinery and not exported.
 */
module dev.snakebridge {
  requires org.slf4j;

  exports dev.snakebridge;
}
