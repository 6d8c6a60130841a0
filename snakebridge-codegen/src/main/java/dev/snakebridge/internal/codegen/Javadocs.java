package dev.snakebridge.internal.codegen;

import dev.snakebridge.codegen.ApiModel.DocInfo;
import dev.snakebridge.codegen.ApiModel.DocItem;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns parsed docstrings into safe Javadoc text: HTML special characters, {@code @}, backslashes (a
 * {@code \\u} in a comment is a Unicode escape to javac) and comment terminators are escaped; reST and
 * numpydoc markup ({@code ``code``}, {@code :func:`name`}, {@code `name`}) becomes {@code <code>}.
 * Descriptions keep their structure: paragraphs, bullet and numbered lists, tables and literal blocks
 * (as {@code <pre>}), doctests (as {@code <pre>{@code ...}</pre>}), and reST directives as readable text
 * ({@code .. versionadded:: 1.2} becomes "Added in version 1.2."). Stateless and thread-safe.
 */
final class Javadocs {
  private static final Pattern LITERAL = Pattern.compile("``(.+?)``");
  private static final Pattern ROLE = Pattern.compile(":[\\w:.-]+:`~?([^`]+)`");
  private static final Pattern TICK = Pattern.compile("`([^`]+)`_?");

  private Javadocs() {}

  /** Escapes plain text for Javadoc and renders inline markup. */
  static String text(String s) {
    if (s == null) {
      return "";
    }
    String t = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("@", "&#64;")
        .replace("\\", "&#92;").replace("*/", "*&#47;").replace("/*", "&#47;*");
    t = replace(LITERAL, t);
    t = replace(ROLE, t);
    t = replace(TICK, t);
    return t.replace("\n\n", "\n<p>").strip();
  }

  private static String replace(Pattern p, String t) {
    Matcher m = p.matcher(t);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement("<code>" + m.group(1) + "</code>"));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Code shown as-is inside {@code <code>}. */
  static String code(String s) {
    return "<code>" + text(s).replace("<code>", "").replace("</code>", "") + "</code>";
  }

  /** The summary and description paragraphs; a fallback sentence when there is no doc. */
  static String body(DocInfo doc, String fallback) {
    StringBuilder out = new StringBuilder();
    if (doc != null && doc.summary() != null) {
      out.append(text(doc.summary()));
      if (doc.description() != null) {
        String blocks = blocks(doc.description());
        if (!blocks.isEmpty()) {
          out.append("\n\n").append(blocks);
        }
      }
    } else {
      out.append(text(fallback));
    }
    return out.toString();
  }

  private static final Pattern DIRECTIVE = Pattern.compile("^\\.\\.\\s+([\\w-]+)::\\s*(.*)$");
  private static final Pattern BULLET = Pattern.compile("^([-*+•]|\\d+[.)]|#\\.)\\s+(.*)$");
  private static final Pattern TABLE_RULE = Pattern.compile("^[=+|-][=+|\\- ]*[=+|-]$");

  /**
   * A description rendered as Javadoc blocks: each paragraph (blank-line separated) becomes a {@code <p>},
   * a list, a {@code <pre>} (tables, literal blocks after {@code ::}, indented blocks, code directives) or a
   * doctest; directives become readable text.
   */
  static String blocks(String description) {
    List<List<String>> paragraphs = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (String line : description.split("\n", -1)) {
      if (line.isBlank()) {
        if (!current.isEmpty()) {
          paragraphs.add(current);
          current = new ArrayList<>();
        }
      } else {
        current.add(line.stripTrailing());
      }
    }
    if (!current.isEmpty()) {
      paragraphs.add(current);
    }
    StringBuilder out = new StringBuilder();
    boolean literalNext = false;
    for (int i = 0; i < paragraphs.size(); i++) {
      List<String> p = paragraphs.get(i);
      // A directive's body is the indented paragraphs that follow it.
      if (DIRECTIVE.matcher(p.get(0).strip()).matches() && p.size() == 1) {
        while (i + 1 < paragraphs.size() && indent(paragraphs.get(i + 1).get(0)) > indent(p.get(0))) {
          p = new ArrayList<>(p);
          p.addAll(paragraphs.get(++i));
        }
      }
      String block = literalNext ? pre(p) : block(p);
      literalNext = p.get(p.size() - 1).endsWith("::");
      if (!out.isEmpty()) {
        out.append("\n");
      }
      out.append(block);
    }
    return out.toString();
  }

  private static String block(List<String> p) {
    String first = p.get(0).strip();
    if (first.startsWith(">>>")) {
      return doctest(p);
    }
    Matcher d = DIRECTIVE.matcher(first);
    if (d.matches()) {
      return directive(d.group(1), d.group(2), p.subList(1, p.size()));
    }
    if (p.stream().anyMatch(l -> TABLE_RULE.matcher(l.strip()).matches())) {
      return pre(p);
    }
    int base = indent(p.get(0));
    if (base > 0 && p.stream().allMatch(l -> indent(l) >= base)) {
      return pre(p);
    }
    if (BULLET.matcher(first).matches()) {
      return list(p);
    }
    String joined = String.join(" ", p.stream().map(String::strip).toList());
    if (joined.endsWith("::")) {
      joined = joined.substring(0, joined.length() - 1);
    }
    return "<p>" + text(joined);
  }

