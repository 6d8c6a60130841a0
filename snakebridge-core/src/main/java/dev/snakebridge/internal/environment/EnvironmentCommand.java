package dev.snakebridge.internal.environment;

import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.SnakeBridgeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The command line of {@code dev.snakebridge.PythonEnvironment}: {@code setup} and {@code doctor}, the same
 * as the Maven goals for builds without Maven. Stateless and thread-safe.
 */
public final class EnvironmentCommand {
  static final String USAGE = """
      usage: PythonEnvironment setup [options] REQUIREMENT...
               creates the environment and installs the requirements (pip syntax: numpy>=1.24,<2)
               --dir DIR               the environment (default .snakebridge/venv)
               --python PYTHON         the interpreter that creates it (default python3 on PATH)
               --find-links DIR        a directory of wheels (repeatable)
               --index-url URL         the package index
               --no-index              use no index, only --find-links
               --system-site-packages  see the base interpreter's packages
               -r FILE                 install a requirements.txt too
               --lock FILE             record what is installed (default snakebridge.lock.json)
               --resource DIR          write META-INF/snakebridge/environment.json under DIR (a classes directory)
             PythonEnvironment doctor [--lock FILE]
               prints what SnakeBridge sees; the project environment from the classpath, or from FILE
      """;

  private EnvironmentCommand() {}

  /** Runs one command; returns the exit status (0 ok, 1 failed or problems found, 2 bad arguments). */
  public static int run(String[] args, Consumer<String> out, Consumer<String> err) {
    if (args.length == 0 || !List.of("setup", "doctor").contains(args[0])) {
      err.accept(USAGE);
      return 2;
    }
    try {
      return args[0].equals("setup") ? setup(args, out) : doctor(args, out);
    } catch (IllegalArgumentException e) {
      err.accept(e.getMessage());
      err.accept(USAGE);
      return 2;
    } catch (SnakeBridgeException e) {
      err.accept(e.getMessage());
      return 1;
    }
  }

  private static int setup(String[] args, Consumer<String> out) {
    Path dir = Path.of(".snakebridge", "venv");
    String python = null;
    List<Path> links = new ArrayList<>();
    String index = null;
    boolean noIndex = false;
    boolean system = false;
    Path requirementsFile = null;
    Path lock = Path.of("snakebridge.lock.json");
    Path resource = null;
    List<Requirement> requirements = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--dir" -> dir = Path.of(value(args, ++i));
        case "--python" -> python = value(args, ++i);
        case "--find-links" -> links.add(Path.of(value(args, ++i)));
        case "--index-url" -> index = value(args, ++i);
        case "--no-index" -> noIndex = true;
        case "--system-site-packages" -> system = true;
        case "-r" -> requirementsFile = Path.of(value(args, ++i));
        case "--lock" -> lock = Path.of(value(args, ++i));
        case "--resource" -> resource = Path.of(value(args, ++i));
        default -> {
          if (args[i].startsWith("-")) {
            throw new IllegalArgumentException("unknown option " + args[i]);
          }
          requirements.add(Requirement.parse(args[i]));
        }
      }
    }
    EnvironmentSpec spec = new EnvironmentSpec(dir, python, requirements, requirementsFile, links, index, noIndex,
        system, lock);
    long t0 = System.nanoTime();
    InstalledEnvironment env = new EnvironmentInstaller(spec, System.getenv(), out).setup();
    out.accept((env.changed() ? "set up " : "up to date: ") + env.directory() + " (Python " + env.pythonVersion()
        + ", " + env.packages().size() + " packages) in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    if (resource != null) {
      ProjectEnvironment.fromLock(spec.lockFile(), env, "java dev.snakebridge.PythonEnvironment setup ...")
          .writeTo(resource);
    }
    return 0;
  }

  private static int doctor(String[] args, Consumer<String> out) {
    Optional<ProjectEnvironment> project = ProjectEnvironment.find();
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--lock")) {
        Path lock = Path.of(value(args, ++i)).toAbsolutePath();
        project = LockFile.environment(lock).map(e -> ProjectEnvironment.fromLock(lock, e, ProjectEnvironment.DEFAULT_FIX));
      } else {
        throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    return new EnvironmentDoctor(SnakeBridgeConfig.load(), System.getenv(), project, out).run().isEmpty() ? 0 : 1;
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }
}
