package dev.snakebridge.internal.codegen;

import dev.snakebridge.codegen.ApiModel.DocInfo;
import dev.snakebridge.codegen.ApiModel.DocItem;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns parsed docstrings into safe Javadoc text: HTML special characters, {@code @}, backslashes (a
 * {@code \\u} in a comment is a Unicode escape to javac) and comment terminators are escaped; reST and
 * numpydoc markup ({@code ``code``}, {@code :func:`name`}, {@code `name`}) becomes {@code <code>}.
 * Stateless and thread-safe.
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
        out.append("\n\n<p>").append(text(doc.description()));
      }
    } else {
      out.append(text(fallback));
    }
    return out.toString();
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
