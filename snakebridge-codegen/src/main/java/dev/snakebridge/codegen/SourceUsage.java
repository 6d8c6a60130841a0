package dev.snakebridge.codegen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a project's Java and Kotlin sources reference, read with patterns rather than a parser (fast, and good enough
 * to decide what to generate): each file's package and imports, {@code Type.member} references and the
 * names of methods called on anything. Comments and string literals are ignored. Immutable and
 * thread-safe once built.
 *
 * @param files one entry per source file
 */
public record SourceUsage(List<FileUsage> files) {
  // Semicolons optional: Kotlin sources (.kt) are read the same way.
  private static final Pattern PACKAGE = Pattern.compile("\\bpackage\\s+(\\w+(?:\\.\\w+)*)\\s*;?");
  private static final Pattern IMPORT = Pattern.compile(
      "\\bimport\\s+(static\\s+)?(\\w+(?:\\.\\w+)*)(\\.\\*)?\\s*;?");
  private static final Pattern QUALIFIED = Pattern.compile("\\b([A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)*)"
      + "\\s*\\.\\s*([A-Za-z_$][\\w$]*)");
  private static final Pattern CALL = Pattern.compile("\\.\\s*([A-Za-z_$][\\w$]*)\\s*\\(");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][\\w$]*");
  private static final Pattern METHOD_REF = Pattern.compile("::\\s*([A-Za-z_$][\\w$]*)");

  /**
   * One source file.
   *
   * @param path the file
   * @param packageName its package ("" for the default package)
   * @param imports single-type imports (fully qualified)
   * @param wildcardImports packages imported with {@code .*}
   * @param qualifiedRefs every {@code A.b} and {@code a.b.C.d} seen, as "A.b" and "a.b.C.d"
   * @param calledNames names of methods called or referenced ({@code .name(} and {@code ::name})
   * @param identifiers every identifier in the code
   * @param line the 1-based line of each qualified reference, for messages
   */
  public record FileUsage(
      Path path, String packageName, Set<String> imports, Set<String> wildcardImports, Set<String> qualifiedRefs,
      Set<String> calledNames, Set<String> identifiers, java.util.Map<String, Integer> line) {

    /** Whether this file can refer to {@code fqn} by its simple name. */
    public boolean sees(String fqn) {
      int dot = fqn.lastIndexOf('.');
      String pkg = dot < 0 ? "" : fqn.substring(0, dot);
      return imports.contains(fqn) || wildcardImports.contains(pkg) || packageName.equals(pkg);
    }
  }

  /**
   * Scans every {@code .java} file under the given roots (missing roots are skipped).
   *
   * @throws UncheckedIOException when a file cannot be read
   */
  public static SourceUsage scan(List<Path> roots) {
    List<FileUsage> files = new ArrayList<>();
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(root)) {
        for (Path p : walk.filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".kt")).sorted().toList()) {
          files.add(scanFile(p, Files.readString(p, StandardCharsets.UTF_8)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read Java sources under " + root, e);
      }
    }
    return new SourceUsage(List.copyOf(files));
  }

  /** Scans one file's text. */
  public static FileUsage scanFile(Path path, String source) {
    String code = stripCommentsAndStrings(source);
    String pkg = "";
    Matcher m = PACKAGE.matcher(code);
    if (m.find()) {
      pkg = m.group(1);
    }
    Set<String> imports = new LinkedHashSet<>();
    Set<String> wildcards = new LinkedHashSet<>();
    m = IMPORT.matcher(code);
    while (m.find()) {
      if (m.group(1) != null) {
        // import static a.b.C.member[.*]: the type is a.b.C
        String name = m.group(2);
        if (m.group(3) == null) {
          imports.add(name.substring(0, name.lastIndexOf('.')));
        } else {
          imports.add(name);
        }
      } else if (m.group(3) != null) {
        wildcards.add(m.group(2));
      } else {
        imports.add(m.group(2));
      }
    }
    Set<String> refs = new TreeSet<>();
    java.util.Map<String, Integer> lines = new java.util.HashMap<>();
    m = QUALIFIED.matcher(code);
    while (m.find()) {
      String ref = m.group(1) + "." + m.group(2);
      if (refs.add(ref)) {
        lines.put(ref, lineOf(code, m.start()));
      }
      // a.b.C.d also as its tails C.d, so that a qualified use counts as a simple one
      String[] parts = ref.split("\\.");
      for (int i = 1; i + 1 < parts.length; i++) {
        String tail = String.join(".", java.util.Arrays.asList(parts).subList(i, parts.length));
        if (refs.add(tail)) {
          lines.put(tail, lineOf(code, m.start()));
        }
      }
    }
    Set<String> called = new TreeSet<>();
    m = CALL.matcher(code);
    while (m.find()) {
      called.add(m.group(1));
    }
    m = METHOD_REF.matcher(code);
    while (m.find()) {
      called.add(m.group(1));
    }
    Set<String> identifiers = new java.util.HashSet<>();
    m = IDENTIFIER.matcher(code);
    while (m.find()) {
      identifiers.add(m.group());
    }
    return new FileUsage(path, pkg, Set.copyOf(imports), Set.copyOf(wildcards), Set.copyOf(refs), Set.copyOf(called),
        Set.copyOf(identifiers), java.util.Map.copyOf(lines));
  }

  private static int lineOf(String code, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (code.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  /** The source with comments and string/char literals blanked (newlines kept, so line numbers hold). */
  static String stripCommentsAndStrings(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/') {
        while (i < s.length() && s.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
        i += 2;
        while (i + 1 < s.length() && !(s.charAt(i) == '*' && s.charAt(i + 1) == '/')) {
          out.append(s.charAt(i) == '\n' ? '\n' : ' ');
          i++;
        }
        i += 2;
      } else if (s.startsWith("\"\"\"", i)) {
        int end = s.indexOf("\"\"\"", i + 3);
        end = end < 0 ? s.length() : end + 3;
        for (int k = i; k < end; k++) {
          out.append(s.charAt(k) == '\n' ? '\n' : ' ');
        }
        i = end;
      } else if (c == '"' || c == '\'') {
        out.append(' ');
        i++;
        while (i < s.length() && s.charAt(i) != c && s.charAt(i) != '\n') {
          if (s.charAt(i) == '\\') {
            i++;
          }
          i++;
        }
        i++;
        out.append(' ');
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }
}
