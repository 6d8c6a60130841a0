package dev.snakebridge.junit;

import dev.snakebridge.Session;
import dev.snakebridge.SnakeBridge;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor.Invocation;

/** Running JUnit invocations inside explicit sessions, and naming those sessions. */
final class Sessions {
  private Sessions() {}

  /** A session id readable in logs and telemetry, unique so that no earlier test's leftovers are in it. */
  static String uniqueId(String prefix) {
    return prefix + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }

  /** Proceeds inside {@code session}; with none, in whatever session is current. */
  static <T> T proceedIn(Session session, Invocation<T> invocation) throws Throwable {
    if (session == null) {
      return invocation.proceed();
    }
    Throwable[] failure = new Throwable[1];
    T result = SnakeBridge.withSession(session.id(), () -> {
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

  /** The context of the test class around {@code context} (itself when it is one). */
  static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    return c;
  }

  /**
   * The store key of a class's session: keyed by the class's unique id because a {@code @Nested} class's
   * store also finds its outer class's entries.
   */
  static String classSessionKey(ExtensionContext classContext) {
    return "class-session:" + classContext.getUniqueId();
  }
}
