package dev.snakebridge.wrappers;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a type written by the SnakeBridge code generator. Kept in the class files (class retention) so
 * that coverage tools and linters that skip generated code (JaCoCo skips any annotation named
 * {@code Generated} with class or runtime retention) leave wrappers out.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Generated {
  /**
   * What generated the type and from what: {@code "SnakeBridge from numpy 1.24.2"}.
   *
   * @return the generator and the library
   */
  String value();
}
