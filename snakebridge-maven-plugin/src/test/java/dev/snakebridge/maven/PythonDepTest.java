package dev.snakebridge.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snakebridge.codegen.ClassMethodScope;
import dev.snakebridge.codegen.GenerateMode;
import dev.snakebridge.codegen.LibrarySpec;
import dev.snakebridge.codegen.ModuleMode;
import java.io.File;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code <pythonDep>} elements become generator specs with the documented defaults. */
class PythonDepTest {
  @Test
  void defaultsAreUsedPublicAThousandMethodsAllScope() {
    PythonDep dep = new PythonDep();
    dep.name = "numpy";
    dep.version = "1.26.0";
    LibrarySpec spec = dep.toSpec(new File("/project"));
    assertThat(spec.generate()).isEqualTo(GenerateMode.USED);
    assertThat(spec.moduleMode()).isEqualTo(ModuleMode.PUBLIC);
    assertThat(spec.maxClassMethods()).isEqualTo(1000);
    assertThat(spec.classMethodScope()).isEqualTo(ClassMethodScope.ALL);
    assertThat(spec.declaredVersion()).isEqualTo("1.26.0");
  }

  @Test
  void theTorchExampleMapsFieldByField() {
    PythonDep dep = new PythonDep();
    dep.name = "torch";
    dep.generate = "all";
    dep.moduleMode = "docs";
    dep.docsManifest = new File("src/main/snakebridge/torch.docs.json");
    dep.maxClassMethods = 500;
    dep.classMethodScope = "defined";
    dep.exclude = List.of("torch.testing*");
    LibrarySpec spec = dep.toSpec(new File("/project"));
    assertThat(spec.generate()).isEqualTo(GenerateMode.ALL);
    assertThat(spec.moduleMode()).isEqualTo(ModuleMode.DOCS);
    assertThat(spec.docsManifest().toString()).isEqualTo("/project/src/main/snakebridge/torch.docs.json");
    assertThat(spec.maxClassMethods()).isEqualTo(500);
    assertThat(spec.classMethodScope()).isEqualTo(ClassMethodScope.DEFINED);
    assertThat(spec.exclude()).containsExactly("torch.testing*");
  }

  @Test
  void badValuesAreRejectedWithTheAcceptedOnes() {
    PythonDep dep = new PythonDep();
    dep.name = "torch";
    dep.moduleMode = "docs";
    assertThatThrownBy(() -> dep.toSpec(new File("."))).hasMessageContaining("moduleMode=docs needs a docsManifest");
    dep.moduleMode = "sometimes";
    assertThatThrownBy(() -> dep.toSpec(new File("."))).hasMessageContaining("expected root, exports, public");
    PythonDep nameless = new PythonDep();
    assertThatThrownBy(() -> nameless.toSpec(new File("."))).hasMessageContaining("needs a <name>");
  }
}
