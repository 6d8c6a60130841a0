package dev.snakebridge.internal.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The classpath resource through which a build tells the runtime about its environment. */
class ProjectEnvironmentTest {
  @TempDir Path classes;

  @Test
  void writtenIntoClassesItIsFoundThroughTheClassLoader() throws Exception {
    EnvironmentSpec spec = new EnvironmentSpec(Path.of("/p/.snakebridge/venv"), null,
        List.of(Requirement.parse("tinypkg>=1,<2")), null, List.of(Path.of("/p/wheels")), null, true, false,
        Path.of("/p/snakebridge.lock.json"));
    ProjectEnvironment written = new ProjectEnvironment("build", Path.of("/p/.snakebridge/venv/bin/python"),
        Path.of("/p/snakebridge.lock.json"), Map.of("tinypkg", "1.0"), Map.of("tinypkg", "1.0"),
        "mvn snakebridge:setup -f /p/pom.xml", spec, AutoInstall.DEV);
    written.writeTo(classes);

    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
      ProjectEnvironment read = ProjectEnvironment.find(loader).orElseThrow();
      assertThat(read.interpreter()).isEqualTo(written.interpreter());
      assertThat(read.packages()).isEqualTo(written.packages());
      assertThat(read.wrappers()).isEqualTo(written.wrappers());
      assertThat(read.fixCommand()).isEqualTo(written.fixCommand());
      assertThat(read.setup()).isEqualTo(spec);
      assertThat(read.autoInstall()).isEqualTo(AutoInstall.DEV);
      assertThat(read.source()).startsWith("file:");
      assertThat(read.autoInstall().allows(read.source())).isTrue();
      assertThat(AutoInstall.DEV.allows("jar:file:/app.jar!/META-INF/snakebridge/environment.json")).isFalse();
    }
  }

  @Test
  void noResourceIsNoEnvironment() throws Exception {
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
      assertThat(ProjectEnvironment.find(loader)).isEmpty();
    }
  }

  @Test
  void somethingElseAtThatNameIsRejectedNamingIt() {
    assertThatThrownBy(() -> ProjectEnvironment.parse("x.json", "{\"format\": \"other\"}"))
        .hasMessageContaining("x.json is not a SnakeBridge environment resource");
    assertThatThrownBy(() -> AutoInstall.parse("sometimes")).hasMessageContaining("never, dev, always");
  }
}
