package dev.snakebridge.internal.environment;

import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.SnakeBridgeRuntime;
import dev.snakebridge.internal.worker.InterpreterResolver;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What SnakeBridge sees, for {@code snakebridge:doctor} and {@code PythonEnvironment doctor}: the
 * interpreter and how it was found, its version, the project environment and lock, declared against
 * installed packages, a worker's start time, {@code /dev/shm}, CPUs, CUDA devices when torch sees any, and
 * each problem with its fix. Not thread-safe; one run per instance.
 */
public final class EnvironmentDoctor {
  private final SnakeBridgeConfig config;
  private final Map<String, String> env;
  private final Optional<ProjectEnvironment> project;
  private final Consumer<String> out;
  private final List<String> problems = new ArrayList<>();

  /**
   * @param config the runtime configuration the program would use (its interpreter, start-up timeout)
   * @param env the environment variables ({@code System.getenv()})
   * @param project the project environment: the classpath resource, or one built from the lock
   * @param out receives the report, line by line
   */
  public EnvironmentDoctor(SnakeBridgeConfig config, Map<String, String> env, Optional<ProjectEnvironment> project,
      Consumer<String> out) {
    this.config = config;
    this.env = env;
    this.project = project;
    this.out = out;
  }

  /** Prints the report; returns the problems found, each with its fix (empty when all is well). */
  public List<String> run() {
    out.accept("SnakeBridge doctor");
    InterpreterResolver.Interpreter interpreter;
    try {
      interpreter = InterpreterResolver.resolve(config.pythonExecutable(), env, project);
    } catch (RuntimeException e) {
      problem(e.getMessage());
      return finish();
    }
    out.accept("  interpreter:   " + interpreter.executable());
    out.accept("  found through: " + interpreter.source());
    Optional<Map<?, ?>> described = describe(interpreter.executable());
    described.ifPresent(d -> {
      out.accept("  Python:        " + d.get("python") + " (" + d.get("executable") + ")");
      if (EnvironmentCheck.tooOld(String.valueOf(d.get("python")))) {
        problem("Python " + d.get("python") + " is older than 3." + EnvironmentCheck.MIN_MINOR
            + "; fix: point SNAKEBRIDGE_PYTHON at a newer interpreter");
      }
    });
    environment(described);
    if (described.isPresent()) {
      workerStart(interpreter.executable());
      cuda(described.get());
    }
    sharedMemory();
    out.accept("  CPUs:          " + Runtime.getRuntime().availableProcessors());
    return finish();
  }

  private void environment(Optional<Map<?, ?>> described) {
    if (project.isEmpty()) {
      out.accept("  environment:   none recorded (no " + ProjectEnvironment.RESOURCE + "; run `"
          + ProjectEnvironment.DEFAULT_FIX + "` to create one from the pom's <pythonDeps>)");
      return;
    }
    ProjectEnvironment p = project.get();
    out.accept("  environment:   " + p.interpreter() + (p.exists() ? "" : " (missing)"));
    out.accept("  recorded in:   " + p.source());
    if (p.lockFile() != null) {
      out.accept("  lock:          " + p.lockFile() + (Files.isRegularFile(p.lockFile()) ? "" : " (missing)"));
    }
    List<String> declared = declared(p);
    if (!declared.isEmpty()) {
      out.accept("  declared:      " + String.join("  ", declared));
    }
    if (!p.exists()) {
      problem("the project environment " + p.interpreter() + " does not exist; fix: " + p.fixCommand());
    }
    Map<?, ?> dists = described.map(d -> (Map<?, ?>) d.get("distributions")).orElse(Map.of());
    Map<?, ?> imports = described.map(d -> (Map<?, ?>) d.get("imports")).orElse(Map.of());
    if (!p.packages().isEmpty()) {
      out.accept("  packages (locked → installed):");
    }
    p.packages().forEach((name, version) -> row(name, version, dists.get(name), p));
    if (!p.wrappers().isEmpty()) {
      out.accept("  wrappers (generated from → installed):");
    }
    p.wrappers().forEach((name, version) -> row(name, version, imports.get(name), p));
  }

  /** The requirements as the build declared them: from the resource's setup, else from the lock. */
  private static List<String> declared(ProjectEnvironment p) {
    if (p.setup() != null) {
      return p.setup().requirements().stream().map(Requirement::pipSpec).toList();
    }
    try {
      return p.lockFile() == null ? List.of()
          : LockFile.environment(p.lockFile()).map(InstalledEnvironment::declared).orElse(List.of());
    } catch (RuntimeException e) {
      return List.of(); // the lock line above already says where it is; an unreadable one shows in its rows
    }
  }

