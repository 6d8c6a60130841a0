package dev.snakebridge.internal.environment;

import dev.snakebridge.SnakeBridgeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Creates a project's virtual environment and installs its declared packages: with {@code uv} when it is
 * on {@code PATH}, else with {@code python -m venv} and pip. What the tools print goes to the progress
 * sink; a failure names the package and quotes the tool. Records what was installed in a state file inside
 * the environment and in the lock file; when nothing that setup depends on has changed, a re-run starts no
 * process at all. One setup per environment at a time; instances are not thread-safe.
 */
public final class EnvironmentInstaller {
  /** The state file inside the environment: the last setup's result and fingerprint. */
  public static final String STATE_FILE = "snakebridge-environment.json";
  private static final Pattern NO_MATCH = Pattern.compile(
      "(?:No matching distribution found for|Could not find a version that satisfies the requirement"
          + "|Because (?:there is no version of|only)|No solution found when resolving dependencies.*?for) ([^\\s:;(]+)");

  private final EnvironmentSpec spec;
  private final Map<String, String> env;
  private final Consumer<String> progress;

  /**
   * @param spec what the environment should hold
   * @param env the environment variables to read ({@code PATH}, {@code PIP_*}); normally {@code System.getenv()}
   * @param progress receives each line the tools print
   */
  public EnvironmentInstaller(EnvironmentSpec spec, Map<String, String> env, Consumer<String> progress) {
    this.spec = spec;
    this.env = Map.copyOf(env);
    this.progress = progress;
  }

  /**
   * Brings the environment up to date with the spec.
   *
   * @return what it holds now; {@link InstalledEnvironment#changed()} is false when nothing had to be done
   * @throws SnakeBridgeException when a tool fails (naming the package and quoting the tool's error) or no
   *     interpreter is found
   */
  public InstalledEnvironment setup() {
    String fingerprint = SetupFingerprint.of(spec, env);
    Optional<InstalledEnvironment> previous = state();
    if (previous.isPresent() && previous.get().fingerprint().equals(fingerprint)
        && Files.isExecutable(spec.python())) {
      InstalledEnvironment same = previous.get().unchanged();
      if (spec.lockFile() != null) {
        LockFile.writeEnvironment(spec.lockFile(), same);
      }
      return same;
    }
    String base = basePython();
    Optional<Path> uv = InterpreterPaths.findOnPath("uv", env.getOrDefault("PATH", ""));
    try {
      boolean basePip = uv.isEmpty() && baseHasModernPip(base);
      createVenv(base, uv, basePip);
      // Until this setup succeeds, the environment matches no fingerprint: a half-done install is redone.
      Files.deleteIfExists(spec.directory().resolve(STATE_FILE));
      Map<String, String> hashes = install(base, uv, basePip);
      InstalledEnvironment result = describe(uv.isPresent() ? "uv" : "pip", fingerprint, hashes, previous);
      if (EnvironmentCheck.tooOld(result.pythonVersion())) {
        throw new SnakeBridgeException(base + " is Python " + result.pythonVersion() + "; SnakeBridge needs 3."
            + EnvironmentCheck.MIN_MINOR + " or later: set basePython to a newer interpreter");
      }
      LockFile.writeIfChanged(spec.directory().resolve(STATE_FILE), Json.write(result.toJson()));
      if (spec.lockFile() != null) {
        LockFile.writeEnvironment(spec.lockFile(), result);
      }
      return result;
    } catch (IOException e) {
      throw new SnakeBridgeException("cannot set up the Python environment " + spec.directory() + ": " + e.getMessage(), e);
    }
  }

