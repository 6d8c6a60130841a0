package dev.snakebridge.junit;

import dev.snakebridge.Session;
import dev.snakebridge.SnakeBridge;
import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.SnakeBridgeRuntime;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.time.Duration;
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
 * <p>The class's own work (constructor, field initializers, {@code @BeforeAll}, {@code @AfterAll}) runs in
 * a session of the class, closed after the class, so refs made there stay usable by every test.
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
 * <p>Refs are counted in the test's session only: work the test hands to other threads belongs to their
 * sessions unless it enters the test's explicit session. The child process and worker checks look at the
 * whole JVM, so they are skipped when JUnit runs tests in parallel.
 */
public final class SnakeBridgeExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
    AfterEachCallback, InvocationInterceptor, ParameterResolver {
  private static final Namespace NAMESPACE = Namespace.create(SnakeBridgeExtension.class);

  /** Null when registered by annotation: settings then come from the nearest {@link SnakeBridgeTest}. */
  private final ExtensionSettings built;
  private boolean configApplied;
  /** The unique id of the container whose beforeAll applied {@code built.config()}: it undoes it. */
  private String configAppliedIn;

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
    if (!active(context)) {
      return;
    }
    if (!configApplied) {
      applyConfig();
      configAppliedIn = configApplied ? context.getUniqueId() : null;
    }
    classSession(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Session classSession = store(context).remove(Sessions.classSessionKey(context), Session.class);
    if (classSession != null) {
      classSession.close();
    }
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
    RuntimeMonitor monitor = RuntimeMonitor.of(context.getRoot().getStore(NAMESPACE), SnakeBridge.runtime());
    String name = context.getTestMethod().map(Method::getName).orElse("test");
    // Other tests running at the same time start processes and lose workers too: only refs are theirs alone.
    boolean processChecks = !context.getConfigurationParameter("junit.jupiter.execution.parallel.enabled",
        Boolean::parseBoolean).orElse(false);
    ExtensionSettings settings = built != null ? built : ExtensionSettings.nearest(context);
    store(context).put(TestScope.class, TestScope.begin(this, monitor, settings, name, processChecks));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestScope scope = scope(context);
    if (scope != null) {
      store(context).remove(TestScope.class);
      scope.end(context);
    }
  }

  // ------------------------------------------------------ the class's session

  /*
   * Without it, the class's own work would land in the thread's automatic session, which is renewed
   * before each test: a model loaded in @BeforeAll would be gone by the first test.
   */

  @Override
  public <T> T interceptTestClassConstructor(Invocation<T> invocation, ReflectiveInvocationContext<Constructor<T>> call,
      ExtensionContext context) throws Throwable {
    return Sessions.proceedIn(active(context) ? classSession(context) : null, invocation);
  }

  @Override
  public void interceptBeforeAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
      ExtensionContext context) throws Throwable {
    Sessions.proceedIn(active(context) ? classSession(context) : null, invocation);
  }

  @Override
  public void interceptAfterAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
      ExtensionContext context) throws Throwable {
    Sessions.proceedIn(active(context) ? classSession(context) : null, invocation);
  }

  /** The session of the test class around {@code context}, created on first use (a PER_CLASS constructor). */
  private Session classSession(ExtensionContext context) {
    ExtensionContext classContext = Sessions.classContext(context);
    String name = classContext.getTestClass().map(Class::getSimpleName).orElse("class");
    return store(classContext).getOrComputeIfAbsent(Sessions.classSessionKey(classContext), key -> {
      applyConfig();
      return SnakeBridge.runtime().session(Sessions.uniqueId("junit-class-" + name));
    }, Session.class);
  }

  // ------------------------------------------------------- the test's session

  @Override
  public void interceptBeforeEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
      ExtensionContext context) throws Throwable {
    Sessions.proceedIn(testSession(context), invocation);
  }

  @Override
  public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
      ExtensionContext context) throws Throwable {
    Sessions.proceedIn(testSession(context), invocation);
  }

  @Override
  public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
      ExtensionContext context) throws Throwable {
    Sessions.proceedIn(testSession(context), invocation);
  }

  @Override
  public <T> T interceptTestFactoryMethod(Invocation<T> invocation, ReflectiveInvocationContext<Method> call,
      ExtensionContext context) throws Throwable {
    return Sessions.proceedIn(testSession(context), invocation);
  }

  @Override
  public void interceptDynamicTest(Invocation<Void> invocation, DynamicTestInvocationContext call,
      ExtensionContext context) throws Throwable {
    Sessions.proceedIn(testSession(context), invocation);
  }

  @Override
  public void interceptAfterEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
      ExtensionContext context) throws Throwable {
    Sessions.proceedIn(testSession(context), invocation);
  }

  /** The test's explicit session, or null when it runs in its thread's automatic session. */
  private Session testSession(ExtensionContext context) {
    TestScope scope = scope(context);
    return scope == null ? null : scope.session();
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
    Session session = testSession(context);
    if (session == null) {
      throw new ParameterResolutionException("SnakeBridge injects a Session only with an isolated session, into"
          + " test methods and @BeforeEach/@AfterEach methods: use @SnakeBridgeTest(isolatedSession = true) or"
          + " SnakeBridgeExtension.builder().isolatedSession(true); without it, calls use the thread's automatic"
          + " session (SnakeBridge.currentSession())");
    }
    return session;
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

  /**
   * Whether this instance acts. An annotation-registered instance steps aside when the test class also
   * registers one with {@code @RegisterExtension}: the builder's settings are the more specific, and two
   * instances would each release the session and both offer to resolve the same parameters.
   */
  private boolean active(ExtensionContext context) {
    return built != null || !ExtensionSettings.registeredByField(context);
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
