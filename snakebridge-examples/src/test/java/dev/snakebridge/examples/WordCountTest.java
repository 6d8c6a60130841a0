package dev.snakebridge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.snakebridge.PyRef;
import dev.snakebridge.SnakeBridge;
import dev.snakebridge.junit.SnakeBridgeTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The test class that docs/BEST_PRACTICES.md ("Testing") shows. {@link GuideSnippetsIT#testing()} runs it
 * through the JUnit test kit; on its own it is skipped ({@link GuideSnippetsIT.RunByGuideTest}).
 */
@GuideSnippetsIT.RunByGuideTest
// snippet: testing
@SnakeBridgeTest
class WordCountTest {
  static PyRef words;

  @BeforeAll
  static void compile() {                          // the class's session: kept for every test
    words = (PyRef) SnakeBridge.call("re", "compile", "\\w+");
  }

  @Test
  void findsTheFirstWord() {
    PyRef match = (PyRef) words.call("search", "  hello world");
    assertEquals("hello", match.call("group"));
    match.release();                               // without it: "1 Python ref was still live in the test's session…"
  }
}
// end-snippet
