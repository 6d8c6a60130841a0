package dev.snakebridge.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The headline table of one run (one regime): a row per measured case with its baseline from the same
 * run, the ratio and the target. Printed as text at the end of the run, and as a markdown block that can
 * be pasted into docs/PERFORMANCE.md. Not thread-safe; the measurements add their rows one after another.
 */
final class Summary {
  /**
   * One row. {@code part} is the row group of the table layout in docs/PERFORMANCE.md (1 to 7); {@code
   * verdict} is "met", "NOT met" or empty where the row has no target.
   */
  record Row(int part, String what, String measured, String baseline, String ratio, String target, String verdict) {}

  private final String title;
  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  Summary(String title) {
    this.title = title;
  }

  void add(int part, String what, String measured, String baseline, String ratio, String target, String verdict) {
    insert(new Row(part, what, measured, baseline, ratio, target, verdict));
  }

  /** Keeps the rows in the order of their parts (1 to 7) whatever order the parts ran in. */
  private void insert(Row row) {
    int at = rows.size();
    while (at > 0 && rows.get(at - 1).part() > row.part()) {
      at--;
    }
    rows.add(at, row);
  }

  /** A row whose measurement failed: the reason takes the place of the numbers. */
  void failed(int part, String what, String reason) {
    insert(new Row(part, what, "FAILED: " + reason, "", "", "", ""));
  }

  void note(String note) {
    notes.add(note);
  }

  /** "met" when {@code ok}, else "NOT met"; empty when the ratio could not be computed. */
  static String verdict(double ratio, boolean ok) {
    return Double.isNaN(ratio) ? "" : ok ? "met" : "NOT met";
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintStream out) {
    int[] w = {1, 4, 8, 8, 5, 6, 7};
    for (Row r : rows) {
      w[1] = Math.max(w[1], r.what().length());
      w[2] = Math.max(w[2], r.measured().length());
      w[3] = Math.max(w[3], r.baseline().length());
      w[4] = Math.max(w[4], r.ratio().length());
      w[5] = Math.max(w[5], r.target().length());
      w[6] = Math.max(w[6], r.verdict().length());
    }
    String format = "%-" + w[0] + "s | %-" + w[1] + "s | %" + w[2] + "s | %-" + w[3] + "s | %" + w[4] + "s | %-"
        + w[5] + "s | %s%n";
    out.println();
    out.println(title);
    out.println();
    out.printf(Locale.ROOT, format, "#", "row", "measured", "baseline (same run)", "ratio", "target", "");
    out.printf(Locale.ROOT, format, "-", "-".repeat(w[1]), "-".repeat(w[2]), "-".repeat(w[3]), "-".repeat(w[4]),
        "-".repeat(w[5]), "-".repeat(w[6]));
    for (Row r : rows) {
      out.printf(Locale.ROOT, format, r.part(), r.what(), r.measured(), r.baseline(), r.ratio(), r.target(),
          r.verdict());
    }
    for (String note : notes) {
      out.println(note);
    }
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("**").append(title).append("**\n\n");
    md.append("| # | row | measured | baseline (same run) | ratio | target |\n");
    md.append("| --- | --- | --- | --- | --- | --- |\n");
    for (Row r : rows) {
      String target = r.verdict().isEmpty() ? r.target() : r.target() + " " + bold(r.verdict());
      md.append("| ").append(r.part()).append(" | ").append(cell(r.what())).append(" | ").append(cell(r.measured()))
          .append(" | ").append(cell(r.baseline())).append(" | ").append(r.ratio()).append(" | ")
          .append(cell(target)).append(" |\n");
    }
    if (!notes.isEmpty()) {
      md.append('\n');
      for (String note : notes) {
        md.append(note).append('\n');
      }
    }
    return md.toString();
  }

  /** Prints the markdown block, and writes the text table and the block to {@code file} when given. */
  void printMarkdown(PrintStream out, Path file) {
    out.println();
    out.println("Markdown for docs/PERFORMANCE.md:");
    out.println();
    out.print(markdown());
    if (file == null) {
      return;
    }
    var text = new java.io.ByteArrayOutputStream();
    try (PrintStream p = new PrintStream(text, true, StandardCharsets.UTF_8)) {
      print(p);
    }
    try {
      Files.writeString(file, text.toString(StandardCharsets.UTF_8) + "\n" + markdown(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the summary to " + file, e);
    }
  }

  private static String bold(String verdict) {
    return verdict.startsWith("NOT") ? "**" + verdict + "**" : verdict;
  }

  private static String cell(String s) {
    return s.replace("|", "\\|");
  }
}
