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
    Path sources = dir.resolve("generated");
    for (GeneratedFile f : g.files()) {
      Files.createDirectories(sources.resolve(f.path()).getParent());
      Files.writeString(sources.resolve(f.path()), f.content(), StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(lock)).contains("\"maxClassMethods\": 1000");  // options as a JSON object
    assertThat(BuildFiles.strictCheck(manifest, lock, List.of(spec), good, sources)).isEmpty();

    SourceUsage bad = UsedModeTest.sources("""
        import dev.snakebridge.py.sbfixture.Core;
        class A { Object x = Core.farewell("a"); }
        """);
    assertThat(BuildFiles.strictCheck(manifest, lock, List.of(spec), bad, sources))
        .singleElement().asString().contains("sbfixture 1.0", "Core.farewell");

    assertThat(BuildFiles.strictCheck(manifest, lock, List.of(LibrarySpec.builder("numpy").build()), good, sources))
        .singleElement().asString().contains("numpy is declared in the pom but not in");
    assertThat(BuildFiles.strictCheck(dir.resolve("none.json"), lock, List.of(spec), good, sources))
        .singleElement().asString().contains("needs the committed manifest");

    // The pom's options must be the lock's.
    LibrarySpec changed = LibrarySpec.builder("sbfixture").generate(GenerateMode.ALL).declaredVersion("1.0")
        .maxClassMethods(500).build();
    assertThat(BuildFiles.strictCheck(manifest, lock, List.of(changed), good, sources))
        .singleElement().asString().contains("option maxClassMethods is 500 in the build but 1000 in");

    // Committed sources must be what was generated: edited, missing and extra files are named.
    Path core = sources.resolve("dev/snakebridge/py/sbfixture/Core.java");
    Files.writeString(core, Files.readString(core) + "// edited\n");
    Files.delete(sources.resolve("dev/snakebridge/py/sbfixture/Plain.java"));
    Files.writeString(sources.resolve("dev/snakebridge/py/sbfixture/Extra.java"), "class Extra {}\n");
    assertThat(BuildFiles.strictCheck(manifest, lock, List.of(spec), good, sources)).satisfiesExactlyInAnyOrder(
        p -> assertThat(p).contains("sbfixture/Core.java differs from what was generated"),
        p -> assertThat(p).contains("sbfixture/Plain.java is in snakebridge.manifest.json but missing"),
        p -> assertThat(p).contains("sbfixture/Extra.java is not in snakebridge.manifest.json"));
  }
}
