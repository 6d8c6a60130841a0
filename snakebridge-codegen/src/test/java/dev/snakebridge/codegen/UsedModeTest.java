package dev.snakebridge.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** generate=used keeps what the sources reference and names what the library lacks. */
class UsedModeTest {
  static SourceUsage sources(String... files) {
    List<SourceUsage.FileUsage> usage = new java.util.ArrayList<>();
    for (int i = 0; i < files.length; i++) {
      usage.add(SourceUsage.scanFile(Path.of("App" + i + ".java"), files[i]));
    }
    return new SourceUsage(usage);
  }

  static LibrarySpec used() {
    return LibrarySpec.builder("sbfixture").build();
  }

  @Test
  void keepsOnlyReferencedMembers() throws IOException {
    SourceUsage usage = sources("""
        package app;
        import dev.snakebridge.py.sbfixture.Core;
        import dev.snakebridge.py.sbfixture.Counter;
        // Core.scale is only in a comment; "Core.greet" only in a string
        class App {
          long go() { Counter c = Counter.create(); c.append(1); return Core.add(1, new Core.AddOptions()); }
          String s = "Core.greet";
        }
        """);
    Generation g = WrapperGenerator.generate(GoldenFilesTest.model(), used(), WrapperGenerator.DEFAULT_PACKAGE, usage);
    assertThat(g.missing()).isEmpty();
    assertThat(g.types()).extracting(Generation.TypeSummary::fqn)
        .containsExactly("dev.snakebridge.py.sbfixture.Core", "dev.snakebridge.py.sbfixture.Counter");
    assertThat(g.types().get(0).members()).containsOnlyKeys("add");
    assertThat(g.types().get(1).members()).containsOnlyKeys("append");
  }

  @Test
  void aReferenceTheLibraryLacksIsReportedWithItsName() throws IOException {
    SourceUsage usage = sources("""
        package app;
        import dev.snakebridge.py.sbfixture.Core;
        import dev.snakebridge.py.sbfixture.Nothing;
        class App {
          Object go() {
            return Core.noSuchFunction(1);
          }
        }
        """);
    Generation g = WrapperGenerator.generate(GoldenFilesTest.model(), used(), WrapperGenerator.DEFAULT_PACKAGE, usage);
    assertThat(g.missing()).hasSize(2);
    assertThat(g.missing()).anySatisfy(m -> assertThat(m).contains("App0.java:6", "Core.noSuchFunction",
        "sbfixture.core"));
    assertThat(g.missing()).anySatisfy(m -> assertThat(m).contains("dev.snakebridge.py.sbfixture.Nothing"));
  }

  @Test
  void fullyQualifiedAndSamePackageUsesCount() throws IOException {
    SourceUsage usage = sources("""
        package dev.snakebridge.py.sbfixture;
        class InPackage { Object a = Plain.mean(java.util.List.of(1)); }
        """, """
        package other;
        class Qualified { Object b = dev.snakebridge.py.sbfixture.Stubbed.typed(2); }
        """);
    Generation g = WrapperGenerator.generate(GoldenFilesTest.model(), used(), WrapperGenerator.DEFAULT_PACKAGE, usage);
    assertThat(g.types()).extracting(Generation.TypeSummary::python)
        .containsExactly("sbfixture.plain", "sbfixture.stubbed");
  }

  @Test
  void membersCalledThroughAViewAreKept() throws IOException {
    SourceUsage usage = sources("""
        package app;
        import dev.snakebridge.py.sbfixture.Core;
        class App {
          Object go(dev.snakebridge.SnakeBridgeRuntime rt) { return Core.using(rt).greet("a"); }
        }
        """);
    Generation g = WrapperGenerator.generate(GoldenFilesTest.model(), used(), WrapperGenerator.DEFAULT_PACKAGE, usage);
    assertThat(g.missing()).isEmpty();
    assertThat(g.types()).singleElement().satisfies(t -> assertThat(t.members()).containsOnlyKeys("greet"));
  }

  @Test
  void kotlinSourcesCountToo(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    java.nio.file.Files.writeString(dir.resolve("App.kt"), """
        package app

        import dev.snakebridge.py.sbfixture.Core
        import dev.snakebridge.py.sbfixture.Counter

        fun main() {
            val c = Counter.create()
            println(Core.add(1) + c.total()!!)
        }
        """);
    SourceUsage usage = SourceUsage.scan(List.of(dir));
    Generation g = WrapperGenerator.generate(GoldenFilesTest.model(), used(), WrapperGenerator.DEFAULT_PACKAGE, usage);
    assertThat(g.missing()).isEmpty();
    assertThat(g.types()).extracting(Generation.TypeSummary::fqn)
        .containsExactly("dev.snakebridge.py.sbfixture.Core", "dev.snakebridge.py.sbfixture.Counter");
    assertThat(g.types().get(0).members()).containsOnlyKeys("add");
    assertThat(g.types().get(1).members()).containsOnlyKeys("total");
  }
}
