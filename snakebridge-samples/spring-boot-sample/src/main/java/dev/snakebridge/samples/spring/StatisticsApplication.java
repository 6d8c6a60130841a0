package dev.snakebridge.samples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A web service that computes statistics with numpy. The SnakeBridge starter gives it a {@code
 * SnakeBridgeRuntime} bean configured from {@code application.yaml}, the {@code snakebridge} health
 * indicator and the {@code snakebridge.*} meters.
 */
@SpringBootApplication
public class StatisticsApplication {
  public static void main(String[] args) {
    SpringApplication.run(StatisticsApplication.class, args);
  }
}
