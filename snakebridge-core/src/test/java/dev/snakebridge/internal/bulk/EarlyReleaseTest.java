package dev.snakebridge.internal.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EarlyReleaseTest {
  @Test
  void anActionRunsOnceThroughItsHolderOrAnyAlias() {
    AtomicInteger runs = new AtomicInteger();
    ByteBuffer view = ByteBuffer.allocateDirect(16);
    EarlyRelease.register(view, runs::incrementAndGet);
    ByteBuffer slice = view.slice();
    EarlyRelease.alias(view, slice);
    EarlyRelease.run(slice);
    EarlyRelease.run(slice);
    assertThat(runs).hasValue(1);
    EarlyRelease.run(view); // the holder's own entry: the action itself guards against a second run
    assertThat(runs).hasValue(2);
  }

  @Test
  void holdersAreComparedByIdentityNotContent() {
    AtomicInteger runs = new AtomicInteger();
    ByteBuffer a = ByteBuffer.allocate(8);
    ByteBuffer b = ByteBuffer.allocate(8); // equal to a (same bytes), but another buffer
    EarlyRelease.register(a, runs::incrementAndGet);
    EarlyRelease.run(b);
    EarlyRelease.alias(b, ByteBuffer.allocate(8));
    assertThat(runs).hasValue(0);
    EarlyRelease.run(a);
    assertThat(runs).hasValue(1);
  }

  @Test
  void unknownHoldersAreIgnoredAndDeadHoldersAreForgotten() throws InterruptedException {
    EarlyRelease.run(new Object());
    int before = EarlyRelease.size();
    for (int i = 0; i < 1000; i++) {
      EarlyRelease.register(new Object(), () -> { });
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (EarlyRelease.size() > before + 10 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }
    assertThat(EarlyRelease.size()).isLessThanOrEqualTo(before + 10);
  }
}
