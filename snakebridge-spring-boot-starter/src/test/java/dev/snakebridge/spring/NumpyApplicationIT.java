package dev.snakebridge.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snakebridge.SnakeBridgeRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.stereotype.Service;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A Spring Boot application whose service calls numpy through the auto-configured runtime bean. */
@SpringBootTest(classes = NumpyApplicationIT.Application.class,
    properties = {"snakebridge.pool-size=1", "snakebridge.startup-timeout=60s"})
class NumpyApplicationIT {
  @SpringBootApplication
  static class Application {
    @Service
    static class Statistics {
      private final SnakeBridgeRuntime python;

      Statistics(SnakeBridgeRuntime python) {
        this.python = python;
      }

      double mean(double[] values) {
        return ((Number) python.call("numpy", "mean", (Object) values)).doubleValue();
      }

      double standardDeviation(double[] values) {
        return ((Number) python.call("numpy", "std", (Object) values)).doubleValue();
      }
    }
  }

  @DynamicPropertySource
  static void interpreter(DynamicPropertyRegistry registry) {
    registry.add("snakebridge.python", SnakeBridgeAutoConfigurationIT::python);
  }

  @Autowired Application.Statistics statistics;

  @Test
  void theServiceComputesWithNumpy() {
    double[] values = {2, 4, 4, 4, 5, 5, 7, 9};
    assertThat(statistics.mean(values)).isEqualTo(5.0);
    assertThat(statistics.standardDeviation(values)).isEqualTo(2.0);
  }
}
