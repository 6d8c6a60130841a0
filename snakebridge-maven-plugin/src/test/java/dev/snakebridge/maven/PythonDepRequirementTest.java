package dev.snakebridge.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code <pythonDep>} elements become what setup installs. */
class PythonDepRequirementTest {
  @Test
  void theImportNameIsInstalledUnlessAPackageIsGiven() {
    PythonDep numpy = new PythonDep();
    numpy.name = "numpy";
    numpy.version = ">=1.24,<2";
    assertThat(numpy.toRequirement().pipSpec()).isEqualTo("numpy>=1.24,<2");

    PythonDep sklearn = new PythonDep();
    sklearn.name = "sklearn";
    sklearn.setPackage("scikit-learn");
    sklearn.version = "1.3.0";
    sklearn.extras = List.of("benchmark");
    assertThat(sklearn.toRequirement().pipSpec()).isEqualTo("scikit-learn[benchmark]==1.3.0");
    assertThat(sklearn.toRequirement().importName()).isEqualTo("sklearn");
  }

  @Test
  void generateNoneInstallsWithoutWrappers() {
    PythonDep dep = new PythonDep();
    dep.name = "requests";
    assertThat(dep.generatesWrappers()).isTrue();
    dep.generate = "none";
    assertThat(dep.generatesWrappers()).isFalse();
  }

  @Test
  void aBadVersionIsRejectedNamingIt() {
    PythonDep dep = new PythonDep();
    dep.name = "numpy";
    dep.version = "the latest";
    assertThatThrownBy(dep::toRequirement).hasMessageContaining("'the latest'");
  }
}
