package dev.snakebridge.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.snakebridge.PyRef;
import dev.snakebridge.SnakeBridge;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The example of docs/GUIDE.md ("Testing with the JUnit extension") passes, and fails without its release. */
class GuideExampleIT {
  @Samples.Sample
  @SnakeBridgeTest
  static class EmailTest {
    static PyRef pattern;
    static PyRef forgotten;

    @BeforeAll
    static void compile() {
      pattern = (PyRef) SnakeBridge.call("re", "compile", "(\\w+)@(\\w+)");
    }

    @Test
    void findsTheUser() {
      PyRef match = (PyRef) pattern.call("search", "ann@home");
      assertEquals("ann", match.call("group", 1));
      match.release();
    }

    @Test
    void forgetsToRelease() {
      PyRef match = (PyRef) pattern.call("search", "ann@home");
      assertEquals("ann", match.call("group", 1));
      forgotten = match; // reachable, so that the garbage collector cannot release it before the check
    }
  }

  @Test
  void theGuidesExamplePassesAndForgettingTheReleaseFails() {
    Samples.Outcome outcome = Samples.run(EmailTest.class);

    assertThat(outcome.failed()).containsExactly("forgetsToRelease");
    assertThat(outcome.failure("forgetsToRelease"))
        .hasMessageContaining("1 Python ref was still live in the test's session");
  }
}
