package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input on the Java side is refused before anything is sent: an {@link IllegalArgumentException} or
 * a {@link SerializationException} whose message names what was wrong, and the worker answers no call
 * for it (its answered-call count does not move).
 */
class BadInputIT {
  static SnakeBridgeRuntime py;

  @BeforeAll
  static void start() {
    py = Workers.start(1);
    py.call("math", "sqrt", 1); // the worker has answered once
  }

  @AfterAll
  static void stop() {
    py.close();
  }

  private static Throwable refused(Runnable call) {
    long answered = py.stats().pool("default").callsAnswered();
    Throwable t = catchThrowable(call::run);
    assertThat(t).isInstanceOfAny(IllegalArgumentException.class, SerializationException.class);
    assertThat(py.stats().pool("default").callsAnswered()).as("nothing reached the worker").isEqualTo(answered);
    assertThat(py.call("math", "sqrt", 4)).isEqualTo(2.0);
    return t;
  }

  @Test
  void anUnsupportedTypeIsNamed() {
    assertThat(refused(() -> py.call("builtins", "repr", new Object())).getMessage()).contains("java.lang.Object");
    assertThat(refused(() -> py.call("builtins", "repr", Thread.currentThread())).getMessage()).contains("Thread");
  }

  @Test
  void aCyclicCollectionIsRefused() {
    List<Object> cycle = new ArrayList<>();
    cycle.add(cycle);
    assertThat(refused(() -> py.call("builtins", "len", cycle)).getMessage()).contains("contains itself");
    Map<String, Object> map = new HashMap<>();
    map.put("self", map);
    refused(() -> py.call("builtins", "len", map));
  }

  @Test
  void nestingDeeperThanTheLimitIsRefused() {
    Object deep = List.of();
    for (int i = 0; i < 10_000; i++) {
      deep = List.of(deep);
    }
    Object tooDeep = deep;
    assertThat(refused(() -> py.call("builtins", "len", tooDeep)).getMessage()).containsIgnoringCase("nest");
  }

  @Test
  void nullOrInvalidModuleAndAttributeNamesAreRefused() {
    refused(() -> py.call(null, "sqrt", 4));
    refused(() -> py.call("math", null, 4));
    refused(() -> py.call("", "sqrt", 4));
    refused(() -> py.call("math", "", 4));
    refused(() -> py.call("os; import sys", "getpid"));
    refused(() -> py.call("math", "sqrt(4)"));
  }

  @Test
  void aHugeStringIsSentOrRefusedCleanly() {
    // 64 MiB of text: under the frame limit it is a large buffer, not an error; the answer proves it arrived.
    String huge = "x".repeat(64 << 20);
    assertThat(py.call("builtins", "len", huge)).isEqualTo((long) huge.length());
  }
}
