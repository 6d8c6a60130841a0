package dev.snakebridge.junit;

import dev.snakebridge.Session;
import dev.snakebridge.SnakeBridge;
import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.SnakeBridgeRuntime;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;

/**
 * JUnit Jupiter extension for code that calls Python through SnakeBridge's default runtime. For each test
 * it
 *
 * <ul>
 *   <li>gives the test a clean session: a fresh automatic session of its thread (released after the test),
 *       or with {@code isolatedSession} an explicit session entered for the test and its
 *       {@code @BeforeEach}/{@code @AfterEach} methods, closed after them and injectable as a {@link Session}
 *       parameter ({@link SnakeBridgeRuntime} parameters get the default runtime);
 *   <li>fails the test, with a message saying what to fix, when refs of its session are still live after
 *       it, when child processes it started still run, or when the pool has fewer live workers than before
 *       it (a worker that died is given time to be replaced);
 *   <li>when the test fails, prints the workers' output during it (stderr, Python logging and
 *       {@code print}) to {@code System.err} and publishes it as the report entry {@code
 *       snakebridge.workerOutput}.
 * </ul>
 *
 * <p>Use {@link SnakeBridgeTest @SnakeBridgeTest}, {@code @ExtendWith(SnakeBridgeExtension.class)} (the
 * defaults), or a builder:
 *
 * <pre>{@code
 * @RegisterExtension
 * static SnakeBridgeExtension python = SnakeBridgeExtension.builder()
 *     .isolatedSession(true)
 *     .config(SnakeBridgeConfig.builder().poolSize(2).build())
 *     .build();
 * }</pre>
 *
 * <p>Checks are exact for tests that run one at a time. Refs are counted in the test's session only: work
 * the test hands to other threads belongs to their sessions unless it enters the test's explicit session.
 */