  private static String list(List<String> p) {
    boolean ordered = !p.get(0).strip().matches("^[-*+•]\\s.*");
    List<String> items = new ArrayList<>();
    for (String line : p) {
      Matcher m = BULLET.matcher(line.strip());
      if (m.matches() && indent(line) <= indent(p.get(0))) {
        items.add(m.group(2).strip());
      } else if (items.isEmpty()) {
        items.add(line.strip());
      } else {
        items.set(items.size() - 1, items.get(items.size() - 1) + " " + line.strip());
      }
    }
    StringBuilder out = new StringBuilder(ordered ? "<ol>\n" : "<ul>\n");
    for (String item : items) {
      out.append("  <li>").append(text(item)).append("\n");
    }
    return out.append(ordered ? "</ol>" : "</ul>").toString();
  }

  private static String directive(String name, String argument, List<String> body) {
    String content = String.join(" ", body.stream().map(String::strip).toList()).strip();
    String arg = argument.strip();
    return switch (name) {
      case "versionadded" -> "<p><em>Added in version " + text(arg) + ".</em>" + (content.isEmpty() ? "" : " "
          + text(content));
      case "versionchanged" -> "<p><em>Changed in version " + text(arg) + (content.isEmpty() ? ".</em>" : ":</em> "
          + text(content));
      case "deprecated" -> "<p><b>Deprecated</b> since version " + text(arg) + (content.isEmpty() ? "." : ": "
          + text(content));
      case "note", "warning", "seealso", "tip", "important", "attention", "caution", "hint", "danger", "error",
           "admonition" -> "<p><b>" + switch (name) {
             case "seealso" -> "See also";
             case "admonition" -> text(arg);
             default -> Character.toUpperCase(name.charAt(0)) + name.substring(1);
           } + ":</b> " + text(("admonition".equals(name) ? "" : arg + " ") + content).strip();
      case "code", "code-block", "sourcecode", "math", "literalinclude", "highlight", "parsed-literal" ->
          body.isEmpty() ? (arg.isEmpty() || "code".equals(name) || name.startsWith("code") || "highlight".equals(name)
              ? "" : "<pre>" + escape(arg) + "</pre>") : pre(body);
      default -> content.isEmpty() && arg.isEmpty() ? "" : "<p>" + text((arg + " " + content).strip());
    };
  }

  private static String doctest(List<String> p) {
    int base = indent(p.get(0));
    List<String> lines = p.stream().map(l -> l.length() >= base ? l.substring(Math.min(base, indent(l))) : l)
        .toList();
    String code = String.join("\n", lines);
    if (safeInCode(code)) {
      return "<pre>{@code\n" + code + "\n}</pre>";
    }
    return pre(lines);
  }

  /** Whether text may stand inside {@code {@code ...}} as it is: balanced braces, nothing javac or javadoc reads. */
  private static boolean safeInCode(String code) {
    int depth = 0;
    for (int i = 0; i < code.length(); i++) {
      char c = code.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth < 0) {
        return false;
      }
    }
    return depth == 0 && !code.contains("*/") && !code.contains("/*") && !code.contains("\\")
        && code.lines().noneMatch(l -> l.strip().startsWith("@"));
  }

  private static String pre(List<String> lines) {
    int base = lines.stream().mapToInt(Javadocs::indent).min().orElse(0);
    StringBuilder out = new StringBuilder("<pre>\n");
    for (String l : lines) {
      out.append(escape(l.substring(Math.min(base, l.length())))).append("\n");
    }
    return out.append("</pre>").toString();
  }

  /** Escapes without rendering markup: for {@code <pre>} blocks. */
  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("@", "&#64;")
        .replace("\\", "&#92;").replace("*/", "*&#47;").replace("/*", "&#47;*").replace("{", "&#123;")
        .replace("}", "&#125;");
  }

  private static int indent(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return n;
  }

  /** The documented parameter {@code name}, as "({@code type}) description", or null. */
  static String param(DocInfo doc, String name) {
    if (doc == null) {
      return null;
    }
    for (DocItem item : doc.params()) {
      if (name.equals(item.name()) || ("*" + name).equals(item.name()) || ("**" + name).equals(item.name())) {
        return item(item);
      }
    }
    return null;
  }

  /** The documented type of parameter {@code name}, or null. */
  static String paramType(DocInfo doc, String name) {
    if (doc == null) {
      return null;
    }
    for (DocItem item : doc.params()) {
      if (name.equals(item.name())) {
        return item.type();
      }
    }
    return null;
  }

  /** The {@code @return} text, or null when the docstring says nothing. */
  static String returns(DocInfo doc) {
    if (doc == null || doc.returns().isEmpty()) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    for (DocItem item : doc.returns()) {
      if (!out.isEmpty()) {
        out.append("; ");
      }
      if (item.name() != null) {
        out.append(text(item.name())).append(' ');
      }
      out.append(item(item));
    }
    return out.toString();
  }

  /** The single documented return type, or null. */
  static String returnType(DocInfo doc) {
    return doc != null && doc.returns().size() == 1 ? doc.returns().get(0).type() : null;
  }

  /** A "Raises" paragraph, or an empty string. */
  static String raises(DocInfo doc) {
    if (doc == null || doc.raises().isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder("\n\n<p>Raises (as {@link dev.snakebridge.PythonException}):\n<ul>\n");
    for (DocItem item : doc.raises()) {
      out.append("  <li>").append(code(item.type() == null ? "Exception" : item.type()));
      if (item.description() != null) {
        out.append(": ").append(text(item.description()));
      }
      out.append("\n");
    }
    return out.append("</ul>").toString();
  }

  private static String item(DocItem item) {
    String type = item.type() == null ? "" : "(" + text(item.type()) + ") ";
    String description = item.description() == null ? "" : text(item.description());
    String all = (type + description).strip();
    return all.isEmpty() ? "see the Python documentation" : all;
  }

  /** One-line description of a Python signature, for "Python: ..." lines. */
  static String signature(String dotted, List<String> params) {
    return code(dotted + "(" + String.join(", ", params) + ")");
  }
}
