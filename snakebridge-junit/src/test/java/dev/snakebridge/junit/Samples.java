package dev.snakebridge.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.snakebridge.PyRef;
import dev.snakebridge.SnakeBridge;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Runs sample test classes (which exercise the extension, and some of which must fail) through
 * {@link EngineTestKit}, and reads their outcomes by method name.
 */
final class Samples {
  private static final String ENABLED = "snakebridge.junit.samples";

  private Samples() {}

  /** Marks a sample class: it runs only under {@link #run}, never on its own (an IDE running a package). */
  @Target(ElementType.TYPE)
  @Retention(RetentionPolicy.RUNTIME)
  @ExtendWith(OnlyUnderTestKit.class)
  @interface Sample {}

  static final class OnlyUnderTestKit implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return context.getConfigurationParameter(ENABLED).isPresent()
          ? ConditionEvaluationResult.enabled("run by Samples.run")
          : ConditionEvaluationResult.disabled("a sample for the extension's own tests");
    }
  }

  /** The outcome of each test of a sample class, by method name. */
  record Outcome(EngineExecutionResults results) {
    Map<String, TestExecutionResult> byTest() {
      Map<String, TestExecutionResult> outcomes = new LinkedHashMap<>();
      results.testEvents().finished().stream()
          .forEach(e -> outcomes.put(name(e), e.getRequiredPayload(TestExecutionResult.class)));
      return outcomes;
    }

    List<String> failed() {
      return byTest().entrySet().stream()
          .filter(e -> e.getValue().getStatus() != TestExecutionResult.Status.SUCCESSFUL)
          .map(Map.Entry::getKey)
          .toList();
    }

    Throwable failure(String test) {
      return byTest().get(test).getThrowable().orElseThrow();
    }

    /** The worker output the extension published for {@code test}, or null. */
    String workerOutput(String test) {
      return results.allEvents().reportingEntryPublished().stream()
          .filter(e -> name(e).equals(test))
          .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs().get("snakebridge.workerOutput"))
          .filter(v -> v != null)
          .findFirst()
          .orElse(null);
    }

    private static String name(Event e) {
      String display = e.getTestDescriptor().getDisplayName();
      return display.substring(0, display.indexOf('(') < 0 ? display.length() : display.indexOf('('));
    }
  }

  /** A new ref in the current session: a compiled pattern, which stays in Python (a dict would cross by value). */
  static PyRef newRef() {
    return (PyRef) SnakeBridge.call("re", "compile", "x");
  }

  static Outcome run(Class<?> sample) {
    return new Outcome(EngineTestKit.engine("junit-jupiter")
        .configurationParameter(ENABLED, "true")
        .selectors(selectClass(sample))
        .execute());
  }
}
