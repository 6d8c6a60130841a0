package dev.snakebridge.codegen;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line, for builds that are not Maven:
 *
 * <pre>
 * java -jar snakebridge-codegen-VERSION-cli.jar generate --library numpy --generate all --out src/generated/java
 * java -jar snakebridge-codegen-VERSION-cli.jar plan --library torch --module-mode docs --docs-manifest torch.docs.json
 * java -jar snakebridge-codegen-VERSION-cli.jar docs-manifest --library torch --inventory objects.inv --out torch.docs.json
 * </pre>
 *
 * Options: {@code --python}, {@code --package}, {@code --work-dir}, {@code --sources} (used mode, repeatable),
 * {@code --generate all|used}, {@code --module-mode}, {@code --include}/{@code --exclude} (repeatable),
 * {@code --max-class-methods}, {@code --class-method-scope all|defined}, {@code --streaming} (repeatable),
 * {@code --declared-version}. Exit status 0 on success, 1 on a generation error, 2 on bad usage.
 */
public final class Main {
  private Main() {}

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command line; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      out.println(usage());
      return args.length == 0 ? 2 : 0;
    }
    String command = args[0];
    String library = null;
    String python = null;
    String pkg = WrapperGenerator.DEFAULT_PACKAGE;
    Path workDir = Path.of("build", "snakebridge");
    Path outDir = null;
    Path inventory = null;
    List<Path> sources = new ArrayList<>();
    LibrarySpec.Builder spec = null;
    List<String[]> deferred = new ArrayList<>();
    try {
      for (int i = 1; i < args.length; i++) {
        String opt = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("option " + opt + " needs a value");
        }
        String value = args[++i];
        switch (opt) {
          case "--library" -> library = value;
          case "--python" -> python = value;
          case "--package" -> pkg = value;
          case "--work-dir" -> workDir = Path.of(value);
          case "--out" -> outDir = Path.of(value);
          case "--sources" -> sources.add(Path.of(value));
          case "--inventory" -> inventory = Path.of(value);
          default -> deferred.add(new String[] {opt, value});
        }
      }
      if (library == null) {
        throw new IllegalArgumentException("--library is required");
      }
      spec = LibrarySpec.builder(library);
      for (String[] d : deferred) {
        apply(spec, d[0], d[1]);
      }
    } catch (IllegalArgumentException e) {
      err.println("snakebridge-codegen: " + e.getMessage());
      err.println(usage());
      return 2;
    }
    try {
      PythonInterpreter interpreter = PythonInterpreter.resolve(python);
      Codegen codegen = new Codegen(interpreter, workDir, pkg, out::println);
      switch (command) {
        case "plan" -> out.print(codegen.plan(spec.build(), SourceUsage.scan(sources)).planText());
        case "generate" -> {
          if (outDir == null) {
            throw new IllegalArgumentException("generate needs --out DIR");
          }
          codegen.generate(spec.build(), outDir, SourceUsage.scan(sources));
        }
        case "docs-manifest" -> {
          if (outDir == null) {
            throw new IllegalArgumentException("docs-manifest needs --out FILE");
          }
          DocsManifest manifest = inventory != null
              ? DocsManifest.fromInventory(library, SphinxInventory.read(inventory))
              : DocsManifest.fromPublicModules(library, new Introspector(interpreter, workDir)
                  .publicModules(library, line -> {}));
          Files.writeString(outDir, manifest.toJson(), StandardCharsets.UTF_8);
          out.println("wrote " + outDir + ": " + manifest.modules().size() + " modules; review it before use");
        }
        default -> throw new IllegalArgumentException("unknown command '" + command + "'");
      }
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("snakebridge-codegen: " + e.getMessage());
      return 2;
    } catch (CodegenException | IOException e) {
      err.println("snakebridge-codegen: " + e.getMessage());
      return 1;
    }
  }

  private static void apply(LibrarySpec.Builder spec, String opt, String value) {
    switch (opt) {
      case "--generate" -> spec.generate(GenerateMode.parse(value));
      case "--module-mode" -> spec.moduleMode(ModuleMode.parse(value));
      case "--docs-manifest" -> spec.docsManifest(Path.of(value));
      case "--include" -> spec.include(List.of(value));
      case "--exclude" -> spec.exclude(List.of(value));
      case "--max-class-methods" -> spec.maxClassMethods(Integer.parseInt(value));
      case "--class-method-scope" -> spec.classMethodScope(ClassMethodScope.parse(value));
      case "--streaming" -> spec.streaming(List.of(value));
      case "--declared-version" -> spec.declaredVersion(value);
      case "--max-members-per-file" -> spec.maxMembersPerFile(Integer.parseInt(value));
      default -> throw new IllegalArgumentException("unknown option " + opt);
    }
  }

  static String usage() {
    return """
        usage: snakebridge-codegen plan|generate|docs-manifest --library NAME [options]
          --python PATH              interpreter (default: SNAKEBRIDGE_PYTHON, VIRTUAL_ENV, python3 on PATH)
          --package NAME             root Java package (default dev.snakebridge.py)
          --out DIR|FILE             output directory (generate) or manifest file (docs-manifest)
          --work-dir DIR             caches and reports (default build/snakebridge)
          --generate all|used        default used: only what --sources reference
          --sources DIR              Java sources to scan in used mode (repeatable)
          --module-mode MODE         root, exports, public (default), explicit, docs, all
          --docs-manifest FILE       for --module-mode docs
          --include GLOB, --exclude GLOB   qualified Python names (repeatable)
          --max-class-methods N      default 1000, 0 = no cap
          --class-method-scope all|defined
          --streaming NAME           generator function with streaming variants (repeatable)
          --declared-version V       warn when the installed version differs
          --inventory FILE           docs-manifest from a Sphinx objects.inv (else from the public modules)""";
  }
}
