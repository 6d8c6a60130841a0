package dev.snakebridge.internal.errors;

import java.math.BigDecimal;
import java.util.Locale;

/** Byte counts as numpy and torch print them ({@code "7.28 TiB"}, {@code "745. GiB"}, {@code "0 bytes"}). */
final class ByteSizes {
  /** A size and its unit, for use inside the rules' regular expressions: groups (number)(unit). */
  static final String SIZE = "(\\d+(?:\\.\\d*)?)\\s*(bytes?|B|[KMGTPE]i?B)";

  private ByteSizes() {}

  /**
   * The number of bytes {@code number unit} stands for. Every unit is a power of 1024, as numpy and torch
   * mean them: {@code KiB}/{@code KB}, {@code MiB}/{@code MB}, {@code GiB}/{@code GB}, {@code TiB}/{@code TB}
   * ({@code KB} and friends are what torch's MPS allocator printed before it switched to {@code KiB}).
   * Returns -1 for an unknown unit.
   */
  static long toBytes(String number, String unit) {
    int power = switch (unit.toUpperCase(Locale.ROOT).replace("I", "")) {
      case "B", "BYTE", "BYTES" -> 0;
      case "KB" -> 1;
      case "MB" -> 2;
      case "GB" -> 3;
      case "TB" -> 4;
      case "PB" -> 5;
      case "EB" -> 6;
      default -> -1;
    };
    if (power < 0) {
      return -1;
    }
    BigDecimal bytes = new BigDecimal(number.endsWith(".") ? number + "0" : number)
        .multiply(BigDecimal.valueOf(1024).pow(power));
    return bytes.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
  }
}
