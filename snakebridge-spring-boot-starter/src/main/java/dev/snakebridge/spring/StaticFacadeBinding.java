package dev.snakebridge.spring;

import dev.snakebridge.SnakeBridge;
import dev.snakebridge.SnakeBridgeRuntime;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Points the static {@link SnakeBridge} facade (and so generated wrappers) at the context's runtime while
 * the context lives, and lets go of it before the runtime closes.
 */
final class StaticFacadeBinding implements InitializingBean, DisposableBean {
  private final SnakeBridgeRuntime runtime;

  StaticFacadeBinding(SnakeBridgeRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public void afterPropertiesSet() {
    SnakeBridge.useRuntime(runtime);
  }

  @Override
  public void destroy() {
    if (SnakeBridge.runtimeIfStarted().orElse(null) == runtime) {
      SnakeBridge.useRuntime(null);
    }
  }
}