public final class SnakeBridgeExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
    AfterEachCallback, InvocationInterceptor, ParameterResolver {
  private static final Namespace NAMESPACE = Namespace.create(SnakeBridgeExtension.class);
  private static final String OUTPUT_ENTRY = "snakebridge.workerOutput";
  /** The stderr pipe is read apart from answers: give a traceback printed just before a failure time to arrive. */
  private static final long OUTPUT_SETTLE_MILLIS = 100;

  /** Null when registered by annotation: settings then come from the nearest {@link SnakeBridgeTest}. */
  private final ExtensionSettings built;
  /** The unique id of the container whose beforeAll applied {@code built.config()}: it undoes it. */
  private String configAppliedIn;
  private boolean configApplied;

  /** The extension with the settings of the nearest {@link SnakeBridgeTest}, else the defaults. */
  public SnakeBridgeExtension() {
    this(null);
  }

  private SnakeBridgeExtension(ExtensionSettings built) {
    this.built = built;
  }

  /** A builder for a {@code @RegisterExtension} field; its settings start at the annotation's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  // ------------------------------------------------------------------ lifecycle

  @Override
  public void beforeAll(ExtensionContext context) {
    if (active(context) && !configApplied) {
      applyConfig();
      configAppliedIn = configApplied ? context.getUniqueId() : null;
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (configApplied && context.getUniqueId().equals(configAppliedIn)) {
      // The next test class should not inherit this one's pools: stop them, and go back to what the
      // default runtime would use without configure().
      SnakeBridge.shutdown();
      SnakeBridge.configure(SnakeBridgeConfig.load());
      configApplied = false;
      configAppliedIn = null;
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!active(context)) {
      return;
    }
    applyConfig();
    SnakeBridgeRuntime runtime = SnakeBridge.runtime();
    String name = context.getTestMethod().map(Method::getName).orElse("test");
    store(context).put(TestScope.class, TestScope.begin(this, monitor(context, runtime), settings(context), name));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestScope scope = scope(context);
    if (scope == null) {
      return;
    }
    store(context).remove(TestScope.class);
    List<String> problems;
    if (SnakeBridge.runtime() != scope.runtime()) {
      problems = List.of();
      System.err.println("SnakeBridge: " + context.getDisplayName()
          + " replaced the default runtime; its leak checks were skipped");
    } else {
      problems = scope.finish();
    }
    boolean alreadyFailed = context.getExecutionException().isPresent();
    boolean failNow = !problems.isEmpty() && scope.settings().failOnLeaks() && !alreadyFailed;
    if (!problems.isEmpty() && !failNow) {
      // A test that failed already usually skipped its cleanup: its leaks are noise next to its failure.
      System.err.println("SnakeBridge: " + context.getDisplayName() + " leaked:\n  - " + String.join("\n  - ", problems));
    }
    if (alreadyFailed || failNow) {
      reportOutput(context, scope);
    }
    if (failNow) {
      throw new AssertionFailedError("SnakeBridge leak check failed for " + context.getDisplayName() + ":\n  - "
          + String.join("\n  - ", problems));
    }
  }

  private static void reportOutput(ExtensionContext context, TestScope scope) {
    if (scope.settings().outputLines() == 0) {
      return;
    }
    try {
      Thread.sleep(OUTPUT_SETTLE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<String> lines = scope.output();
    if (lines.isEmpty()) {
      return;
    }
    String text = String.join("\n", lines);
    System.err.println("---- SnakeBridge worker output during " + context.getDisplayName() + " ----\n" + text
        + "\n---- end of worker output ----");
    context.publishReportEntry(OUTPUT_ENTRY, text);
  }

  // ------------------------------------------------------- the test's session

  @Override
  public void interceptBeforeEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
      ExtensionContext context) throws Throwable {
    inSession(invocation, context);
  }

  @Override
  public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
      ExtensionContext context) throws Throwable {
    inSession(invocation, context);
  }

  @Override
  public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
      ExtensionContext context) throws Throwable {
    inSession(invocation, context);
  }

  @Override
  public <T> T interceptTestFactoryMethod(Invocation<T> invocation, ReflectiveInvocationContext<Method> call,
      ExtensionContext context) throws Throwable {
    return inSession(invocation, context);
  }

  @Override
  public void interceptDynamicTest(Invocation<Void> invocation, DynamicTestInvocationContext call,
      ExtensionContext context) throws Throwable {
    inSession(invocation, context);
  }

  @Override
  public void interceptAfterEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
      ExtensionContext context) throws Throwable {
    inSession(invocation, context);
  }

  /** Proceeds inside the test's explicit session, if it has one. */
  private <T> T inSession(Invocation<T> invocation, ExtensionContext context) throws Throwable {
    TestScope scope = scope(context);
    if (scope == null || scope.session() == null) {
      return invocation.proceed();
    }
    Throwable[] failure = new Throwable[1];
    T result = scope.runtime().withSession(scope.session().id(), () -> {
      try {
        return invocation.proceed();
      } catch (Throwable t) { // rethrown as is below: withSession takes a Supplier
        failure[0] = t;
        return null;
      }
    });
    if (failure[0] != null) {
      throw failure[0];
    }
    return result;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return (type == Session.class || type == SnakeBridgeRuntime.class) && active(context);
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (parameter.getParameter().getType() == SnakeBridgeRuntime.class) {
      applyConfig();
      return SnakeBridge.runtime();
    }
    TestScope scope = scope(context);
    if (scope == null || scope.session() == null) {
      throw new ParameterResolutionException("SnakeBridge injects a Session only with an isolated session, into"
          + " test methods and @BeforeEach/@AfterEach methods: use @SnakeBridgeTest(isolatedSession = true) or"
          + " SnakeBridgeExtension.builder().isolatedSession(true); without it, calls use the thread's automatic"
          + " session (SnakeBridge.currentSession())");
    }
    return scope.session();
  }

  // ------------------------------------------------------------------ plumbing

  private static ExtensionContext.Store store(ExtensionContext context) {
    return context.getStore(NAMESPACE);
  }

  /** This instance's scope for the current test (the store looks up parent contexts for dynamic tests). */
  private TestScope scope(ExtensionContext context) {
    TestScope scope = store(context).get(TestScope.class, TestScope.class);
    return scope != null && scope.owner() == this ? scope : null;
  }

  /** The monitor of {@code runtime}, shared by every test of the run; a new runtime gets a new one. */
  private static RuntimeMonitor monitor(ExtensionContext context, SnakeBridgeRuntime runtime) {
    ExtensionContext.Store root = context.getRoot().getStore(NAMESPACE);
    synchronized (SnakeBridgeExtension.class) {
      RuntimeMonitor monitor = root.get(RuntimeMonitor.class, RuntimeMonitor.class);
      if (monitor == null || monitor.runtime() != runtime) {
        if (monitor != null) {
          monitor.close();
        }
        monitor = RuntimeMonitor.attach(runtime);
        root.put(RuntimeMonitor.class, monitor); // closed (handlers detached) when the run ends
      }
      return monitor;
    }
  }

  private ExtensionSettings settings(ExtensionContext context) {
    if (built != null) {
      return built;
    }
    for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
      Optional<SnakeBridgeTest> found = c.get().getElement()
          .flatMap(element -> AnnotationSupport.findAnnotation(element, SnakeBridgeTest.class));
      if (found.isPresent()) {
        return ExtensionSettings.of(found.get());
      }
    }
    return ExtensionSettings.DEFAULTS;
  }

  /**
   * Whether this instance acts. An annotation-registered instance steps aside when the test class also
   * registers one with {@code @RegisterExtension}: the builder's settings are the more specific, and two
   * instances would each release the session and both offer to resolve the same parameters.
   */
  private boolean active(ExtensionContext context) {
    if (built != null) {
      return true;
    }
    Class<?> c = context.getTestClass().orElse(null);
    while (c != null) {
      boolean registered = !AnnotationSupport.findAnnotatedFields(c, RegisterExtension.class,
          field -> SnakeBridgeExtension.class.isAssignableFrom(field.getType())).isEmpty();
      if (registered) {
        return false;
      }
      // Only @Nested (inner) classes inherit their enclosing class's extensions.
      c = c.isMemberClass() && !Modifier.isStatic(c.getModifiers()) ? c.getEnclosingClass() : null;
    }
    return true;
  }

  private void applyConfig() {
    SnakeBridgeConfig config = built == null ? null : built.config();
    if (config == null || configApplied) {
      return;
    }
    configApplied = true;
    try {
      SnakeBridge.configure(config);
    } catch (IllegalStateException alreadyRunning) {
      if (SnakeBridge.runtime().config() != config) {
        SnakeBridge.shutdown(); // started by an earlier test class with another configuration
        SnakeBridge.configure(config);
      }
    }
  }

  /** Builds a {@link SnakeBridgeExtension} for {@code @RegisterExtension}. */
  public static final class Builder {
    private boolean isolatedSession = ExtensionSettings.DEFAULTS.isolatedSession();
    private boolean failOnLeaks = ExtensionSettings.DEFAULTS.failOnLeaks();
    private Duration workerRecovery = ExtensionSettings.DEFAULTS.workerRecovery();
    private int outputLines = ExtensionSettings.DEFAULTS.outputLines();
    private SnakeBridgeConfig config;

    private Builder() {}

    /** See {@link SnakeBridgeTest#isolatedSession()}. */
    public Builder isolatedSession(boolean isolated) {
      this.isolatedSession = isolated;
      return this;
    }

    /** See {@link SnakeBridgeTest#failOnLeaks()}. */
    public Builder failOnLeaks(boolean fail) {
      this.failOnLeaks = fail;
      return this;
    }

    /** See {@link SnakeBridgeTest#workerRecoveryMillis()}. */
    public Builder workerRecovery(Duration timeout) {
      this.workerRecovery = timeout;
      return this;
    }

    /** See {@link SnakeBridgeTest#outputLines()}. */
    public Builder outputLines(int lines) {
      this.outputLines = lines;
      return this;
    }

    /**
     * Runs the test class against a default runtime with this configuration: it is applied before the
     * first test (restarting a default runtime that runs with another one) and the runtime is shut down
     * after the class. Needs a {@code static} field, so that JUnit calls the class-level callbacks.
     */
    public Builder config(SnakeBridgeConfig config) {
      this.config = config;
      return this;
    }

    /**
     * The extension.
     *
     * @throws IllegalArgumentException when the recovery time or the number of output lines is negative
     */
    public SnakeBridgeExtension build() {
      return new SnakeBridgeExtension(
          new ExtensionSettings(isolatedSession, failOnLeaks, workerRecovery, outputLines, config));
    }
  }
}
