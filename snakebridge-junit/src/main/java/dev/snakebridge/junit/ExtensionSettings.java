package dev.snakebridge.junit;

import dev.snakebridge.SnakeBridgeConfig;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * What one {@link SnakeBridgeExtension} does, from {@link SnakeBridgeTest} or the extension's builder.
 *
 * @param config the default runtime's configuration, or null to leave it alone
 */
record ExtensionSettings(
    boolean isolatedSession, boolean failOnLeaks, Duration workerRecovery, int outputLines, SnakeBridgeConfig config) {
  static final ExtensionSettings DEFAULTS = new ExtensionSettings(false, true, Duration.ofSeconds(10), 50, null);

  ExtensionSettings {
    Objects.requireNonNull(workerRecovery, "workerRecovery");
    if (workerRecovery.isNegative()) {
      throw new IllegalArgumentException("workerRecovery must not be negative, got " + workerRecovery);
    }
    if (outputLines < 0) {
      throw new IllegalArgumentException("outputLines must not be negative, got " + outputLines);
    }
  }

  static ExtensionSettings of(SnakeBridgeTest a) {
    return new ExtensionSettings(a.isolatedSession(), a.failOnLeaks(),
        Duration.ofMillis(a.workerRecoveryMillis()), a.outputLines(), null);
  }

  /** The settings of the nearest {@link SnakeBridgeTest}: the method's, its class's, an enclosing class's. */
  static ExtensionSettings nearest(ExtensionContext context) {
    for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
      Optional<SnakeBridgeTest> found = c.get().getElement()
          .flatMap(element -> AnnotationSupport.findAnnotation(element, SnakeBridgeTest.class));
      if (found.isPresent()) {
        return of(found.get());
      }
    }
    return DEFAULTS;
  }

  /** Whether the test class (or a class it is nested in) has a {@code @RegisterExtension} SnakeBridgeExtension. */
  static boolean registeredByField(ExtensionContext context) {
    Class<?> c = context.getTestClass().orElse(null);
    while (c != null) {
      if (!AnnotationSupport.findAnnotatedFields(c, RegisterExtension.class,
          field -> SnakeBridgeExtension.class.isAssignableFrom(field.getType())).isEmpty()) {
        return true;
      }
      // Only @Nested (inner) classes inherit their enclosing class's extensions.
      c = c.isMemberClass() && !Modifier.isStatic(c.getModifiers()) ? c.getEnclosingClass() : null;
    }
    return false;
  }
}
