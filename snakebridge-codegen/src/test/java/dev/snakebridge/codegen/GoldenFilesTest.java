package dev.snakebridge.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated source of a fixed model (the test fixture library, introspected once and committed) is
 * compared with committed golden files, and compiles without warnings. Run with
 * {@code -Dsnakebridge.updateGolden=true} to rewrite the golden files after an intended change.
 */
class GoldenFilesTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden");

  static ApiModel model() throws IOException {
    return ApiModel.read(GOLDEN.resolve("sbfixture-model.json"));
  }

  static LibrarySpec spec() {
    return LibrarySpec.builder("sbfixture").generate(GenerateMode.ALL)
        .streaming(List.of("sbfixture.core.countdown")).build();
  }

  @Test
  void generatedSourceMatchesGoldenFiles() throws IOException {
    Generation g = WrapperGenerator.generate(model(), spec(), WrapperGenerator.DEFAULT_PACKAGE, null);
    Path expected = GOLDEN.resolve("expected");
    if (Boolean.getBoolean("snakebridge.updateGolden")) {
      if (Files.isDirectory(expected)) {
        try (Stream<Path> walk = Files.walk(expected)) {
          walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
      for (GeneratedFile f : g.files()) {
        Path p = expected.resolve(f.path());
        Files.createDirectories(p.getParent());
        Files.writeString(p, f.content(), StandardCharsets.UTF_8);
      }
    }
    List<String> goldenPaths;
    try (Stream<Path> walk = Files.walk(expected)) {
      goldenPaths = walk.filter(Files::isRegularFile).map(p -> expected.relativize(p).toString()).sorted().toList();
    }
    assertThat(g.files().stream().map(GeneratedFile::path).sorted().toList()).isEqualTo(goldenPaths);
    for (GeneratedFile f : g.files()) {
      assertThat(f.content()).as(f.path()).isEqualTo(Files.readString(expected.resolve(f.path())));
    }
  }

  @Test
  void generatedSourceCompilesWithoutWarnings(@TempDir Path dir) throws IOException {
    Generation g = WrapperGenerator.generate(model(), spec(), WrapperGenerator.DEFAULT_PACKAGE, null);
    Compiler.Result r = Compiler.compile(g.files(), dir);
    assertThat(r.output()).isEmpty();
    assertThat(r.ok()).isTrue();
  }

  @Test
  void hugeTypesAreSplitIntoPartsThatKeepTheNames(@TempDir Path dir) throws IOException {
    LibrarySpec small = LibrarySpec.builder("sbfixture").generate(GenerateMode.ALL).maxMembersPerFile(3).build();
    Generation g = WrapperGenerator.generate(model(), small, "com.example.py", null);
    List<String> paths = g.files().stream().map(GeneratedFile::path).toList();
    assertThat(paths).contains("com/example/py/sbfixture/Core.java", "com/example/py/sbfixture/Core_1.java",
        "com/example/py/sbfixture/Core_2.java", "com/example/py/sbfixture/Counter_1.java");
    String user = """
        package demo;
        import com.example.py.sbfixture.Core;
        import com.example.py.sbfixture.Counter;
        class Use {
          Object all() {
            Counter c = Counter.create();
            return List.of(Core.add(1), Core.greet("x"), Core.scale(java.util.List.of(1)), Core.PI(), c.total(),
                c.baseMethod(), Core.DEBUG());
          }
          private static final class List { static Object of(Object... o) { return o; } }
        }
        """;
    List<GeneratedFile> all = new java.util.ArrayList<>(g.files());
    all.add(new GeneratedFile("demo/Use.java", user));
    Compiler.Result r = Compiler.compile(all, dir);
    assertThat(r.output()).isEmpty();
  }
}
