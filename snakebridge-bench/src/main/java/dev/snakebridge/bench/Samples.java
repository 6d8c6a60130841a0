package dev.snakebridge.bench;

import java.util.Arrays;
import java.util.Locale;

/** Repeated measurements of one quantity (one per round), and the formats the tables print them in. */
record Samples(double[] values) {
  Samples {
    values = values.clone();
  }

  static Samples of(double... values) {
    return new Samples(values);
  }

  double median() {
    return percentile(50);
  }

  /** The nearest-rank percentile {@code p} (0-100); NaN when empty. */
  double percentile(double p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    if (p == 50 && sorted.length % 2 == 0) {
      return (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  double min() {
    return Arrays.stream(values).min().orElse(Double.NaN);
  }

  double max() {
    return Arrays.stream(values).max().orElse(Double.NaN);
  }

  /** "min - max" of the rounds, in the format of {@link #rate}. */
  String rateRange() {
    return values.length == 0 ? "" : rate(min()) + " - " + rate(max());
  }

  /** Calls per second, e.g. "123.4 k" or "1.23 M". */
  static String rate(double perSecond) {
    if (Double.isNaN(perSecond)) {
      return "n/a";
    }
    if (perSecond >= 1e6) {
      return String.format(Locale.ROOT, "%.2f M", perSecond / 1e6);
    }
    if (perSecond >= 1e3) {
      return String.format(Locale.ROOT, "%.1f k", perSecond / 1e3);
    }
    return String.format(Locale.ROOT, "%.0f", perSecond);
  }

  static String ratio(double r) {
    return Double.isNaN(r) || Double.isInfinite(r) ? "n/a" : String.format(Locale.ROOT, "%.2f", r);
  }

  static String ms(double millis) {
    return String.format(Locale.ROOT, "%.1f ms", millis);
  }

  static String percent(double share) {
    return String.format(Locale.ROOT, "%.2f %%", 100 * share);
  }
}
