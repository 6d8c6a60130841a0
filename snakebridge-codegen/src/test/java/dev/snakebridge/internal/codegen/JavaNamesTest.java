package dev.snakebridge.internal.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JavaNamesTest {
  @Test
  void classNamesArePascalCaseWithLeadingUnderscoresKept() {
    assertThat(JavaNames.pascal("ndarray")).isEqualTo("Ndarray");
    assertThat(JavaNames.pascal("function_base")).isEqualTo("FunctionBase");
    assertThat(JavaNames.pascal("DataFrame")).isEqualTo("DataFrame");
    assertThat(JavaNames.pascal("_core")).isEqualTo("_Core");
    assertThat(JavaNames.pascal("networkx")).isEqualTo("Networkx");
  }

  @Test
  void memberNamesAreCamelCaseAndUpperCaseIsKept() {
    assertThat(JavaNames.camel("shortest_path")).isEqualTo("shortestPath");
    assertThat(JavaNames.camel("DataFrame")).isEqualTo("dataFrame");
    assertThat(JavaNames.camel("NAN")).isEqualTo("NAN");
    assertThat(JavaNames.camel("MAX_INT")).isEqualTo("MAX_INT");
    assertThat(JavaNames.camel("_private_thing")).isEqualTo("_privateThing");
    assertThat(JavaNames.camel("G")).isEqualTo("G");
  }

  @Test
  void keywordsAndRestrictedIdentifiersGetATrailingUnderscore() {
    assertThat(JavaNames.camel("class")).isEqualTo("class_");
    assertThat(JavaNames.camel("default")).isEqualTo("default_");
    assertThat(JavaNames.camel("yield")).isEqualTo("yield_");
    assertThat(JavaNames.camel("record")).isEqualTo("record_");
    assertThat(JavaNames.packagePart("char")).isEqualTo("char_");
    assertThat(JavaNames.packagePart("package")).isEqualTo("package_");
    assertThat(JavaNames.camel("class_")).isEqualTo("class_");
  }
}
