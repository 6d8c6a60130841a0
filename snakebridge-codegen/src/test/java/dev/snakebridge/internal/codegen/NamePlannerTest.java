package dev.snakebridge.internal.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The naming rules that do not need a model: where a class goes, what a module class is called. */
class NamePlannerTest {
  @Test
  void aClassGoesToTheShallowestPublicModuleThatExportsIt() {
    assertThat(NamePlanner.shallower("pandas.core.frame", "pandas")).isEqualTo("pandas");
    assertThat(NamePlanner.shallower("sklearn.linear_model._base", "sklearn.linear_model"))
        .isEqualTo("sklearn.linear_model");
    // a private module loses even when it is shallower
    assertThat(NamePlanner.shallower("torch._C", "torch.nn.modules")).isEqualTo("torch.nn.modules");
    // ties: alphabetical, whichever comes first
    assertThat(NamePlanner.shallower("networkx.classes", "networkx.algorithms")).isEqualTo("networkx.algorithms");
    assertThat(NamePlanner.shallower("networkx.algorithms", "networkx.classes")).isEqualTo("networkx.algorithms");
  }

  @Test
  void aPascalCaseModuleGetsAClassNameThatCannotBeItsPackage() {
    assertThat(NamePlanner.moduleClassName("Image")).isEqualTo("ImageModule");
    assertThat(NamePlanner.moduleClassName("linalg")).isEqualTo("Linalg");
    assertThat(NamePlanner.moduleClassName("function_base")).isEqualTo("FunctionBase");
  }

  @Test
  void descriptionsKeepTheirStructure() {
    String javadoc = Javadocs.blocks("""
        Intro line one
        and two.

        1. first
        2. second

        Example::

            x = {1: 2}

        .. deprecated:: 2.0
           Use :func:`other` instead.

        >>> f({1: 2})
        {1: 2}

        >>> g("\\\\u0041 */")
        'A'""");
    assertThat(javadoc).isEqualTo("""
        <p>Intro line one and two.
        <ol>
          <li>first
          <li>second
        </ol>
        <p>Example:
        <pre>
        x = &#123;1: 2&#125;
        </pre>
        <p><b>Deprecated</b> since version 2.0: Use <code>other</code> instead.
        <pre>{@code
        >>> f({1: 2})
        {1: 2}
        }</pre>
        <pre>
        &gt;&gt;&gt; g("&#92;&#92;u0041 *&#47;")
        'A'
        </pre>""");
  }
}
