package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.snakebridge.wrappers.PyInterop;
import org.junit.jupiter.api.Test;

/** What generated wrappers accept as a result of their declared Python type, against real objects. */
class WrapperResultTypesIT {
  @Test
  void aRefOfTheDeclaredTypeOrOfASubclassIsAcceptedAndAnyOtherNamesBothTypes() {
    try (SnakeBridgeRuntime py = Workers.start(1)) {
      PyRef fraction = (PyRef) py.call("fractions", "Fraction", 3, 4);
      assertThat(PyInterop.ref(fraction, "fractions.Fraction")).isSameAs(fraction);
      // numbers.Rational is a base class of Fraction: a subclass fits its base's wrapper.
      assertThat(PyInterop.ref(fraction, "numbers.Rational")).isSameAs(fraction);
      ResultTypeException wrong = catchThrowableOfType(ResultTypeException.class,
          () -> PyInterop.ref(fraction, "decimal.Decimal"));
      assertThat(wrong).hasMessageContaining("decimal.Decimal").hasMessageContaining("fractions.Fraction");
      ResultTypeException plain = catchThrowableOfType(ResultTypeException.class,
          () -> PyInterop.ref(py.call("math", "sqrt", 16), "fractions.Fraction"));
      assertThat(plain).hasMessageContaining("fractions.Fraction").hasMessageContaining("float");
    }
  }
}
