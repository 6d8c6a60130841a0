/**
 * JUnit Jupiter support for SnakeBridge: {@link dev.snakebridge.junit.SnakeBridgeTest} and {@link
 * dev.snakebridge.junit.SnakeBridgeExtension} give each test a clean session and fail tests that leak
 * Python refs, child processes or workers.
 */
package dev.snakebridge.junit;
