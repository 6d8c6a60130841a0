package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snakebridge.internal.config.PoolOptions;
import dev.snakebridge.internal.config.RuntimeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The property tables in docs/GUIDE.md are the option tables printed, so a property, its default and its
 * documentation cannot drift apart. After changing an option, regenerate them with {@code ./mvnw -pl
 * snakebridge-core test -Dtest=SnakeBridgeConfigDocsTest -Dsnakebridge.docs.update=true}.
 */
class SnakeBridgeConfigDocsTest {
  private static final Path GUIDE = Path.of("..", "docs", "GUIDE.md");
  private static final String BEGIN = "<!-- configuration properties: generated from RuntimeOptions and PoolOptions -->";
  private static final String END = "<!-- end of configuration properties -->";

  @Test
  void guideListsEveryPropertyAsTheTablesSay() throws IOException {
    String guide = Files.readString(GUIDE);
    int begin = guide.indexOf(BEGIN);
    int end = guide.indexOf(END);
    assertThat(begin).as("docs/GUIDE.md has the marker " + BEGIN).isNotNegative();
    assertThat(end).as("docs/GUIDE.md has the marker " + END).isGreaterThan(begin);
    String documented = guide.substring(begin + BEGIN.length(), end);
    // Blank lines around the tables, so that Markdown does not read them as part of the comments' HTML blocks.
    String generated = "\n\n" + String.join("\n", generated()) + "\n\n";
    if (Boolean.getBoolean("snakebridge.docs.update") && !documented.equals(generated)) {
      Files.writeString(GUIDE, guide.substring(0, begin + BEGIN.length()) + generated + guide.substring(end));
      return;
    }
    assertThat(documented)
        .as("docs/GUIDE.md's property tables differ from the option tables; regenerate them with "
            + "./mvnw -pl snakebridge-core test -Dtest=SnakeBridgeConfigDocsTest -Dsnakebridge.docs.update=true")
        .isEqualTo(generated);
  }

  private static List<String> generated() {
    List<String> lines = new ArrayList<>();
    lines.add("| Property | Type | Default | Meaning |");
    lines.add("| --- | --- | --- | --- |");
    lines.addAll(RuntimeOptions.TABLE.markdownRows());
    lines.add("");
    lines.add("Pool options, for the pool `<name>` (`default` included):");
    lines.add("");
    lines.add("| Property | Type | Default | Meaning |");
    lines.add("| --- | --- | --- | --- |");
    lines.addAll(PoolOptions.TABLE.markdownRows());
    return lines;
  }
}
