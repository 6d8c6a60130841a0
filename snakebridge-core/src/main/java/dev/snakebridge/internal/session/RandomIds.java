package dev.snakebridge.internal.session;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Unguessable bytes for the names others must not guess: session ids, ring and buffer file names.
 *
 * <p>Read from the kernel's {@code /dev/urandom}, the source the JDK's default generator draws on here
 * too: a fresh JVM's first {@code SecureRandom} loads and initialises the security providers, tens of
 * milliseconds on the first call's path, where one read of the device costs microseconds. Where the
 * device cannot be read, {@link SecureRandom} takes over. Thread-safe.
 */
public final class RandomIds {
  private static final String DEVICE = "/dev/urandom";
  private static final Object LOCK = new Object();
  private static InputStream device; // guarded by LOCK; opened on first use, never closed
  private static SecureRandom fallback; // guarded by LOCK; only where the device cannot be read

  private RandomIds() {}

  /** {@code bytes} random bytes in lower-case hex, {@code 2 * bytes} characters. */
  public static String hex(int bytes) {
    byte[] random = new byte[bytes];
    fill(random);
    return HexFormat.of().formatHex(random);
  }

  /** Fills {@code into} with random bytes. */
  public static void fill(byte[] into) {
    synchronized (LOCK) {
      if (fallback == null && readDevice(into)) {
        return;
      }
      if (fallback == null) {
        fallback = new SecureRandom();
      }
      fallback.nextBytes(into);
    }
  }

  /** Under the lock. */
  private static boolean readDevice(byte[] into) {
    try {
      if (device == null) {
        device = new FileInputStream(DEVICE);
      }
      return device.readNBytes(into, 0, into.length) == into.length;
    } catch (IOException | SecurityException e) {
      return false;
    }
  }
}
