package dev.snakebridge.codegen;

/**
 * One generated source file.
 *
 * @param path the path relative to the output directory, such as {@code dev/snakebridge/py/Numpy.java}
 * @param content the Java source
 */
public record GeneratedFile(String path, String content) {}
