package dev.snakebridge.maven;

import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.internal.environment.EnvironmentDoctor;
import dev.snakebridge.internal.environment.LockFile;
import dev.snakebridge.internal.environment.ProjectEnvironment;
import java.util.List;
import java.util.Optional;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Prints what SnakeBridge sees ({@code mvn snakebridge:doctor}): the interpreter and how it was found, its
 * version, the project environment and lock, declared against installed packages, a worker's start time,
 * {@code /dev/shm}, CPUs, CUDA devices, and each problem with its fix. Fails the build when it finds a
 * problem.
 */
@Mojo(name = "doctor", threadSafe = true, requiresProject = false)
public class DoctorMojo extends AbstractSnakeBridgeMojo {
  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    Optional<ProjectEnvironment> project;
    try {
      project = LockFile.environment(lockFile.toPath())
          .map(env -> ProjectEnvironment.fromLock(lockFile.toPath(), env, "mvn snakebridge:setup"
              + (this.project != null && this.project.getFile() != null ? " -f " + this.project.getFile() : "")));
    } catch (RuntimeException e) {
      throw new MojoExecutionException("snakebridge: cannot read " + lockFile + ": " + e.getMessage(), e);
    }
    SnakeBridgeConfig.Builder config = SnakeBridgeConfig.load().toBuilder();
    if (python != null && !python.isBlank()) {
      config.pythonExecutable(python);
    }
    List<String> problems = new EnvironmentDoctor(config.build(), System.getenv(), project, getLog()::info).run();
    if (!problems.isEmpty()) {
      throw new MojoFailureException("snakebridge doctor: " + problems.size() + " problem(s):\n  "
          + String.join("\n  ", problems));
    }
  }
}
