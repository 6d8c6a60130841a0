package dev.snakebridge.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snakebridge.PyRef;
import dev.snakebridge.Session;
import dev.snakebridge.SnakeBridge;
import dev.snakebridge.SnakeBridgeRuntime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/** With isolated sessions: a new explicit session per test, entered, injected, counted, then closed. */
class IsolatedSessionIT {
  @Samples.Sample
  @SnakeBridgeTest(isolatedSession = true)
  static class Isolated {
    static final List<PyRef> kept = new CopyOnWriteArrayList<>();
    static final List<String> sessions = new CopyOnWriteArrayList<>();
    static final List<String> entered = new CopyOnWriteArrayList<>();
    static volatile String leakySession;

    @BeforeEach
    void setUp(Session session) {
      entered.add(SnakeBridge.currentSession().equals(session.id()) ? "setUp in session" : "setUp outside");
    }

    @Test
    void runsInItsOwnSession(Session session) {
      sessions.add(session.id());
      assertThat(session.id()).startsWith("junit-runsInItsOwnSession-");
      assertThat(SnakeBridge.currentSession()).isEqualTo(session.id());
      PyRef ref = Samples.newRef();
      assertThat(ref.sessionId()).isEqualTo(session.id());
      ref.release();
    }

    @Test
    void leaksFromAnotherThreadThatEnteredItsSession(Session session) throws InterruptedException {
      sessions.add(session.id());
      leakySession = session.id();
      Thread helper = new Thread(() -> SnakeBridge.withSession(session.id(),
          () -> kept.add(Samples.newRef())));
      helper.start();
      helper.join();
    }

    @Test
    void getsTheDefaultRuntime(SnakeBridgeRuntime runtime) {
      assertThat(runtime).isSameAs(SnakeBridge.runtime());
    }
  }

  @Samples.Sample
  @SnakeBridgeTest
  static class NotIsolated {
    @Test
    void wantsASession(Session session) {}
  }

  @Test
  void eachTestRunsInANewSessionWhoseLeftoverRefsFailItAndAreReleased() {
    Isolated.kept.clear();
    Isolated.sessions.clear();
    Isolated.entered.clear();
    Samples.Outcome outcome = Samples.run(Isolated.class);

    assertThat(outcome.failed()).containsExactly("leaksFromAnotherThreadThatEnteredItsSession");
    assertThat(outcome.failure("leaksFromAnotherThreadThatEnteredItsSession"))
        .hasMessageContaining("1 Python ref was still live in the test's session " + Isolated.leakySession);
    assertThat(Isolated.kept).singleElement().matches(PyRef::isReleased, "released with its session");
    assertThat(Isolated.sessions).hasSize(2).doesNotHaveDuplicates();
    assertThat(Isolated.entered).hasSize(3).containsOnly("setUp in session");
  }

  @Test
  void aSessionParameterWithoutIsolationSaysHowToGetOne() {
    Samples.Outcome outcome = Samples.run(NotIsolated.class);

    assertThat(outcome.failure("wantsASession")).isInstanceOf(ParameterResolutionException.class)
        .hasMessageContaining("@SnakeBridgeTest(isolatedSession = true)");
  }
}
