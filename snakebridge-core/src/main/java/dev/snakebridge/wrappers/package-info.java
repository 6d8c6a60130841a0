/**
 * What generated wrappers share, shipped once in the core so that any number of independently generated
 * wrapper jars can sit on one classpath: the wrapper base {@link dev.snakebridge.wrappers.PyObject}, the
 * conversions in {@link dev.snakebridge.wrappers.PyInterop}, the call route of a module view ({@link
 * dev.snakebridge.wrappers.PyCaller}) and the {@link dev.snakebridge.wrappers.Generated} marker. Programs
 * rarely name these types except {@code PyObject} (the supertype of every wrapper).
 */
package dev.snakebridge.wrappers;
