package dev.snakebridge.codegen;

import dev.snakebridge.internal.codegen.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the Python introspector (the {@code snakebridge_introspect} package shipped in this jar, standard
 * library only) in a child process of the chosen interpreter. Progress lines reach the given consumer as
 * they come; the answer is JSON read from a file, so that whatever the libraries print cannot corrupt it.
 *
 * <p>Thread-safe: each call starts its own process.
 */
public final class Introspector {
  private static final List<String> FILES = List.of("__init__.py", "__main__.py", "cli.py", "discover.py",
      "members.py", "signatures.py", "stubs.py", "docstrings.py", "sources.py");
  private static final int STDERR_TAIL = 40;

  private final PythonInterpreter python;
  private final Path workDir;
  private final List<Path> pythonPath;

  /**
   * An introspector.
   *
   * @param python the interpreter
   * @param workDir where the introspector's files are unpacked and answers written
   */
  public Introspector(PythonInterpreter python, Path workDir) {
    this(python, workDir, List.of());
  }

  /**
   * An introspector that also finds modules in {@code pythonPath} (put before {@code $PYTHONPATH}).
   *
   * @param python the interpreter
   * @param workDir where the introspector's files are unpacked and answers written
   * @param pythonPath extra directories for the library's modules
   */
  public Introspector(PythonInterpreter python, Path workDir, List<Path> pythonPath) {
    this.python = python;
    this.workDir = workDir;
    this.pythonPath = List.copyOf(pythonPath);
  }

  /** The extra module directories. */
  public List<Path> pythonPath() {
    return pythonPath;
  }

  /** The interpreter used. */
  public PythonInterpreter python() {
    return python;
  }

  /**
   * The versions of Python and of each library (null when a library is not installed), without
   * describing anything: {@code {"python": {"version": ...}, "libraries": {"numpy": {"version": ...}}}}.
   *
   * @throws CodegenException when the interpreter cannot run
   */
  public Map<String, Object> info(List<String> libraries) {
    Path out = answerFile("info");
    run(List.of("--info", "--library", String.join(",", libraries), "--out", out.toString()), line -> {});
    return readMap(out);
  }

  /**
   * The names of a library's public modules (for a docs manifest made from the module list).
   *
   * @throws CodegenException when the library cannot be imported
   */
  public Map<String, Object> publicModules(String library, Consumer<String> progress) {
    Path out = answerFile(library + "-modules");
    run(List.of("--library", library, "--list-public-modules", "--out", out.toString()), progress);
    return readMap(out);
  }

  /**
   * Describes one library and writes the model to {@code modelFile}.
   *
   * @param progress receives progress lines such as "module 12/153 numpy.linalg"
   * @throws CodegenException when the library cannot be imported or the introspector fails
   */
  public ApiModel model(LibrarySpec spec, Path modelFile, Consumer<String> progress) {
    List<String> args = new ArrayList<>(List.of("--library", spec.name(), "--mode", spec.moduleMode().id(),
        "--timeout", Integer.toString(spec.importTimeoutSeconds()), "--out", modelFile.toString()));
    if (spec.docsManifest() != null) {
      args.add("--manifest");
      args.add(spec.docsManifest().toAbsolutePath().toString());
    }
    for (String p : spec.include()) {
      args.add("--include");
      args.add(p);
    }
    for (String p : spec.exclude()) {
      args.add("--exclude");
      args.add(p);
    }
    run(args, progress);
    try {
      return ApiModel.read(modelFile);
    } catch (IOException e) {
      throw new CodegenException("cannot read the model the introspector wrote to " + modelFile, e);
    }
  }

  private Path answerFile(String name) {
    try {
      Files.createDirectories(workDir);
      return Files.createTempFile(workDir, name + "-", ".json");
    } catch (IOException e) {
      throw new CodegenException("cannot create a file in " + workDir, e);
    }
  }

  private Map<String, Object> readMap(Path file) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) Json.parse(Files.readString(file, StandardCharsets.UTF_8));
      Files.deleteIfExists(file);
      return m;
    } catch (IOException e) {
      throw new CodegenException("cannot read the introspector's answer " + file, e);
    }
  }

  /** Unpacks the Python package (once per content hash) and returns the directory to put on PYTHONPATH. */
  Path unpack() {
    // The directory name carries a hash of the files: callers use it to notice a changed introspector.
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      List<byte[]> contents = new ArrayList<>();
      for (String f : FILES) {
        try (InputStream in = Introspector.class.getResourceAsStream("python/snakebridge_introspect/" + f)) {
          if (in == null) {
            throw new IllegalStateException("missing resource snakebridge_introspect/" + f);
          }
          byte[] b = in.readAllBytes();
          contents.add(b);
          sha.update(f.getBytes(StandardCharsets.UTF_8));
          sha.update(b);
        }
      }
      Path dir = workDir.resolve("introspector-" + HexFormat.of().formatHex(sha.digest()).substring(0, 12));
      Path pkg = dir.resolve("snakebridge_introspect");
      if (!Files.isRegularFile(pkg.resolve(FILES.get(FILES.size() - 1)))) {
        Files.createDirectories(pkg);
        for (int i = 0; i < FILES.size(); i++) {
          Path tmp = Files.createTempFile(pkg, "tmp", ".py");
          Files.write(tmp, contents.get(i));
          Files.move(tmp, pkg.resolve(FILES.get(i)), StandardCopyOption.REPLACE_EXISTING,
              StandardCopyOption.ATOMIC_MOVE);
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack the introspector into " + workDir, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void run(List<String> args, Consumer<String> progress) {
    Path dir = unpack();
    List<String> command = new ArrayList<>(List.of(python.executable(), "-B", "-m", "snakebridge_introspect"));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    StringBuilder path = new StringBuilder(dir.toString());
    for (Path p : pythonPath) {
      path.append(java.io.File.pathSeparator).append(p.toAbsolutePath());
    }
    String existing = System.getenv("PYTHONPATH");
    if (existing != null && !existing.isEmpty()) {
      path.append(java.io.File.pathSeparator).append(existing);
    }
    pb.environment().put("PYTHONPATH", path.toString());
    pb.environment().put("PYTHONIOENCODING", "utf-8");
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new CodegenException("cannot start Python " + python + ": " + e.getMessage(), e);
    }
    ArrayDeque<String> tail = new ArrayDeque<>();
    String error = null;
    try (BufferedReader err = new BufferedReader(
        new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = err.readLine()) != null) {
        if (line.startsWith("@@progress ")) {
          progress.accept(line.substring("@@progress ".length()));
        } else if (line.startsWith("@@error ")) {
          error = line.substring("@@error ".length());
        } else {
          tail.addLast(line);
          if (tail.size() > STDERR_TAIL) {
            tail.removeFirst();
          }
        }
      }
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      throw new CodegenException("lost the introspector's output: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new CodegenException("interrupted while introspecting", e);
    }
    int code = process.exitValue();
    if (code != 0) {
      throw new CodegenException("the introspector failed (" + python + ", exit " + code + ")"
          + (error != null ? ": " + error : "") + (tail.isEmpty() ? "" : "\n" + String.join("\n", tail)));
    }
  }
}
