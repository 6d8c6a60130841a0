package dev.snakebridge.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomIdsTest {
  @Test
  void idsAreHexOfTheAskedLengthAndDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = RandomIds.hex(16);
      assertThat(id).hasSize(32).matches("[0-9a-f]{32}");
      assertThat(seen.add(id)).as("repeated id %s", id).isTrue();
    }
  }

  @Test
  void everyBytePositionTakesManyValues() {
    // A stuck byte (a short read left as zeros, say) would show as one value in its column.
    int[][] counts = new int[16][256];
    for (int i = 0; i < 4096; i++) {
      byte[] b = new byte[16];
      RandomIds.fill(b);
      for (int j = 0; j < b.length; j++) {
        counts[j][b[j] & 0xff]++;
      }
    }
    for (int[] column : counts) {
      int distinct = 0;
      for (int c : column) {
        distinct += c > 0 ? 1 : 0;
      }
      assertThat(distinct).isGreaterThan(200);
    }
  }
}
