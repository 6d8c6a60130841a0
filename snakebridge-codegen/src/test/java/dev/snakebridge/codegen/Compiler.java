package dev.snakebridge.codegen;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles generated sources with javac in-process: {@code --release 21 -Xlint:all -Werror}. */
final class Compiler {
  private Compiler() {}

  /** The result: whether it compiled, and javac's output (empty when clean). */
  record Result(boolean ok, String output, Path classes) {}

  static Result compile(List<GeneratedFile> files, Path dir) throws IOException {
    Path src = dir.resolve("src");
    List<String> paths = new ArrayList<>();
    for (GeneratedFile f : files) {
      Path p = src.resolve(f.path());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.content(), StandardCharsets.UTF_8);
      paths.add(p.toString());
    }
    return compilePaths(paths, dir.resolve("classes"), System.getProperty("java.class.path"));
  }

  static Result compilePaths(List<String> paths, Path classes, String classpath) throws IOException {
    Files.createDirectories(classes);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> args = new ArrayList<>(List.of("--release", "21", "-Xlint:all", "-Werror", "-proc:none",
        "-encoding", "UTF-8", "-d", classes.toString(), "-cp", classpath));
    Path argFile = Files.createTempFile(classes.getParent(), "javac", ".args");
    Files.write(argFile, paths.stream().map(p -> "\"" + p + "\"").toList());
    args.add("@" + argFile);
    StringWriter out = new StringWriter();
    java.io.PrintWriter w = new java.io.PrintWriter(out);
    int rc = javac.run(null, new java.io.OutputStream() {
      @Override
      public void write(int b) {
        w.write(b);
      }
    }, new java.io.OutputStream() {
      @Override
      public void write(int b) {
        w.write(b);
      }
    }, args.toArray(String[]::new));
    w.flush();
    return new Result(rc == 0, out.toString(), classes);
  }
}
