package dev.snakebridge.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snakebridge.SnakeBridge;
import dev.snakebridge.SnakeBridgeConfig;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The introspector and generator on a small fixture library (src/test/resources/python/sbfixture) with a
 * real interpreter: each module mode, each guardrail, signature sources, docstring styles, include and
 * exclude, incremental runs, and generated wrappers called through the runtime.
 */
class FixtureIT {
  static final Path FIXTURE = Path.of("src/test/resources/python").toAbsolutePath();
  static Path work;
  static List<String> log = new ArrayList<>();

  @BeforeAll
  static void setUp(@TempDir Path dir) {
    work = dir;
    SnakeBridge.configure(SnakeBridgeConfig.builder().environment("PYTHONPATH", FIXTURE.toString()).poolSize(1)
        .build());
  }

  @AfterAll
  static void tearDown() {
    SnakeBridge.shutdown();
  }

  static Codegen codegen() {
    return new Codegen(PythonInterpreter.resolve(null), work.resolve("work"), List.of(FIXTURE),
        WrapperGenerator.DEFAULT_PACKAGE, log::add);
  }

  static LibrarySpec.Builder all() {
    return LibrarySpec.builder("sbfixture").generate(GenerateMode.ALL);
  }

  static List<String> modules(LibrarySpec spec) {
    return codegen().plan(spec, null).model().modules().stream().map(ApiModel.ModuleInfo::name).toList();
  }

  @Test
  void eachModuleModeFindsItsModules() throws IOException {
    assertThat(modules(all().moduleMode(ModuleMode.ROOT).build())).containsExactly("sbfixture");
    assertThat(modules(all().moduleMode(ModuleMode.EXPORTS).build()))
        .containsExactly("sbfixture", "sbfixture.exported");
    assertThat(modules(all().moduleMode(ModuleMode.PUBLIC).build())).containsExactly("sbfixture",
        "sbfixture.core", "sbfixture.exported", "sbfixture.exported.tools", "sbfixture.plain", "sbfixture.stubbed",
        "sbfixture.broken");
    assertThat(modules(all().moduleMode(ModuleMode.EXPLICIT).build()))
        .containsExactly("sbfixture", "sbfixture.exported");
    assertThat(modules(all().moduleMode(ModuleMode.ALL).build())).contains("sbfixture._hidden",
        "sbfixture.tests.test_core", "sbfixture.broken");
    Path manifest = work.resolve("fixture.docs.json");
    Files.writeString(manifest, new DocsManifest("sbfixture", "test", Map.of("sbfixture.plain", List.of("mean"),
        "sbfixture.exported", List.of("*"))).toJson());
    Generation docs = codegen().plan(all().moduleMode(ModuleMode.DOCS).docsManifest(manifest).build(), null);
    // The manifest is a map: which module comes first is not specified, only which modules and names.
    assertThat(docs.model().modules()).extracting(ApiModel.ModuleInfo::name)
        .containsExactlyInAnyOrder("sbfixture.plain", "sbfixture.exported");
    ApiModel.ModuleInfo plain = docs.model().modules().stream()
        .filter(m -> m.name().equals("sbfixture.plain")).findFirst().orElseThrow();
    assertThat(plain.functions()).extracting(ApiModel.FunctionRef::name).containsExactly("mean");
  }

