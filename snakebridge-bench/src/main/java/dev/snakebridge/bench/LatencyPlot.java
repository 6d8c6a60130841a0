package dev.snakebridge.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.openjdk.jmh.util.Statistics;

/**
 * Draws the latency percentiles of the table's rows as a PNG: one line per row, percentiles 50 to
 * 99.99 on the x axis (spaced as -log10 of the tail, so each "nine" gets the same width), microseconds
 * on a log10 y axis. Plain AWT, headless; nothing beyond the JDK.
 */
final class LatencyPlot {
  static final double[] PERCENTILES = {50, 75, 90, 95, 99, 99.9, 99.99};
  private static final int WIDTH = 900;
  private static final int HEIGHT = 540;
  private static final int LEFT = 80;
  private static final int RIGHT = 190;
  private static final int TOP = 50;
  private static final int BOTTOM = 60;
  private static final Color[] COLORS = {
      new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
      new Color(0x9467bd), new Color(0x8c564b)};

  private LatencyPlot() {}

  static void write(Path file, String title, Map<String, Statistics> rows) throws IOException {
    System.setProperty("java.awt.headless", "true");
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (Statistics s : rows.values()) {
      for (double p : PERCENTILES) {
        double v = s.getPercentile(p);
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    double yMin = Math.floor(Math.log10(Math.max(lo, 0.01)));
    double yMax = Math.ceil(Math.log10(Math.max(hi, 0.1)));
    if (yMax <= yMin) {
      yMax = yMin + 1;
    }

    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    // y grid: decades
    for (int d = (int) yMin; d <= (int) yMax; d++) {
      int y = TOP + (int) Math.round(plotH * (yMax - d) / (yMax - yMin));
      g.setColor(new Color(0xdddddd));
      g.drawLine(LEFT, y, LEFT + plotW, y);
      g.setColor(Color.DARK_GRAY);
      String label = d >= 0 ? String.format(Locale.ROOT, "%.0f", Math.pow(10, d))
          : String.format(Locale.ROOT, "%." + (-d) + "f", Math.pow(10, d));
      g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 4);
    }
    // x grid: percentiles
    for (double p : PERCENTILES) {
      int x = x(p, plotW);
      g.setColor(new Color(0xeeeeee));
      g.drawLine(x, TOP, x, TOP + plotH);
      g.setColor(Color.DARK_GRAY);
      String label = "p" + (p == Math.rint(p) ? String.format(Locale.ROOT, "%.0f", p) : String.valueOf(p));
      g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, TOP + plotH + 18);
    }
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, TOP, plotW, plotH);
    g.drawString("percentile", LEFT + plotW / 2 - 25, HEIGHT - 18);
    g.drawString("µs (log scale)", 8, TOP - 12);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title, LEFT, 24);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

    int i = 0;
    for (Map.Entry<String, Statistics> e : rows.entrySet()) {
      Color color = COLORS[i % COLORS.length];
      g.setColor(color);
      g.setStroke(new BasicStroke(2.2f));
      int px = -1;
      int py = -1;
      for (double p : PERCENTILES) {
        double v = Math.max(e.getValue().getPercentile(p), Math.pow(10, yMin));
        int x = x(p, plotW);
        int y = TOP + (int) Math.round(plotH * (yMax - Math.log10(v)) / (yMax - yMin));
        g.fillOval(x - 3, y - 3, 7, 7);
        if (px >= 0) {
          g.drawLine(px, py, x, y);
        }
        px = x;
        py = y;
      }
      int ly = TOP + 16 + 20 * i;
      g.drawLine(LEFT + plotW + 14, ly - 4, LEFT + plotW + 34, ly - 4);
      g.setColor(Color.BLACK);
      g.drawString(String.format(Locale.ROOT, "%s (p50 %.1f)", e.getKey(), e.getValue().getPercentile(50)),
          LEFT + plotW + 40, ly);
      i++;
    }
    g.dispose();
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    ImageIO.write(image, "png", file.toFile());
  }

  /** x of a percentile: -log10(1 - p/100), so p50 → 0.3, p99 → 2, p99.99 → 4. */
  private static int x(double percentile, int plotW) {
    double first = -Math.log10(1 - PERCENTILES[0] / 100);
    double last = -Math.log10(1 - PERCENTILES[PERCENTILES.length - 1] / 100);
    double v = -Math.log10(1 - percentile / 100);
    return LEFT + 20 + (int) Math.round((plotW - 40) * (v - first) / (last - first));
  }
}
