package dev.snakebridge.internal.environment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The project environment as the build recorded it for the runtime, in the classpath resource
 * {@value #RESOURCE}: the environment's interpreter, the packages the lock says it holds, the library
 * versions generated wrappers were made from, and the command that sets it up. Immutable and thread-safe.
 *
 * @param source where the resource was read from (for messages)
 * @param interpreter the environment's {@code bin/python}
 * @param lockFile the lock it was recorded from
 * @param packages distribution name → version the lock holds
 * @param wrappers import name → the library version generated wrappers were made from
 * @param fixCommand the command that brings the environment up to date
 * @param setup how to set the environment up, for {@code autoInstall}; null when not recorded
 * @param autoInstall when the runtime may set it up itself
 */
public record ProjectEnvironment(
    String source,
    Path interpreter,
    Path lockFile,
    Map<String, String> packages,
    Map<String, String> wrappers,
    String fixCommand,
    EnvironmentSpec setup,
    AutoInstall autoInstall) {
  /** The classpath resource the build writes into its classes. */
  public static final String RESOURCE = "META-INF/snakebridge/environment.json";
  /** The {@code format} of the resource. */
  public static final String FORMAT = "snakebridge-environment";
  /** The fix when nothing better is known. */
  public static final String DEFAULT_FIX = "mvn snakebridge:setup";

  public ProjectEnvironment {
    packages = Map.copyOf(packages);
    wrappers = Map.copyOf(wrappers);
  }

  /**
   * The environment recorded in {@code lock}'s environment section, with the wrapper versions of its
   * {@code libraries} section.
   */
  public static ProjectEnvironment fromLock(Path lock, InstalledEnvironment env, String fixCommand) {
    Map<String, String> packages = new LinkedHashMap<>();
    env.packages().forEach(p -> packages.put(p.name(), p.version()));
    return new ProjectEnvironment(lock.toString(), env.interpreter(), lock, packages, wrapperVersions(lock), fixCommand,
        null, AutoInstall.NEVER);
  }

  /** Import name → version of each library the lock says wrappers were generated from. */
  static Map<String, String> wrapperVersions(Path lock) {
    Map<String, String> wrappers = new LinkedHashMap<>();
    if (LockFile.read(lock).get("libraries") instanceof Map<?, ?> libs) {
      libs.forEach((name, lib) -> {
        if (lib instanceof Map<?, ?> l && l.get("version") instanceof String v && !v.isBlank() && !"null".equals(v)) {
          wrappers.put(String.valueOf(name), v);
        }
      });
    }
    return wrappers;
  }

  /**
   * The same, with the wrapper versions of the lock itself when it is there to read: setup runs before
   * generation in a build, so the resource it wrote may predate the wrappers.
   */
  ProjectEnvironment withCurrentWrappers() {
    if (lockFile == null || !Files.isRegularFile(lockFile)) {
      return this;
    }
    try {
      return new ProjectEnvironment(source, interpreter, lockFile, packages, wrapperVersions(lockFile), fixCommand,
          setup, autoInstall);
    } catch (RuntimeException e) {
      return this; // a lock being rewritten right now: the recorded versions will do
    }
  }

  /** The same, with how to set it up and when the runtime may. */
  public ProjectEnvironment withSetup(EnvironmentSpec spec, AutoInstall auto) {
    return new ProjectEnvironment(source, interpreter, lockFile, packages, wrappers, fixCommand, spec, auto);
  }

  /** The resource's JSON. */
  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("formatVersion", 1L);
    m.put("interpreter", interpreter.toString());
    m.put("lockFile", lockFile == null ? null : lockFile.toString());
    m.put("fixCommand", fixCommand);
    m.put("packages", new LinkedHashMap<>(new java.util.TreeMap<>(packages)));
    m.put("wrappers", new LinkedHashMap<>(new java.util.TreeMap<>(wrappers)));
    m.put("autoInstall", autoInstall.id());
    if (setup != null) {
      m.put("setup", setup.toJson());
    }
    return Json.write(m);
  }

  /** Writes the resource under {@code classesDirectory} (only when its text changes). */
  public void writeTo(Path classesDirectory) {
    LockFile.writeIfChanged(classesDirectory.resolve(RESOURCE), toJson());
  }

  /** The first {@value #RESOURCE} that {@code loader} sees, if any. */
  public static Optional<ProjectEnvironment> find(ClassLoader loader) {
    if (loader == null) {
      return Optional.empty();
    }
    URL url = loader.getResource(RESOURCE);
    if (url == null) {
      return Optional.empty();
    }
    try (InputStream in = url.openStream()) {
      return Optional.of(parse(url.toString(), new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .withCurrentWrappers());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + url, e);
    }
  }

  /** The resource seen by this thread's context class loader, else by the runtime's own. */
  public static Optional<ProjectEnvironment> find() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    Optional<ProjectEnvironment> found = find(context);
    return found.isPresent() ? found : find(ProjectEnvironment.class.getClassLoader());
  }

  /**
   * Reads the resource's text.
   *
   * @throws IllegalArgumentException naming {@code source} when it is not an environment resource
   */
  public static ProjectEnvironment parse(String source, String json) {
    Object parsed;
    try {
      parsed = Json.parse(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + " is not JSON: " + e.getMessage(), e);
    }
    if (!(parsed instanceof Map<?, ?> m) || !FORMAT.equals(m.get("format")) || m.get("interpreter") == null) {
      throw new IllegalArgumentException(source + " is not a SnakeBridge environment resource (format " + FORMAT + ")");
    }
    Object lock = m.get("lockFile");
    Object fix = m.get("fixCommand");
    return new ProjectEnvironment(source, Path.of(m.get("interpreter").toString()),
        lock == null ? null : Path.of(lock.toString()), strings(m.get("packages")), strings(m.get("wrappers")),
        fix == null ? DEFAULT_FIX : fix.toString(),
        m.get("setup") instanceof Map<?, ?> spec ? EnvironmentSpec.fromJson(spec) : null,
        AutoInstall.parse(m.get("autoInstall") == null ? "never" : m.get("autoInstall").toString()));
  }

  private static Map<String, String> strings(Object o) {
    Map<String, String> out = new LinkedHashMap<>();
    if (o instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
    }
    return out;
  }

  /** Whether the interpreter is there to launch. */
  public boolean exists() {
    return Files.isExecutable(interpreter);
  }
}
