package dev.snakebridge.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Plan and generate for each real library Debian packages (numpy, pandas, scipy, scikit-learn, networkx,
 * sympy, torch), then compile every generated file with {@code -Xlint:all -Werror}. The numbers go to
 * {@code target/real-libraries.md} (docs/CODEGEN.md quotes them). Calls through the wrappers are in the
 * wrappers sample ({@code -Psamples}).
 */
class RealLibrariesIT {
  static final List<String> ROWS = new ArrayList<>();

  record Case(String library, LibrarySpec spec) {
    @Override
    public String toString() {
      return library + " " + spec.moduleMode().id() + " " + spec.classMethodScope().id();
    }
  }

  static Stream<Case> cases() {
    Path torchManifest = Path.of("../snakebridge-samples/wrappers-sample/src/main/snakebridge/torch.docs.json");
    return Stream.of(
        new Case("numpy", all("numpy").build()),
        new Case("pandas", all("pandas").build()),
        new Case("scipy", all("scipy").build()),
        new Case("sklearn", all("sklearn").build()),
        new Case("networkx", all("networkx").build()),
        // sympy's 1500 classes each inherit ~150 methods of Basic/Expr: declared-only keeps it to 16 s of javac.
        new Case("sympy", all("sympy").classMethodScope(ClassMethodScope.DEFINED).build()),
        new Case("torch", all("torch").moduleMode(ModuleMode.DOCS).docsManifest(torchManifest).maxClassMethods(500)
            .classMethodScope(ClassMethodScope.DEFINED).build()));
  }

  static LibrarySpec.Builder all(String name) {
    return LibrarySpec.builder(name).generate(GenerateMode.ALL);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void planGenerateAndCompile(Case c, @TempDir Path dir) throws IOException {
    List<String> progress = new ArrayList<>();
    Codegen codegen = new Codegen(PythonInterpreter.resolve(null), dir.resolve("work"),
        WrapperGenerator.DEFAULT_PACKAGE, progress::add);
    long planStart = System.nanoTime();
    Generation plan = codegen.plan(c.spec(), null);
    double planSeconds = (System.nanoTime() - planStart) / 1e9;
    assertThat(plan.planText()).contains(c.library(), "modules", "guardrails:");
    assertThat(progress).anySatisfy(line -> assertThat(line).contains("module 1/"));

    Codegen.Outcome outcome = codegen.generate(c.spec(), dir.resolve("src"), null);
    Generation g = outcome.generation();
    assertThat(g.files()).hasSizeGreaterThan(10);
    List<String> paths = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir.resolve("src"))) {
      walk.filter(p -> p.toString().endsWith(".java")).forEach(p -> paths.add(p.toString()));
    }
    long start = System.nanoTime();
    Compiler.Result r = Compiler.compilePaths(paths, dir.resolve("classes"), System.getProperty("java.class.path"));
    double compileSeconds = (System.nanoTime() - start) / 1e9;
    assertThat(r.output()).isEmpty();
    assertThat(r.ok()).isTrue();
    ROWS.add(String.format(Locale.ROOT, "| %s %s | %s | %s | %d | %d | %d | %d | %d | %,d | %.1f | %.1f | %.1f | %d%% |",
        c.library(), outcome.libraryVersion(), c.spec().moduleMode().id(), c.spec().classMethodScope().id(),
        g.moduleCount(), g.classCount(), g.functionCount(), g.methodCount(), g.files().size(), g.lineCount(),
        planSeconds, outcome.generateSeconds(), compileSeconds,
        100 * g.coverage().realSignatures() / Math.max(1, g.coverage().symbols())));
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @AfterAll
  static void report() throws IOException {
    String table = "| library | moduleMode | classMethodScope | modules | classes | functions | methods | files"
        + " | lines | plan s | generate s | javac s | real signatures |\n"
        + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
        + String.join("\n", ROWS) + "\n";
    Files.writeString(Path.of("target/real-libraries.md"), table, StandardCharsets.UTF_8);
    System.out.println(table);
  }
}
