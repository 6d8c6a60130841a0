package dev.snakebridge.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Strict builds check the sources against the committed manifest, with no Python. */
class StrictModeTest {
  @Test
  void manifestAndLockAgreeWithTheSourcesOrNameWhatIsMissing(@TempDir Path dir) throws IOException {
    Path work = dir.resolve("work");
    Files.createDirectories(work.resolve("state"));
    LibrarySpec spec = LibrarySpec.builder("sbfixture").generate(GenerateMode.ALL).declaredVersion("1.0").build();
    Generation g = WrapperGenerator.generate(GoldenFilesTest.model(), spec, WrapperGenerator.DEFAULT_PACKAGE, null);
    Files.writeString(work.resolve("state/sbfixture.manifest.json"), BuildFiles.fragment(g), StandardCharsets.UTF_8);
    Path manifest = dir.resolve("snakebridge.manifest.json");
    Path lock = dir.resolve("snakebridge.lock.json");
    BuildFiles.write(work, List.of(spec), WrapperGenerator.DEFAULT_PACKAGE, manifest, lock);
    assertThat(Files.readString(lock)).contains("\"generator\"", "\"python\": \"3.11.2\"", "\"version\": \"1.0\"");
    assertThat(Files.readString(manifest)).contains("dev.snakebridge.py.sbfixture.Core", "\"greet\": \"greet\"");

    SourceUsage good = UsedModeTest.sources("""
        import dev.snakebridge.py.sbfixture.Core;
        class A { Object x = Core.greet("a"); }
        """);
    assertThat(BuildFiles.strictCheck(manifest, lock, List.of("sbfixture"), good)).isEmpty();

    SourceUsage bad = UsedModeTest.sources("""
        import dev.snakebridge.py.sbfixture.Core;
        class A { Object x = Core.farewell("a"); }
        """);
    assertThat(BuildFiles.strictCheck(manifest, lock, List.of("sbfixture"), bad))
        .singleElement().asString().contains("sbfixture 1.0", "Core.farewell");

    assertThat(BuildFiles.strictCheck(manifest, lock, List.of("numpy"), good))
        .singleElement().asString().contains("numpy is declared in the pom but not in");
    assertThat(BuildFiles.strictCheck(dir.resolve("none.json"), lock, List.of("sbfixture"), good))
        .singleElement().asString().contains("needs the committed manifest");
  }
}
