package dev.snakebridge.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snakebridge.PyRef;
import dev.snakebridge.SnakeBridge;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * With automatic sessions: each test starts clean, exactly the tests that leave refs live fail, and what
 * the class makes for all its tests lives in the class's session.
 */
class LeakDetectionIT {
  @Samples.Sample
  @SnakeBridgeTest
  static class AutoSessions {
    static final List<PyRef> kept = new CopyOnWriteArrayList<>();
    static final List<String> sessions = new CopyOnWriteArrayList<>();
    static final List<PyRef> classLevel = new CopyOnWriteArrayList<>();
    static PyRef shared;
    final PyRef perInstance = Samples.newRef(); // made in the constructor: the class's session
    PyRef fromSetUp;

    @BeforeAll
    static void load() {
      shared = Samples.newRef();
      classLevel.add(shared);
    }

    @BeforeEach
    void setUp() {
      classLevel.add(perInstance);
      assertThat(shared.attr("pattern")).isEqualTo("x"); // still usable: not in the renewed automatic session
      assertThat(perInstance.attr("pattern")).isEqualTo("x");
      sessions.add(SnakeBridge.currentSession());
      fromSetUp = Samples.newRef();
    }

    @AfterEach
    void tearDown() {
      fromSetUp.release(); // the user's own cleanup runs before the leak check
    }

    @Test
    void leaksARef() {
      kept.add(Samples.newRef());
    }

    @Test
    void releasesItsRef() {
      PyRef pattern = Samples.newRef();
      assertThat(pattern.attr("pattern")).isEqualTo("x");
      pattern.release();
    }

    @Test
    void usesPlainDataOnly() {
      assertThat(SnakeBridge.call("math", "sqrt", 16)).isEqualTo(4.0);
    }

    @Test
    void failsForItsOwnReasonAndLeaks() {
      kept.add(Samples.newRef());
      throw new AssertionError("its own failure");
    }
  }

  @Samples.Sample
  @SnakeBridgeTest(failOnLeaks = false)
  static class Lenient {
    static final List<PyRef> kept = new CopyOnWriteArrayList<>();

    @Test
    void leaksARef() {
      kept.add(Samples.newRef());
    }
  }

  @Test
  void failsExactlyTheTestThatLeaksWithAMessageSayingWhatToDo() {
    AutoSessions.kept.clear();
    AutoSessions.sessions.clear();
    Samples.Outcome outcome = Samples.run(AutoSessions.class);

    assertThat(outcome.failed()).containsExactlyInAnyOrder("leaksARef", "failsForItsOwnReasonAndLeaks");
    Throwable leak = outcome.failure("leaksARef");
    assertThat(leak).isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("SnakeBridge leak check failed for leaksARef()")
        .hasMessageContaining("1 Python ref was still live in the test's session auto_")
        .hasMessageContaining("PyRef.release()");
    assertThat(leak.getMessage()).doesNotContain("worker(s)").doesNotContain("child process");
  }

  @Test
  void aTestThatFailedAnywayKeepsOnlyItsOwnFailure() {
    AutoSessions.kept.clear();
    Samples.Outcome outcome = Samples.run(AutoSessions.class);

    Throwable own = outcome.failure("failsForItsOwnReasonAndLeaks");
    assertThat(own).hasMessage("its own failure");
    assertThat(own.getSuppressed()).isEmpty();
  }

  @Test
  void eachTestHasAFreshAutomaticSessionReleasedAfterIt() {
    AutoSessions.kept.clear();
    AutoSessions.sessions.clear();
    AutoSessions.classLevel.clear();
    PyRef mine = Samples.newRef(); // this thread's session, before the tests

    Samples.run(AutoSessions.class);

    assertThat(mine.isReleased()).as("what the thread made before the test is released").isTrue();
    assertThat(AutoSessions.sessions).hasSize(4).doesNotHaveDuplicates().allMatch(id -> id.startsWith("auto_"));
    assertThat(AutoSessions.kept).hasSize(2).allMatch(PyRef::isReleased);
    assertThat(AutoSessions.classLevel).hasSize(5)
        .allMatch(ref -> ref.sessionId().startsWith("junit-class-AutoSessions-"), "made in the class's session")
        .allMatch(PyRef::isReleased, "released after the class");
  }

  @Test
  void failOnLeaksFalseReportsWithoutFailing() {
    Lenient.kept.clear();
    Samples.Outcome outcome = Samples.run(Lenient.class);

    assertThat(outcome.failed()).isEmpty();
    assertThat(Lenient.kept).singleElement().matches(PyRef::isReleased);
  }
}