  @Test
  void aModuleThatFailsToImportIsReportedAndReadFromItsSource() {
    Generation g = codegen().plan(all().build(), null);
    assertThat(g.model().failures()).singleElement().satisfies(f -> {
      assertThat(f.module()).isEqualTo("sbfixture.broken");
      assertThat(f.error()).contains("ImportError: this module is broken on purpose");
      assertThat(f.readFromSource()).isTrue();
    });
    assertThat(g.planText()).contains("sbfixture.broken", "read from its source: ast fallback");
    ApiModel.ModuleInfo broken = g.model().modules().stream().filter(m -> m.name().equals("sbfixture.broken"))
        .findFirst().orElseThrow();
    assertThat(broken.functions()).extracting(ApiModel.FunctionRef::name).containsExactly("shout");
    assertThat(broken.classes()).extracting(ApiModel.ClassRef::name).containsExactly("Gadget");
    ApiModel.SignatureInfo shout = g.model().callable("sbfixture.broken.shout").signature();
    assertThat(shout.source()).isEqualTo("ast");
    assertThat(shout.returns()).isEqualTo("str");
    assertThat(shout.params()).extracting(ApiModel.ParamInfo::annotation).containsExactly("str", "int");
    ApiModel.ClassInfo gadget = g.model().classes().get("sbfixture.broken.Gadget");
    assertThat(gadget.methods()).extracting(ApiModel.MethodRef::name).containsExactly("grow", "make");
    assertThat(gadget.protocols()).containsExactly("len");
    assertThat(g.coverage().bySource()).containsKey("ast");
    // The wrapper is typed from the source's annotations, as for an imported module.
    String broken0 = g.files().stream().filter(f -> f.path().endsWith("sbfixture/Broken.java")).findFirst()
        .orElseThrow().content();
    assertThat(broken0).contains("public static String shout(String text)");
  }

  @Test
  void signaturesComeFromTheBestSourceAndDocsFromEachStyle() {
    ApiModel m = codegen().plan(all().build(), null).model();
    assertThat(m.callable("sbfixture.core.add").signature().source()).isEqualTo("runtime");
    assertThat(m.callable("sbfixture.core.add").signature().typeSource()).isEqualTo("annotations");
    assertThat(m.callable("sbfixture.stubbed.typed").signature().source()).isEqualTo("stub");
    assertThat(m.callable("sbfixture.stubbed.typed").signature().returns()).isEqualTo("str");
    assertThat(m.callable("sbfixture.core.add").doc().style()).isEqualTo("numpy");
    assertThat(m.callable("sbfixture.core.add").doc().raises()).extracting(ApiModel.DocItem::type)
        .containsExactly("TypeError");
    assertThat(m.callable("sbfixture.core.greet").doc().style()).isEqualTo("google");
    assertThat(m.callable("sbfixture.core.greet").doc().params()).extracting(ApiModel.DocItem::name)
        .containsExactly("name", "greeting");
    assertThat(m.callable("sbfixture.core.scale").doc().style()).isEqualTo("rest");
    assertThat(m.callable("sbfixture.core.scale").doc().returns().get(0).type()).isEqualTo("list");
    ApiModel math = new Codegen(PythonInterpreter.resolve(null), work.resolve("work"), "p", log::add)
        .plan(LibrarySpec.builder("math").moduleMode(ModuleMode.ROOT).generate(GenerateMode.ALL).build(), null)
        .model();
    assertThat(math.callable("math.sqrt").signature().source()).isEqualTo("text_signature");
  }

  @Test
  void guardrailsCutInheritedMethodsAndSayWhy() {
    Generation capped = codegen().plan(all().maxClassMethods(5).build(), null);
    assertThat(capped.cuts()).extracting(Generation.GuardrailCut::classKey).contains("sbfixture.plain.Square");
    assertThat(members(capped, "sbfixture.plain.Square")).containsOnlyKeys("area", "default_");
    assertThat(capped.planText()).contains("sbfixture.plain.Square: maxClassMethods=5: 8 inherited+declared"
        + " methods, kept the 2 declared");
    Generation uncapped = codegen().plan(all().maxClassMethods(0).build(), null);
    assertThat(uncapped.cuts()).isEmpty();
    assertThat(members(uncapped, "sbfixture.plain.Square")).containsKeys("area", "m01", "m06");
    Generation defined = codegen().plan(all().classMethodScope(ClassMethodScope.DEFINED).build(), null);
    assertThat(members(defined, "sbfixture.plain.Square")).containsOnlyKeys("area", "default_");
    assertThat(members(defined, "sbfixture.core.Counter")).containsKey("baseMethod");
  }

  static Map<String, String> members(Generation g, String python) {
    return g.types().stream().filter(t -> t.python().equals(python)).findFirst().orElseThrow().members();
  }

