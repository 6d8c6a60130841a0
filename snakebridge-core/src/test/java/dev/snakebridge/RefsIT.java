package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Refs to live Python objects: use, release by hand and by GC, use after release. */
class RefsIT {
  static SnakeBridgeRuntime py;

  @BeforeAll
  static void start() {
    py = Workers.start(1);
  }

  @AfterAll
  static void stop() {
    py.close();
  }

  private static long liveObjects() {
    return (Long) py.callHelper("sb_test_helpers.live_objects");
  }

  @Test
  void refsCallMethodsReadAndWriteAttributes() {
    PyRef box = (PyRef) py.call("sb_test_helpers", "Box", 10);
    assertThat(box.typeName()).isEqualTo("sb_test_helpers.Box");
    assertThat(box.call("get")).isEqualTo(10L);
    assertThat(box.attr("value")).isEqualTo(10L);
    box.setAttr("value", 11);
    assertThat(py.attr(box, "value")).isEqualTo(11L);
    assertThat(py.method(box, "get")).isEqualTo(11L);
    assertThat(box.invoke(1)).isEqualTo(12L);
    assertThat(box.repr()).isEqualTo("Box(11)");
    assertThat(box.str()).isEqualTo("Box(11)");
    assertThat(box.len()).isEqualTo(3);
    assertThat(py.callHelper("sb_test_helpers.identity", box)).isInstanceOf(PyRef.class);
    assertThat(py.callHelper("sb_test_helpers.type_name", box)).isEqualTo("sb_test_helpers.Box");
  }

  @Test
  void toStringMakesNoRemoteCall() {
    PyRef box = (PyRef) py.call("sb_test_helpers", "Box", "x");
    String shown = box.toString();
    assertThat(shown).contains("sb_test_helpers.Box").contains(box.id()).contains("Box('x')");
    box.setAttr("value", "changed");
    assertThat(box.toString()).isEqualTo(shown);
    assertThat(box.sessionId()).startsWith("auto_").isEqualTo(py.currentSession());
  }

  @Test
  void usingAReleasedRefThrowsNamingIt() {
    PyRef box = (PyRef) py.call("sb_test_helpers", "Box", 1);
    py.releaseRef(box);
    assertThat(box.isReleased()).isTrue();
    assertThatThrownBy(() -> box.call("get"))
        .isInstanceOf(RefNotFoundException.class)
        .hasMessageContaining(box.id())
        .hasMessageContaining("released");
    assertThatThrownBy(() -> py.call("builtins", "repr", List.of(box))).isInstanceOf(RefNotFoundException.class);
    box.release();
  }

  @Test
  void manualReleaseFreesThePythonObject() {
    long before = liveObjects();
    PyRef box = (PyRef) py.call("sb_test_helpers", "Box", 1);
    assertThat(liveObjects()).isEqualTo(before + 1);
    box.release();
    assertThat(liveObjects()).isEqualTo(before);
  }

  @Test
  void unreachableRefsAreReleasedByTheGarbageCollector() throws InterruptedException {
    long before = liveObjects();
    for (int i = 0; i < 200; i++) {
      py.call("sb_test_helpers", "Box", i);
    }
    assertThat(liveObjects()).isGreaterThanOrEqualTo(before + 1);
    long deadline = System.currentTimeMillis() + 10_000;
    // Refs other tests dropped may be collected too, so the count can end below the start.
    while (liveObjects() > before && System.currentTimeMillis() < deadline) {
      System.gc();
      Thread.sleep(50);
    }
    assertThat(liveObjects()).isLessThanOrEqualTo(before);
  }

  @Test
  void eachReturnIsItsOwnHandle() {
    PyRef box = (PyRef) py.call("sb_test_helpers", "Box", 5);
    PyRef same = (PyRef) py.callHelper("sb_test_helpers.identity", box);
    assertThat(same.id()).isNotEqualTo(box.id());
    box.release();
    assertThat(same.call("get")).isEqualTo(5L);
  }
}
