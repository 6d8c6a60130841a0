package dev.snakebridge.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.SnakeBridgeRuntime;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated wrappers on a runtime the program created: module views ({@code using(runtime|session|options)}),
 * class wrappers that stay in their ref's runtime, context managers with the core's semantics, results
 * that do not fit their declared wrapper, and two independently generated wrapper jars on one classpath.
 */
class WrapperViewsIT {
  static SnakeBridgeRuntime runtime;

  @BeforeAll
  static void start() {
    runtime = SnakeBridgeRuntime.create(SnakeBridgeConfig.builder()
        .environment("PYTHONPATH", FixtureIT.FIXTURE.toString()).poolSize(1).build());
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  static Codegen codegen(Path work) {
    return new Codegen(PythonInterpreter.resolve(null), work, List.of(FixtureIT.FIXTURE),
        WrapperGenerator.DEFAULT_PACKAGE, line -> { });
  }

  static List<String> javaFiles(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.toString().endsWith(".java")).map(Path::toString).sorted().toList();
    }
  }

  @Test
  void wrappersCallARuntimeTheProgramCreatedWithItsOptions(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("src");
    codegen(dir.resolve("work")).generate(LibrarySpec.builder("sbfixture").generate(GenerateMode.ALL).build(), out,
        null);
    List<String> paths = new ArrayList<>(javaFiles(out));
    paths.add(Path.of("src/test/resources/views-use/ViewsUse.java").toAbsolutePath().toString());
    Compiler.Result r = Compiler.compilePaths(paths, dir.resolve("classes"), System.getProperty("java.class.path"));
    assertThat(r.output()).isEmpty();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {r.classes().toUri().toURL()},
        getClass().getClassLoader())) {
      @SuppressWarnings("unchecked")
      Function<SnakeBridgeRuntime, String> use = (Function<SnakeBridgeRuntime, String>) loader
          .loadClass("viewsuse.ViewsUse").getConstructor().newInstance();
      assertThat(use.apply(runtime)).isEqualTo("[3, 3.14159, Hello, Bo!, 1, true, [1, 2, 3], null, 3, JavaException,"
          + " sbfixture.core.Counter/int, timeout 300, 0]");
    }
  }

  @Test
  void twoIndependentlyGeneratedWrapperJarsShareOneClasspath(@TempDir Path dir) throws Exception {
    // Two projects generate and package their wrappers separately, into the same root package.
    Path jarA = wrapperJar(dir.resolve("a"), LibrarySpec.builder("sbfixture").generate(GenerateMode.ALL).build());
    Path jarB = wrapperJar(dir.resolve("b"), LibrarySpec.builder("textwrap").generate(GenerateMode.ALL)
        .moduleMode(ModuleMode.ROOT).build());
    for (Path jar : List.of(jarA, jarB)) {
      try (JarFile j = new JarFile(jar.toFile())) {
        // Nothing shared is generated: the support classes come from the core jar.
        assertThat(j.stream().map(JarEntry::getName).filter(n -> n.endsWith(".class")))
            .isNotEmpty()
            .allMatch(n -> n.startsWith("dev/snakebridge/py/sbfixture/") || n.startsWith("dev/snakebridge/py/Sbfixture")
                || n.startsWith("dev/snakebridge/py/Textwrap") || n.startsWith("dev/snakebridge/py/textwrap/"));
      }
    }
    String app = """
        package twojars;
        import dev.snakebridge.SnakeBridgeRuntime;
        import dev.snakebridge.py.Textwrap;
        import dev.snakebridge.py.sbfixture.Core;
        import dev.snakebridge.py.sbfixture.Counter;
        import dev.snakebridge.wrappers.PyObject;
        public class App implements java.util.function.Function<SnakeBridgeRuntime, String> {
          public String apply(SnakeBridgeRuntime rt) {
            PyObject counter = Counter.using(rt).create(java.util.List.of(4, 5));
            return Core.using(rt).add(40) + " " + Textwrap.using(rt).dedent("  x\\n  y") + " "
                + ((Counter) counter).total();
          }
        }
        """;
    Path appSrc = dir.resolve("app/twojars/App.java");
    Files.createDirectories(appSrc.getParent());
    Files.writeString(appSrc, app);
    String cp = System.getProperty("java.class.path") + java.io.File.pathSeparator + jarA
        + java.io.File.pathSeparator + jarB;
    Compiler.Result r = Compiler.compilePaths(List.of(appSrc.toString()), dir.resolve("app-classes"), cp);
    assertThat(r.output()).isEmpty();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {r.classes().toUri().toURL(), jarA.toUri().toURL(),
        jarB.toUri().toURL()}, getClass().getClassLoader())) {
      @SuppressWarnings("unchecked")
      Function<SnakeBridgeRuntime, String> use = (Function<SnakeBridgeRuntime, String>) loader
          .loadClass("twojars.App").getConstructor().newInstance();
      assertThat(use.apply(runtime)).isEqualTo("42 x\ny 9");
    }
  }

  private static Path wrapperJar(Path dir, LibrarySpec spec) throws IOException {
    Path src = dir.resolve("src");
    codegen(dir.resolve("work")).generate(spec, src, null);
    Compiler.Result r = Compiler.compilePaths(javaFiles(src), dir.resolve("classes"),
        System.getProperty("java.class.path"));
    assertThat(r.output()).isEmpty();
    Path jar = dir.resolve(dir.getFileName() + "-wrappers.jar");
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
        Stream<Path> walk = Files.walk(r.classes())) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(r.classes().relativize(p).toString().replace('\\', '/')));
        Files.copy(p, out);
        out.closeEntry();
      }
    }
    return jar;
  }
}
