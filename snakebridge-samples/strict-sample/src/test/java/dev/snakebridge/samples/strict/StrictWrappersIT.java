package dev.snakebridge.samples.strict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.snakebridge.SnakeBridge;
import dev.snakebridge.py.Numpy;
import dev.snakebridge.py.numpy.Linalg;
import dev.snakebridge.py.numpy.Ndarray;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Runs wrappers that a strict build compiled from committed sources, without generating them. */
class StrictWrappersIT {
  @AfterAll
  static void stop() {
    SnakeBridge.shutdown();
  }

  @Test
  void committedWrappersWork() {
    Ndarray m = Numpy.array(List.of(List.of(2, 0), List.of(0, 3)));   // typed: numpy documents "out : ndarray"
    assertThat((Double) Linalg.det(m)).isCloseTo(6.0, within(1e-9));
    assertThat(Linalg.inv(m)).isNotNull();
    assertThat(m.tolist()).isEqualTo(List.of(List.of(2L, 0L), List.of(0L, 3L)));
  }
}
