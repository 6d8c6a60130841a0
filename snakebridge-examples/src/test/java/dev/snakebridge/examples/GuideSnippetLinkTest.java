package dev.snakebridge.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/BEST_PRACTICES.md and {@link GuideSnippetsIT} show the same code, checked both ways (the convention
 * is described on {@link GuideSnippetsIT}): every block of the guide is named and has its test method and
 * its marked code, every test method of GuideSnippetsIT has its block, and each block is exactly its
 * marked code. A plain unit test: it reads files and needs no Python.
 */
class GuideSnippetLinkTest {
  private static final Path GUIDE = Path.of("../docs/BEST_PRACTICES.md");
  private static final Path TEST_SOURCES = Path.of("src/test/java/dev/snakebridge/examples");
  private static final Pattern NAME_LINE = Pattern.compile("<!-- snippet: (\\w+) -->");
  private static final Pattern MARKED = Pattern.compile(
      "^[ \\t]*// snippet: (\\w+)[ \\t]*\\n(.*?)\\n[ \\t]*// end-snippet[ \\t]*$", Pattern.DOTALL | Pattern.MULTILINE);

  @Test
  void theGuideAndItsTestsShowTheSameSnippets() throws IOException {
    List<String> problems = new ArrayList<>();
    Map<String, String> blocks = guideBlocks(problems);
    Map<String, String> marked = markedSnippets(problems);
    Set<String> tests = guideTests();

    missing("blocks of docs/BEST_PRACTICES.md without a @Test method of that name in GuideSnippetsIT",
        blocks.keySet(), tests, problems);
    missing("@Test methods of GuideSnippetsIT without a block <!-- snippet: name --> in docs/BEST_PRACTICES.md",
        tests, blocks.keySet(), problems);
    missing("blocks of docs/BEST_PRACTICES.md whose code is not between '// snippet: name' and '// end-snippet'"
        + " in " + TEST_SOURCES, blocks.keySet(), marked.keySet(), problems);
    missing("snippets marked in " + TEST_SOURCES + " that docs/BEST_PRACTICES.md does not show",
        marked.keySet(), blocks.keySet(), problems);
    blocks.forEach((name, shown) -> {
      String tested = marked.get(name);
      if (tested != null && !tested.equals(shown)) {
        problems.add("block '" + name + "' differs from the tested code at its line " + firstDifference(shown, tested)
            + ":\n--- docs/BEST_PRACTICES.md\n" + shown + "\n--- tested\n" + tested);
      }
    });

    if (!problems.isEmpty()) {
      fail("docs/BEST_PRACTICES.md and GuideSnippetsIT disagree:\n" + String.join("\n\n", problems));
    }
    assertThat(blocks).as("the guide's blocks").isNotEmpty();
  }

  /** Every fenced block of the guide, by the name on the line above it; unnamed or odd blocks are problems. */
  private static Map<String, String> guideBlocks(List<String> problems) throws IOException {
    List<String> lines = Files.readAllLines(GUIDE, StandardCharsets.UTF_8);
    Map<String, String> blocks = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      Matcher name = NAME_LINE.matcher(line.strip());
      if (name.matches() && (i + 1 >= lines.size() || !lines.get(i + 1).equals("```java"))) {
        problems.add("docs/BEST_PRACTICES.md:" + (i + 1) + ": '" + line.strip() + "' is not right above a ```java line");
      }
      if (!line.startsWith("```")) {
        continue;
      }
      int open = i;
      int close = open + 1;
      while (close < lines.size() && !lines.get(close).equals("```")) {
        close++;
      }
      i = close;
      Matcher above = NAME_LINE.matcher(open > 0 ? lines.get(open - 1).strip() : "");
      if (!line.equals("```java") || !above.matches()) {
        problems.add("docs/BEST_PRACTICES.md:" + (open + 1) + ": a code block must be ```java, right below"
            + " <!-- snippet: name --> (name: the GuideSnippetsIT test that runs it)");
        continue;
      }
      String code = String.join("\n", lines.subList(open + 1, Math.min(close, lines.size())));
      if (blocks.put(above.group(1), code) != null) {
        problems.add("docs/BEST_PRACTICES.md:" + open + ": the name '" + above.group(1) + "' is used twice");
      }
    }
    return blocks;
  }

  /** The code between {@code // snippet: name} and {@code // end-snippet} in the test sources, dedented. */
  private static Map<String, String> markedSnippets(List<String> problems) throws IOException {
    Map<String, String> snippets = new LinkedHashMap<>();
    List<Path> sources;
    try (Stream<Path> files = Files.list(TEST_SOURCES)) {
      sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    for (Path source : sources) {
      String text = Files.readString(source, StandardCharsets.UTF_8);
      Matcher m = MARKED.matcher(text);
      int marked = 0;
      while (m.find()) {
        marked++;
        if (snippets.put(m.group(1), dedent(m.group(2))) != null) {
          problems.add(source + ": the snippet name '" + m.group(1) + "' is marked twice");
        }
      }
      long starts = text.lines().filter(l -> l.strip().startsWith("// snippet: ")).count();
      if (starts != marked) {
        problems.add(source + ": " + starts + " '// snippet: name' lines but " + marked
            + " complete snippets (each needs its '// end-snippet' line, and snippets do not nest)");
      }
    }
    return snippets;
  }

  /** The names of GuideSnippetsIT's test methods, disabled ones included. */
  private static Set<String> guideTests() {
    Set<String> names = new TreeSet<>();
    for (Method method : GuideSnippetsIT.class.getDeclaredMethods()) {
      if (method.isAnnotationPresent(Test.class)) {
        names.add(method.getName());
      }
    }
    return names;
  }

  private static void missing(String what, Set<String> names, Set<String> in, List<String> problems) {
    List<String> absent = names.stream().filter(n -> !in.contains(n)).sorted().toList();
    if (!absent.isEmpty()) {
      problems.add(what + ": " + absent);
    }
  }

  private static String dedent(String block) {
    List<String> lines = block.lines().toList();
    int indent = lines.stream().filter(l -> !l.isBlank())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    return String.join("\n", lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList());
  }

  private static int firstDifference(String shown, String tested) {
    List<String> a = Arrays.asList(shown.split("\n", -1));
    List<String> b = Arrays.asList(tested.split("\n", -1));
    int i = 0;
    while (i < a.size() && i < b.size() && a.get(i).equals(b.get(i))) {
      i++;
    }
    return i + 1;
  }
}
