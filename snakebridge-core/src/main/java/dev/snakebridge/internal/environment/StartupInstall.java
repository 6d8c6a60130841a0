package dev.snakebridge.internal.environment;

import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.internal.telemetry.Logs;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * {@code autoInstall} at start-up: before a runtime starts its workers, brings the project environment up
 * to date when the build allowed it ({@code dev}: the resource comes from a classes directory; {@code
 * always}). Costs no process when the environment is up to date. Thread-safe.
 */
public final class StartupInstall {
  private StartupInstall() {}

  /**
   * Sets the environment up when it is the one the runtime will use (no interpreter configured or in
   * {@code SNAKEBRIDGE_PYTHON}), out of date, and allowed to.
   *
   * @throws dev.snakebridge.SnakeBridgeException when setting it up fails
   */
  public static void beforeStart(SnakeBridgeConfig config, Map<String, String> env) {
    String fromEnv = env.get("SNAKEBRIDGE_PYTHON");
    if (config.pythonExecutable().isPresent() || (fromEnv != null && !fromEnv.isBlank())) {
      return;
    }
    Optional<ProjectEnvironment> project = ProjectEnvironment.find();
    if (project.isEmpty() || project.get().setup() == null || !project.get().autoInstall().allows(project.get().source())) {
      return;
    }
    EnvironmentSpec recorded = project.get().setup();
    // A program never rewrites the project's lock: that is the build's.
    EnvironmentSpec spec = new EnvironmentSpec(recorded.directory(), recorded.basePython(), recorded.requirements(),
        recorded.requirementsFile(), recorded.findLinks(), recorded.indexUrl(), recorded.noIndex(),
        recorded.systemSitePackages(), null);
    // The logger only here: most starts have nothing to install, and SLF4J's own start is tens of
    // milliseconds that the first call should not wait for (the runtime starts it on another thread).
    Logger log = Logs.get("snakebridge.environment");
    EnvironmentInstaller installer = new EnvironmentInstaller(spec, env, line -> log.info("  {}", line));
    if (installer.upToDate()) {
      return;
    }
    log.info("the project environment {} is out of date; setting it up (autoInstall={}, from {})", spec.directory(),
        project.get().autoInstall().id(), project.get().source());
    installer.setup();
    EnvironmentCheck.forget();
  }
}
