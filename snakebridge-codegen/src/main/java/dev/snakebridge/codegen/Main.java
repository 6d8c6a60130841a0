package dev.snakebridge.codegen;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The command line, for builds that are not Maven, with the options of the Maven plugin:
 *
 * <pre>
 * java -jar snakebridge-codegen-VERSION-cli.jar generate --library numpy --generate all --out src/generated/java
 * java -jar snakebridge-codegen-VERSION-cli.jar plan --library torch --module-mode docs --docs-manifest torch.docs.json
 * java -jar snakebridge-codegen-VERSION-cli.jar docs-manifest --library torch --inventory objects.inv --out torch.docs.json
 * java -jar snakebridge-codegen-VERSION-cli.jar generate --help
 * </pre>
 *
 * Exit status 0 on success, 1 when generation fails (or a strict check finds problems), 2 on bad usage.
 */
@Command(name = "snakebridge-codegen", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Generates typed Java wrappers for Python libraries.",
    subcommands = {Main.Plan.class, Main.Generate.class, Main.DocsManifestCommand.class})
public final class Main implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;
  /** Where the commands' output and the generator's log go. */
  private PrintStream out = System.out;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command line; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Main main = new Main();
    main.out = out;
    CommandLine cli = new CommandLine(main);
    cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      if (e instanceof IllegalArgumentException) {
        line.getErr().println("snakebridge-codegen: " + e.getMessage());
        line.usage(line.getErr());
        return 2;
      }
      if (e instanceof CodegenException || e instanceof IOException) {
        line.getErr().println("snakebridge-codegen: " + e.getMessage());
        return 1;
      }
      throw e;
    });
    return cli.execute(args);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** The generator's version, for {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"snakebridge-codegen " + Codegen.VERSION};
    }
  }

  /** Where Python is and where the generator keeps its state. */
  static final class Environment {
    @Option(names = "--python", paramLabel = "PATH",
        description = "interpreter (default: SNAKEBRIDGE_PYTHON, then $VIRTUAL_ENV/bin/python, then python3 on PATH)")
    String python;

    @Option(names = "--python-path", paramLabel = "DIR", split = ",",
        description = "extra module directories, as PYTHONPATH (repeatable)")
    List<Path> pythonPath = new ArrayList<>();

    @Option(names = "--work-dir", paramLabel = "DIR", defaultValue = "build/snakebridge",
        description = "caches, state and coverage reports (default: ${DEFAULT-VALUE})")
    Path workDir;

    @Option(names = "--package", paramLabel = "NAME", defaultValue = WrapperGenerator.DEFAULT_PACKAGE,
        description = "root Java package (default: ${DEFAULT-VALUE})")
    String rootPackage;

    Codegen codegen(PrintStream log) {
      // Absolute: the introspector runs in another working directory.
      return new Codegen(PythonInterpreter.resolve(python), workDir.toAbsolutePath(),
          pythonPath.stream().map(Path::toAbsolutePath).toList(), rootPackage, log::println);
    }
  }

  /** One library and the options that shape its wrappers (the plugin's {@code <pythonDep>}). */
  static final class Library {
    @Option(names = "--library", required = true, paramLabel = "NAME", description = "top-level module, e.g. numpy")
    String name;

    @Option(names = "--declared-version", paramLabel = "V", description = "warn when the installed version differs")
    String declaredVersion;

    @Option(names = "--generate", paramLabel = "all|used",
        description = "used (default): only what --sources reference; all: the whole surface")
    String generate;

    @Option(names = "--sources", paramLabel = "DIR", split = ",",
        description = "Java and Kotlin sources to scan in used mode and strict mode (repeatable)")
    List<Path> sources = new ArrayList<>();

    @Option(names = "--module-mode", paramLabel = "MODE",
        description = "root, exports, public (default), explicit, docs, all")
    String moduleMode;

    @Option(names = "--docs-manifest", paramLabel = "FILE", description = "for --module-mode docs")
    Path docsManifest;

    @Option(names = "--include", paramLabel = "GLOB", split = ",",
        description = "qualified Python names to keep (repeatable)")
    List<String> include = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "GLOB", split = ",",
        description = "qualified Python names to leave out (repeatable)")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--max-class-methods", paramLabel = "N", description = "guardrail: default 1000, 0 = no cap")
    Integer maxClassMethods;

    @Option(names = "--class-method-scope", paramLabel = "all|defined",
        description = "all (default): declared and inherited methods; defined: declared only")
    String classMethodScope;

    @Option(names = "--max-members-per-file", paramLabel = "N", description = "split larger types (default 150)")
    Integer maxMembersPerFile;

    @Option(names = "--positional-overloads", paramLabel = "N",
        description = "overloads for the first optional positional parameters (default 2)")
    Integer positionalOverloads;

    @Option(names = "--streaming", paramLabel = "NAME", split = ",",
        description = "generator function with streaming variants (repeatable)")
    List<String> streaming = new ArrayList<>();

    @Option(names = "--import-timeout", paramLabel = "SECONDS", description = "time allowed per import (default 60)")
    Integer importTimeout;

    LibrarySpec spec() {
      LibrarySpec.Builder b = LibrarySpec.builder(name);
      if (declaredVersion != null) {
        b.declaredVersion(declaredVersion);
      }
      if (generate != null) {
        b.generate(GenerateMode.parse(generate));
      }
      if (moduleMode != null) {
        b.moduleMode(ModuleMode.parse(moduleMode));
      }
      if (docsManifest != null) {
        b.docsManifest(docsManifest);
      }
      b.include(include).exclude(exclude).streaming(streaming);
      if (maxClassMethods != null) {
        b.maxClassMethods(maxClassMethods);
      }
      if (classMethodScope != null) {
        b.classMethodScope(ClassMethodScope.parse(classMethodScope));
      }
      if (maxMembersPerFile != null) {
        b.maxMembersPerFile(maxMembersPerFile);
      }
      if (positionalOverloads != null) {
        b.positionalOverloads(positionalOverloads);
      }
      if (importTimeout != null) {
        b.importTimeoutSeconds(importTimeout);
      }
      return b.build();
    }

    SourceUsage usage() {
      return SourceUsage.scan(sources);
    }
  }

  /** {@code plan}: generation in memory, printed. */
  @Command(name = "plan", mixinStandardHelpOptions = true,
      description = "Introspects and generates in memory; prints modules, classes, members, coverage and cuts.")
  static final class Plan implements Callable<Integer> {
    @Mixin
    Environment env = new Environment();
    @Mixin
    Library library = new Library();
    @CommandLine.ParentCommand
    Main main;

    @Override
    public Integer call() {
      main.out.print(env.codegen(main.out).plan(library.spec(), library.usage()).planText());
      main.out.flush();
      return 0;
    }
  }

  /** {@code generate}: writes the wrappers, and the manifest and lock when asked; or checks them (strict). */
  @Command(name = "generate", mixinStandardHelpOptions = true,
      description = "Writes the wrappers to --out; with --strict, runs no Python and checks committed sources.")
  static final class Generate implements Callable<Integer> {
    @Mixin
    Environment env = new Environment();
    @Mixin
    Library library = new Library();
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where the Java sources go")
    Path out;
    @Option(names = "--manifest", paramLabel = "FILE", description = "write (or, strict, check) this manifest")
    Path manifest;
    @Option(names = "--lock", paramLabel = "FILE", description = "write (or, strict, check) this lock file")
    Path lock;
    @Option(names = "--strict", description = "no Python: check --out and --sources against --manifest and --lock")
    boolean strict;
    @CommandLine.ParentCommand
    Main main;

    @Override
    public Integer call() {
      PrintStream log = main.out;
      LibrarySpec lib = library.spec();
      if (strict) {
        if (manifest == null || lock == null) {
          throw new IllegalArgumentException("--strict needs --manifest and --lock");
        }
        List<String> problems = BuildFiles.strictCheck(manifest, lock, List.of(lib), library.usage(), out);
        if (!problems.isEmpty()) {
          throw new CodegenException("strict: the sources, the options and the manifest and lock disagree:\n  "
              + String.join("\n  ", problems));
        }
        log.println("strict: sources agree with " + manifest.getFileName() + "; no Python used");
        return 0;
      }
      env.codegen(log).generate(lib, out, lib.generate() == GenerateMode.USED ? library.usage() : null);
      if (manifest != null || lock != null) {
        BuildFiles.write(env.workDir.toAbsolutePath(), List.of(lib), env.rootPackage,
            manifest != null ? manifest : Path.of("snakebridge.manifest.json"),
            lock != null ? lock : Path.of("snakebridge.lock.json"));
      }
      return 0;
    }
  }

  /** {@code docs-manifest}: a docs manifest from a Sphinx inventory or from the public modules. */
  @Command(name = "docs-manifest", mixinStandardHelpOptions = true,
      description = "Writes a docs manifest from a Sphinx objects.inv (no Python) or the library's public modules.")
  static final class DocsManifestCommand implements Callable<Integer> {
    @Mixin
    Environment env = new Environment();
    @Option(names = "--library", required = true, paramLabel = "NAME", description = "top-level module")
    String library;
    @Option(names = "--inventory", paramLabel = "FILE", description = "a Sphinx objects.inv")
    Path inventory;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the manifest to write")
    Path out;
    @CommandLine.ParentCommand
    Main main;

    @Override
    public Integer call() throws IOException {
      DocsManifest manifest = inventory != null
          ? DocsManifest.fromInventory(library, SphinxInventory.read(inventory))
          : DocsManifest.fromPublicModules(library, new Introspector(PythonInterpreter.resolve(env.python),
              env.workDir.toAbsolutePath()).publicModules(library, line -> { }));
      Files.writeString(out, manifest.toJson(), StandardCharsets.UTF_8);
      main.out.println("wrote " + out + ": " + manifest.modules().size()
          + " modules; review it before use");
      return 0;
    }
  }
}
