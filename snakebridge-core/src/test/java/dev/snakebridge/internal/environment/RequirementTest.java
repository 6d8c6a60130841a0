package dev.snakebridge.internal.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Declared dependencies become pip's requirements. */
class RequirementTest {
  @Test
  void anExactVersionBecomesDoubleEquals() {
    Requirement r = new Requirement("sklearn", "scikit-learn", "1.3.0", List.of());
    assertThat(r.pipSpec()).isEqualTo("scikit-learn==1.3.0");
    assertThat(r.exact()).isTrue();
    assertThat(r.exactVersion()).isEqualTo("1.3.0");
  }

  @Test
  void aSpecifierIsPassedOnAndIsNotExact() {
    Requirement r = new Requirement("numpy", "numpy", ">=1.24, <2", List.of());
    assertThat(r.pipSpec()).isEqualTo("numpy>=1.24,<2");
    assertThat(r.exact()).isFalse();
    assertThat(r.exactVersion()).isNull();
  }

  @Test
  void extrasGoInBrackets() {
    assertThat(new Requirement(null, "requests", "2.31.0", List.of("socks", "security")).pipSpec())
        .isEqualTo("requests[socks,security]==2.31.0");
    assertThat(Requirement.of("tinypkg", null).pipSpec()).isEqualTo("tinypkg");
  }

  @Test
  void pipSyntaxIsReadBack() {
    Requirement r = Requirement.parse("tinyhost[fast]>=1,<2");
    assertThat(r.distribution()).isEqualTo("tinyhost");
    assertThat(r.extras()).containsExactly("fast");
    assertThat(r.version()).isEqualTo(">=1,<2");
    assertThat(Requirement.parse(r.pipSpec())).isEqualTo(r);
    assertThat(Requirement.parse("numpy").version()).isNull();
  }

  @Test
  void namesCompareAsPep503Says() {
    assertThat(Requirement.normalize("Scikit_Learn")).isEqualTo(Requirement.normalize("scikit-learn"));
    assertThat(Requirement.normalize("zope.interface")).isEqualTo("zope-interface");
  }

  @Test
  void badValuesAreRejectedNamingThem() {
    assertThatThrownBy(() -> Requirement.of("numpy; rm -rf /", null)).hasMessageContaining("'numpy; rm -rf /'");
    assertThatThrownBy(() -> Requirement.of("numpy", "latest please")).hasMessageContaining("PEP 440");
    assertThatThrownBy(() -> Requirement.of("numpy", "newest")).hasMessageContaining("'newest'");
    assertThatThrownBy(() -> Requirement.of("numpy", ">=")).hasMessageContaining("PEP 440");
    assertThat(Requirement.of("numpy", "1.26.*").pipSpec()).isEqualTo("numpy==1.26.*");
    assertThat(Requirement.of("numpy", "1.26.*").exact()).isFalse();
    assertThatThrownBy(() -> new Requirement(null, "numpy", null, List.of("a b"))).hasMessageContaining("extra 'a b'");
  }
}
