package dev.snakebridge.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generation rewrites the lock's libraries and keeps the environment section that setup wrote. */
class LockEnvironmentTest {
  @Test
  void theEnvironmentSectionSurvivesGeneration(@TempDir Path dir) throws IOException {
    Path work = dir.resolve("work");
    Files.createDirectories(work.resolve("state"));
    LibrarySpec spec = LibrarySpec.builder("sbfixture").generate(GenerateMode.ALL).build();
    Generation g = WrapperGenerator.generate(GoldenFilesTest.model(), spec, WrapperGenerator.DEFAULT_PACKAGE, null);
    Files.writeString(work.resolve("state/sbfixture.manifest.json"), BuildFiles.fragment(g), StandardCharsets.UTF_8);
    Path lock = dir.resolve("snakebridge.lock.json");
    Files.writeString(lock, """
        {
          "format": "snakebridge-lock",
          "environment": {
            "interpreter": "/p/.snakebridge/venv/bin/python",
            "packages": {
              "tinypkg": {
                "version": "1.0"
              }
            }
          }
        }
        """);

    BuildFiles.write(work, List.of(spec), WrapperGenerator.DEFAULT_PACKAGE, dir.resolve("m.json"), lock);

    String written = Files.readString(lock);
    assertThat(written).contains("\"libraries\"", "\"sbfixture\"", "\"environment\"",
        "/p/.snakebridge/venv/bin/python", "\"tinypkg\"");
  }
}
