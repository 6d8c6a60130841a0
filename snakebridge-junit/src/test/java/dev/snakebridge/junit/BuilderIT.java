package dev.snakebridge.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snakebridge.PyRef;
import dev.snakebridge.Session;
import dev.snakebridge.SnakeBridge;
import dev.snakebridge.SnakeBridgeConfig;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An extension built with the builder: its settings win over an annotation, and it may configure the runtime. */
class BuilderIT {
  @Samples.Sample
  @SnakeBridgeTest // steps aside for the field's extension
  static class Programmatic {
    @RegisterExtension
    static SnakeBridgeExtension python = SnakeBridgeExtension.builder().isolatedSession(true).failOnLeaks(false).build();

    static final List<PyRef> kept = new CopyOnWriteArrayList<>();

    @Test
    void leaksButOnlyReports(Session session) {
      kept.add((PyRef) session.call("re", "compile", "x"));
    }
  }

  @Samples.Sample
  static class Configured {
    @RegisterExtension
    static SnakeBridgeExtension python = SnakeBridgeExtension.builder()
        .config(SnakeBridgeConfig.load().toBuilder().poolSize(1).build())
        .build();

    static final List<Integer> workers = new CopyOnWriteArrayList<>();

    @Test
    void runsOnTheConfiguredPool() {
      workers.add(SnakeBridge.stats().pool("default").workers());
    }
  }

  @Test
  void theBuildersSettingsApplyAndTheAnnotationStepsAside() {
    Programmatic.kept.clear();
    Samples.Outcome outcome = Samples.run(Programmatic.class);

    assertThat(outcome.failed()).isEmpty();
    assertThat(Programmatic.kept).singleElement().matches(PyRef::isReleased);
  }

  @Test
  void aConfigurationIsUsedForTheClassThenTheDefaultRuntimeComesBack() {
    Configured.workers.clear();
    SnakeBridge.runtime(); // running already with this module's snakebridge.properties (two workers)

    Samples.Outcome outcome = Samples.run(Configured.class);

    assertThat(outcome.failed()).isEmpty();
    assertThat(Configured.workers).containsExactly(1);
    assertThat(SnakeBridge.stats().pool("default").workers()).isEqualTo(2);
  }
}