  @Test
  void includeAndExcludeRefineTheSurface() {
    assertThat(modules(all().exclude(List.of("sbfixture.plain", "sbfixture.exported*")).build()))
        .containsExactly("sbfixture", "sbfixture.core", "sbfixture.stubbed", "sbfixture.broken");
    Generation only = codegen().plan(all().include(List.of("sbfixture.core.add")).build(), null);
    assertThat(only.types()).singleElement().satisfies(t -> assertThat(t.members()).containsOnlyKeys("add"));
  }

  @Test
  void generatesIncrementallyWarnsOnVersionsAndFailsOnMissingSymbols() throws IOException {
    Path out = work.resolve("incremental");
    LibrarySpec spec = all().declaredVersion("9.9").build();
    Codegen.Outcome first = codegen().generate(spec, out, null);
    assertThat(first.upToDate()).isFalse();
    assertThat(log).anySatisfy(l -> assertThat(l).contains("WARNING: sbfixture is declared as version 9.9 but"));
    assertThat(codegen().generate(spec, out, null).upToDate()).isTrue();
    assertThat(codegen().generate(all().maxClassMethods(3).build(), out, null).upToDate()).isFalse();
    assertThat(Files.isRegularFile(work.resolve("work/reports/sbfixture-coverage.md"))).isTrue();

    SourceUsage usage = UsedModeTest.sources("""
        import dev.snakebridge.py.sbfixture.Core;
        class A { Object x = Core.farewell("a"); }
        """);
    assertThatThrownBy(() -> codegen().generate(LibrarySpec.builder("sbfixture").build(), out, usage))
        .isInstanceOf(CodegenException.class).hasMessageContaining("Core.farewell")
        .hasMessageContaining("lacks symbols the sources use");
  }

  @Test
  void generatedWrappersCompileAndCallPython(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("src");
    codegen().generate(all().streaming(List.of("countdown")).build(), out, null);
    List<String> paths = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(out)) {
      walk.filter(p -> p.toString().endsWith(".java")).forEach(p -> paths.add(p.toString()));
    }
    paths.add(Path.of("src/test/resources/fixture-use/FixtureUse.java").toAbsolutePath().toString());
    Compiler.Result r = Compiler.compilePaths(paths, dir.resolve("classes"), System.getProperty("java.class.path"));
    assertThat(r.output()).isEmpty();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {r.classes().toUri().toURL()},
        getClass().getClassLoader())) {
      @SuppressWarnings("unchecked")
      Supplier<String> use = (Supplier<String>) loader.loadClass("fixtureuse.FixtureUse").getConstructor()
          .newInstance();
      assertThat(use.get()).isEqualTo("[3, 6, Hi, Ann!, [3.0, 6.0, extra], 3.14159, xx, 2.0, 16, 3, 1, true,"
          + " [5, 2, 3], 103, named, 3, base, class, 2, null, 0, 16, default, 3, 9, 20, 3, [3, 2, 1]]");
    }
    String readme = Files.readString(work.resolve("work/reports/sbfixture-coverage.md"), StandardCharsets.UTF_8);
    assertThat(readme).contains("| **real signature** |");
  }

  @Test
  void theCommandLineWritesLockAndManifestAndChecksThemStrictly(@TempDir Path dir) {
    String[] generate = {"generate", "--library", "sbfixture", "--generate", "all", "--python-path",
        FIXTURE.toString(), "--work-dir", dir.resolve("work").toString(), "--out", dir.resolve("gen").toString(),
        "--manifest", dir.resolve("m.json").toString(), "--lock", dir.resolve("l.json").toString()};
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream quiet = new java.io.PrintStream(new java.io.ByteArrayOutputStream());
    java.io.PrintStream errors = new java.io.PrintStream(err, true, StandardCharsets.UTF_8);
    assertThat(Main.run(generate, quiet, errors)).isZero();
    List<String> strict = new ArrayList<>(List.of(generate));
    strict.add("--strict");
    assertThat(Main.run(strict.toArray(String[]::new), quiet, errors)).isZero();
    strict.addAll(List.of("--max-class-methods", "5"));
    assertThat(Main.run(strict.toArray(String[]::new), quiet, errors)).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("option maxClassMethods is 5 in the build but 1000");
  }
}
