package dev.snakebridge.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class (or one test method) with the {@link SnakeBridgeExtension}: a clean session per
 * test, and a failure when the test leaks Python refs, stray child processes or live workers.
 *
 * <pre>{@code
 * @SnakeBridgeTest(isolatedSession = true)
 * class ModelTest {
 *   @Test
 *   void fits(Session session) {
 *     PyRef model = (PyRef) SnakeBridge.call("sklearn.linear_model", "LinearRegression");
 *     ...
 *     model.release();
 *   }
 * }
 * }</pre>
 *
 * <p>The nearest annotation wins: the method's, then its class's, then an enclosing class's. An
 * extension registered with {@code @RegisterExtension} uses its builder's settings instead.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(SnakeBridgeExtension.class)
public @interface SnakeBridgeTest {
  /**
   * Whether each test runs in its own explicit session (id {@code junit-<method>-<random>}), entered for
   * the test method and its {@code @BeforeEach} / {@code @AfterEach} methods and closed after them, and
   * injectable as a {@link dev.snakebridge.Session} parameter. Without it each test gets a fresh automatic
   * session of its thread.
   */
  boolean isolatedSession() default false;

  /**
   * Whether a leak fails the test; when false, leaks are only printed. Leaks are: refs of the test's
   * session still live after the test, child processes it started that still run, and fewer live workers
   * than before it.
   */
  boolean failOnLeaks() default true;

  /** How long to wait, after the test, for the pool to replace workers that died during it. */
  long workerRecoveryMillis() default 10_000;

  /** How many recent worker output lines (stderr, Python logging, print) to show when a test fails. */
  int outputLines() default 50;
}