  /** The state the last successful setup left, if any. */
  public Optional<InstalledEnvironment> state() {
    Path state = spec.directory().resolve(STATE_FILE);
    if (!Files.isRegularFile(state)) {
      return Optional.empty();
    }
    try {
      return Optional.of(InstalledEnvironment.fromJson((Map<?, ?>) Json.parse(Files.readString(state))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Whether a setup now would have nothing to do (no process is started to find out). */
  public boolean upToDate() {
    return state().map(s -> s.fingerprint().equals(SetupFingerprint.of(spec, env))).orElse(false)
        && Files.isExecutable(spec.python());
  }

  private String basePython() {
    if (spec.basePython() != null) {
      return spec.basePython();
    }
    return InterpreterPaths.findOnPath("python3", env.getOrDefault("PATH", ""))
        .map(Path::toString)
        .orElseThrow(() -> new SnakeBridgeException("no Python to create " + spec.directory() + " with: tried python3"
            + " on PATH (" + env.getOrDefault("PATH", "") + "); install Python 3.9 or later or name one"));
  }

  private boolean baseHasModernPip(String base) throws IOException {
    ToolRun run = ToolRun.run(List.of(base, "-m", "pip", "--version"), Map.of(), line -> {});
    Matcher m = Pattern.compile("^pip (\\d+)\\.(\\d+)").matcher(run.output().isEmpty() ? "" : run.output().get(0));
    // pip learnt --python (install into another interpreter) in 22.3.
    return run.ok() && m.find()
        && (Integer.parseInt(m.group(1)) > 22 || (Integer.parseInt(m.group(1)) == 22 && Integer.parseInt(m.group(2)) >= 3));
  }

  private void createVenv(String base, Optional<Path> uv, boolean basePip) throws IOException {
    Path cfg = spec.directory().resolve("pyvenv.cfg");
    if (Files.isRegularFile(cfg) && Files.isExecutable(spec.python())) {
      boolean system = Files.readString(cfg).matches("(?s).*include-system-site-packages\\s*=\\s*true.*");
      if (system == spec.systemSitePackages()) {
        return;
      }
      progress.accept("systemSitePackages changed: recreating " + spec.directory());
      deleteTree(spec.directory());
    } else if (Files.isDirectory(spec.directory()) && !isEmpty(spec.directory())) {
      throw new SnakeBridgeException(spec.directory() + " exists and is not a virtual environment (no pyvenv.cfg);"
          + " remove it or choose another venvDirectory");
    }
    List<String> cmd = new ArrayList<>();
    if (uv.isPresent()) {
      cmd.addAll(List.of(uv.get().toString(), "venv", "--python", base));
    } else {
      cmd.addAll(List.of(base, "-m", "venv"));
      if (basePip) {
        cmd.add("--without-pip");
      }
    }
    if (spec.systemSitePackages()) {
      cmd.add("--system-site-packages");
    }
    cmd.add(spec.directory().toString());
    progress.accept("creating " + spec.directory() + " with " + String.join(" ", cmd.subList(0, uv.isPresent() ? 2 : 3)));
    ToolRun run = ToolRun.run(cmd, Map.of(), progress);
    if (!run.ok()) {
      throw new SnakeBridgeException("cannot create the virtual environment " + spec.directory() + " with " + base
          + " (exit " + run.exitCode() + "):\n" + run.tail(15)
          + (run.output().stream().anyMatch(l -> l.contains("ensurepip"))
              ? "\nOn Debian and Ubuntu: apt-get install python3-venv" : ""));
    }
  }

  /** Runs the installer; returns the wheel hashes pip reported, by normalized name. */
  private Map<String, String> install(String base, Optional<Path> uv, boolean basePip) throws IOException {
    if (spec.requirements().isEmpty() && spec.requirementsFile() == null) {
      return Map.of();
    }
    Path report = Files.createTempFile("snakebridge-pip-report", ".json");
    try {
      List<String> cmd = new ArrayList<>();
      Map<String, String> extraEnv = new LinkedHashMap<>();
      if (uv.isPresent()) {
        cmd.addAll(List.of(uv.get().toString(), "pip", "install", "--python", spec.python().toString()));
        // uv reads its own variables; honour pip's so that one setting serves both tools.
        copyIfAbsent("PIP_INDEX_URL", "UV_INDEX_URL", extraEnv);
        copyIfAbsent("PIP_FIND_LINKS", "UV_FIND_LINKS", extraEnv);
        copyIfAbsent("PIP_NO_INDEX", "UV_NO_INDEX", extraEnv);
      } else {
        if (basePip) {
          cmd.addAll(List.of(base, "-m", "pip", "--python", spec.python().toString()));
        } else {
          cmd.addAll(List.of(spec.python().toString(), "-m", "pip"));
        }
        cmd.addAll(List.of("install", "--disable-pip-version-check", "--no-input", "--report", report.toString()));
      }
      if (spec.noIndex()) {
        cmd.add("--no-index");
      }
      if (spec.indexUrl() != null) {
        cmd.addAll(List.of("--index-url", spec.indexUrl()));
      }
      for (Path links : spec.findLinks()) {
        cmd.addAll(List.of("--find-links", links.toString()));
      }
      if (spec.requirementsFile() != null) {
        cmd.addAll(List.of("-r", spec.requirementsFile().toString()));
      }
      spec.requirements().forEach(r -> cmd.add(r.pipSpec()));
      progress.accept("installing " + String.join(" ", spec.requirements().stream().map(Requirement::pipSpec).toList())
          + (spec.requirementsFile() != null ? " -r " + spec.requirementsFile() : "") + " with "
          + (uv.isPresent() ? "uv" : "pip"));
      ToolRun run = ToolRun.run(cmd, extraEnv, progress);
      if (!run.ok()) {
        throw new SnakeBridgeException(installFailure(uv.isPresent() ? "uv" : "pip", run));
      }
      return PipReport.wheelHashes(report);
    } finally {
      Files.deleteIfExists(report);
    }
  }

  private String installFailure(String tool, ToolRun run) {
    String what = null;
    for (String line : run.output()) {
      Matcher m = NO_MATCH.matcher(line);
      if (m.find()) {
        what = m.group(1);
        break;
      }
    }
    if (what == null) {
      what = String.join(", ", spec.requirements().stream().map(Requirement::pipSpec).toList());
    }
    List<String> errors = run.output().stream().filter(l -> l.startsWith("ERROR") || l.startsWith("error")
        || l.contains("No solution") || l.contains("Because")).toList();
    String sources = (spec.noIndex() || "1".equals(env.get("PIP_NO_INDEX")) ? "no index" : "index "
        + Optional.ofNullable(spec.indexUrl()).or(() -> Optional.ofNullable(env.get("PIP_INDEX_URL"))).orElse("pip's default"))
        + (spec.findLinks().isEmpty() ? "" : ", find-links " + spec.findLinks());
    return tool + " could not install " + what + " into " + spec.directory() + " (exit " + run.exitCode() + ", "
        + sources + "):\n" + (errors.isEmpty() ? run.tail(15) : String.join("\n", errors));
  }

  private void copyIfAbsent(String from, String to, Map<String, String> into) {
    if (env.containsKey(from) && !env.containsKey(to)) {
      into.put(to, env.get(from));
    }
  }

  /** Asks the environment's interpreter what it holds. */
  private InstalledEnvironment describe(String tool, String fingerprint, Map<String, String> hashes,
      Optional<InstalledEnvironment> previous) throws IOException {
    ToolRun run = ToolRun.run(List.of(spec.python().toString(), "-c", DESCRIBE), Map.of(), line -> {});
    if (!run.ok() || run.output().isEmpty()) {
      throw new SnakeBridgeException("the new environment's interpreter " + spec.python() + " does not run (exit "
          + run.exitCode() + "):\n" + run.tail(15));
    }
    Map<?, ?> described = (Map<?, ?>) Json.parse(run.output().get(run.output().size() - 1));
    List<String> declaredNames = spec.requirements().stream().map(Requirement::normalizedName).toList();
    List<InstalledPackage> packages = new ArrayList<>();
    for (Object o : (List<?>) described.get("packages")) {
      List<?> p = (List<?>) o;
      String name = String.valueOf(p.get(0));
      String version = String.valueOf(p.get(1));
      boolean own = Boolean.TRUE.equals(p.get(2));
      String key = Requirement.normalize(name);
      if (own ? SEEDED.contains(key) : !declaredNames.contains(key)) {
        continue;
      }
      if (packages.stream().anyMatch(q -> Requirement.normalize(q.name()).equals(key))) {
        continue; // the environment's own copy shadows the system's, and comes first on sys.path
      }
      String sha = own ? hashes.get(key) : null;
      if (own && sha == null) {
        sha = previous.map(s -> s.find(name)).filter(q -> q.version().equals(version)).map(InstalledPackage::sha256)
            .orElseGet(() -> localWheelHash(name, version));
      }
      packages.add(new InstalledPackage(name, version, sha, !own));
    }
    packages.sort((a, b) -> Requirement.normalize(a.name()).compareTo(Requirement.normalize(b.name())));
    return new InstalledEnvironment(spec.directory(), spec.python(), String.valueOf(described.get("python")), tool,
        fingerprint, packages, spec.requirements().stream().map(Requirement::pipSpec).toList(), true);
  }

  /** Tools a virtual environment is seeded with, not part of what the project declared. */
  private static final List<String> SEEDED = List.of("pip", "setuptools", "wheel");

  /** Lists every distribution with its version and whether it lives in this environment (not the base's). */
  private static final String DESCRIBE = """
      import importlib.metadata as md, json, os, platform, sys
      prefix = os.path.realpath(sys.prefix)
      out = []
      for d in md.distributions():
          name = d.metadata.get("Name")
          if not name:
              continue
          try:
              where = os.path.realpath(str(d.locate_file("")))
          except Exception:
              where = ""
          out.append([name, d.version, where.startswith(prefix + os.sep)])
      print(json.dumps({"python": platform.python_version(), "packages": out}))
      """;

  private String localWheelHash(String name, String version) {
    String prefix = name.replaceAll("[-_.]+", "_").toLowerCase() + "-" + version + "-";
    for (Path dir : spec.findLinks()) {
      try (Stream<Path> files = Files.list(dir)) {
        Optional<Path> wheel = files.filter(f -> f.getFileName().toString().toLowerCase().startsWith(prefix)
            && f.getFileName().toString().endsWith(".whl")).findFirst();
        if (wheel.isPresent()) {
          return SetupFingerprint.sha256(wheel.get());
        }
      } catch (IOException e) {
        // An unreadable directory only costs the hash; pip already installed from somewhere.
      }
    }
    return null;
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