  private void row(String name, String wanted, Object found, ProjectEnvironment p) {
    String mark = found == null ? "MISSING" : wanted.equals(found.toString()) ? "ok" : "DIFFERENT";
    out.accept(String.format("    %-24s %-12s %-12s %s", name, wanted, found == null ? "-" : found, mark));
    if (!"ok".equals(mark)) {
      problem(name + " " + wanted + (found == null ? " is missing" : " is " + found + " here") + "; fix: "
          + p.fixCommand());
    }
  }

  /** Runs the same query the runtime's start-up check makes, in a plain interpreter process. */
  private Optional<Map<?, ?>> describe(String python) {
    List<String> dists = new ArrayList<>(project.map(p -> p.packages().keySet()).orElse(java.util.Set.of()));
    List<String> imports = new ArrayList<>(project.map(p -> p.wrappers().keySet()).orElse(java.util.Set.of()));
    String script = DESCRIBE.formatted(Json.write(dists).strip(), Json.write(imports).strip());
    try {
      ToolRun run = ToolRun.run(List.of(python, "-c", script), Map.of(), line -> {});
      if (run.ok() && !run.output().isEmpty()) {
        return Optional.of((Map<?, ?>) Json.parse(run.output().get(run.output().size() - 1)));
      }
      problem("the interpreter " + python + " does not run (exit " + run.exitCode() + "): " + run.tail(5)
          + "; fix: install Python 3.9 or later, or set SNAKEBRIDGE_PYTHON");
    } catch (IOException e) {
      problem("the interpreter " + python + " cannot be started: " + e.getMessage()
          + "; fix: install Python 3.9 or later, or set SNAKEBRIDGE_PYTHON");
    }
    return Optional.empty();
  }

  private void workerStart(String python) {
    long t0 = System.nanoTime();
    try (SnakeBridgeRuntime runtime = SnakeBridgeRuntime.create(SnakeBridgeConfig.builder().pythonExecutable(python)
        .poolSize(1).startupTimeout(config.startupTimeout()).strictEnvironment(false).build())) {
      long ms = (System.nanoTime() - t0) / 1_000_000;
      runtime.call("builtins", "len", "ok");
      out.accept("  worker start:  " + ms + " ms (one worker, to its first call)");
    } catch (RuntimeException e) {
      problem("a worker does not start with " + python + ": " + e.getMessage());
    }
  }

  private void cuda(Map<?, ?> described) {
    Object cuda = described.get("cuda");
    if (cuda instanceof List<?> devices && !devices.isEmpty()) {
      out.accept("  CUDA devices:  " + devices.size() + " " + devices);
    } else if (cuda instanceof List<?>) {
      out.accept("  CUDA devices:  none that torch sees");
    }
  }

  private void sharedMemory() {
    Path shm = Path.of("/dev/shm");
    if (!Files.isDirectory(shm)) {
      out.accept("  /dev/shm:      none (large buffers go through temporary files)");
      return;
    }
    try {
      FileStore store = Files.getFileStore(shm);
      long total = store.getTotalSpace() >> 20;
      long free = store.getUsableSpace() >> 20;
      out.accept("  /dev/shm:      " + total + " MiB, " + free + " MiB free");
      if (free < 64) {
        problem("/dev/shm has only " + free + " MiB free; large arrays fall back to files; fix: a larger /dev/shm"
            + " (docker run --shm-size=1g, or an emptyDir with medium Memory in Kubernetes)");
      }
    } catch (IOException e) {
      out.accept("  /dev/shm:      unreadable (" + e.getMessage() + ")");
    }
  }

  private void problem(String text) {
    problems.add(text);
  }

  private List<String> finish() {
    if (problems.isEmpty()) {
      out.accept("No problems found.");
    } else {
      out.accept(problems.size() + (problems.size() == 1 ? " problem:" : " problems:"));
      problems.forEach(p -> out.accept("  - " + p));
    }
    return List.copyOf(problems);
  }

  /** The start-up check's query, plus the CUDA devices torch sees (only when torch is installed). */
  private static final String DESCRIBE = """
      import importlib.metadata as md, importlib.util, json, platform, sys
      def version(d):
          try:
              return md.version(d)
          except md.PackageNotFoundError:
              return None
      dists, imports = %s, %s
      try:
          providers = md.packages_distributions()
      except AttributeError:
          providers = {}
      found = {}
      for name in imports:
          found[name] = next((v for v in map(version, providers.get(name, [name])) if v), None)
      cuda = None
      if importlib.util.find_spec("torch") is not None:
          try:
              import torch
              cuda = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
          except Exception:
              cuda = []
      print(json.dumps({"python": platform.python_version(), "executable": sys.executable,
                        "distributions": {d: version(d) for d in dists}, "imports": found, "cuda": cuda}))
      """;
}
