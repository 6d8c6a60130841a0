package dev.snakebridge.spring;

import dev.snakebridge.SnakeBridgeConfig;

/**
 * Adjusts the runtime's configuration after the {@code snakebridge.*} properties are applied: for
 * options that are code rather than text (a helper path computed at start, a timeout profile per
 * tenant). Beans of this type run in their {@code @Order}.
 */
@FunctionalInterface
public interface SnakeBridgeConfigCustomizer {
  void customize(SnakeBridgeConfig.Builder builder);
}
