package dev.snakebridge.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snakebridge.internal.environment.EnvironmentSpec;
import dev.snakebridge.internal.environment.Requirement;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;

/** The setup goal's configuration becomes the installer's spec. */
class SetupMojoTest {
  private static PythonDep dep(String name, String pkg, String version, String generate) {
    PythonDep dep = new PythonDep();
    dep.name = name;
    dep.setPackage(pkg);
    dep.version = version;
    dep.generate = generate;
    return dep;
  }

  @Test
  void everySettingReachesTheSpec() throws Exception {
    SetupMojo mojo = new SetupMojo();
    mojo.venvDirectory = new File("/p/.snakebridge/venv");
    mojo.basePython = "/usr/bin/python3";
    mojo.pythonDeps = List.of(dep("sklearn", "scikit-learn", "1.3.0", null), dep("requests", null, ">=2", "none"));
    mojo.findLinks = List.of(new File("/p/wheels"));
    mojo.indexUrl = "https://pypi.corp.example/simple";
    mojo.noIndex = true;
    mojo.systemSitePackages = true;
    mojo.requirementsFile = new File("/p/requirements.txt");
    mojo.lockFile = new File("/p/snakebridge.lock.json");

    EnvironmentSpec spec = mojo.spec();

    assertThat(spec.directory()).isEqualTo(Path.of("/p/.snakebridge/venv"));
    assertThat(spec.python()).isEqualTo(Path.of("/p/.snakebridge/venv/bin/python"));
    assertThat(spec.basePython()).isEqualTo("/usr/bin/python3");
    // generate=none still installs.
    assertThat(spec.requirements()).extracting(Requirement::pipSpec).containsExactly("scikit-learn==1.3.0", "requests>=2");
    assertThat(spec.findLinks()).containsExactly(Path.of("/p/wheels"));
    assertThat(spec.indexUrl()).isEqualTo("https://pypi.corp.example/simple");
    assertThat(spec.noIndex()).isTrue();
    assertThat(spec.systemSitePackages()).isTrue();
    assertThat(spec.requirementsFile()).isEqualTo(Path.of("/p/requirements.txt"));
    assertThat(spec.lockFile()).isEqualTo(Path.of("/p/snakebridge.lock.json"));
  }

  @Test
  void aBadDependencyIsNamed() {
    SetupMojo mojo = new SetupMojo();
    mojo.venvDirectory = new File("/p/venv");
    mojo.lockFile = new File("/p/snakebridge.lock.json");
    mojo.pythonDeps = List.of(dep("numpy", null, "newest", null));
    assertThatThrownBy(mojo::spec).isInstanceOf(MojoExecutionException.class)
        .hasMessageContaining("bad <pythonDep> numpy").hasMessageContaining("'newest'");
  }
}
