package dev.snakebridge.codegen;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A Sphinx {@code objects.inv} (inventory version 2): the objects a project's documentation describes.
 * Immutable and thread-safe.
 *
 * @param project the project named in the header
 * @param version the documented version
 * @param entries the objects
 */
public record SphinxInventory(String project, String version, List<Entry> entries) {
  private static final Pattern LINE = Pattern.compile("(.+?)\\s+(\\S+?):(\\S+)\\s+(-?\\d+)\\s+(\\S*)\\s+(.*)");

  /**
   * One documented object.
   *
   * @param name qualified name, such as {@code torch.nn.functional.relu}
   * @param domain {@code py} for Python objects
   * @param role module, function, class, method, attribute, data, exception, …
   */
  public record Entry(String name, String domain, String role) {}

  /**
   * Reads an inventory file.
   *
   * @throws IOException when it cannot be read or is not a version 2 inventory
   */
  public static SphinxInventory read(Path file) throws IOException {
    return parse(Files.readAllBytes(file));
  }

  /**
   * Parses inventory bytes.
   *
   * @throws IOException when they are not a version 2 inventory
   */
  public static SphinxInventory parse(byte[] bytes) throws IOException {
    int pos = 0;
    String[] header = new String[4];
    for (int i = 0; i < 4; i++) {
      int end = indexOf(bytes, (byte) '\n', pos);
      if (end < 0) {
        throw new IOException("not a Sphinx inventory: header too short");
      }
      header[i] = new String(bytes, pos, end - pos, StandardCharsets.UTF_8).trim();
      pos = end + 1;
    }
    if (!header[0].equals("# Sphinx inventory version 2")) {
      throw new IOException("not a Sphinx inventory version 2 (first line: " + header[0] + ")");
    }
    Inflater inflater = new Inflater();
    inflater.setInput(bytes, pos, bytes.length - pos);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    try {
      while (!inflater.finished()) {
        int n = inflater.inflate(buf);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        out.write(buf, 0, n);
      }
    } catch (DataFormatException e) {
      throw new IOException("corrupt Sphinx inventory: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
    List<Entry> entries = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        entries.add(new Entry(m.group(1), m.group(2), m.group(3)));
      }
    }
    return new SphinxInventory(header[1].replaceFirst("^# Project:\\s*", ""),
        header[2].replaceFirst("^# Version:\\s*", ""), List.copyOf(entries));
  }

  private static int indexOf(byte[] b, byte value, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == value) {
        return i;
      }
    }
    return -1;
  }
}
