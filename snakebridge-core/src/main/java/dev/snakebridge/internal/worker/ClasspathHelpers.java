package dev.snakebridge.internal.worker;

import dev.snakebridge.SnakeBridgeException;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds the program's helper modules on the classpath under {@code snakebridge/helpers/} (in jars or
 * directories) and copies them to a cache directory named by their hash, which workers put on {@code
 * sys.path}. So {@code src/main/resources/snakebridge/helpers/math_ops.py} just works.
 */
public final class ClasspathHelpers {
  static final String PREFIX = "snakebridge/helpers/";

  private ClasspathHelpers() {}

  /** The directory holding the classpath helpers, or empty when there are none. */
  public static Optional<Path> unpack(Path cacheRoot) {
    try {
      Map<String, byte[]> files = collect();
      if (files.isEmpty()) {
        return Optional.empty();
      }
      Path dir = CacheDirectory.materialize(cacheRoot, "helpers", files);
      return Optional.of(dir);
    } catch (IOException | URISyntaxException e) {
      throw new SnakeBridgeException("cannot unpack helper modules from the classpath (" + PREFIX + ")", e);
    }
  }

  private static Map<String, byte[]> collect() throws IOException, URISyntaxException {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = ClasspathHelpers.class.getClassLoader();
    }
    Map<String, byte[]> files = new TreeMap<>();
    Enumeration<URL> roots = loader.getResources(PREFIX);
    while (roots.hasMoreElements()) {
      URL root = roots.nextElement();
      switch (root.getProtocol()) {
        case "file" -> collectDirectory(Path.of(root.toURI()), files);
        case "jar" -> collectJar(root, files);
        default -> {
          // Other class loaders (network, custom) cannot be listed; configure helperPaths instead.
        }
      }
    }
    return files;
  }

  private static void collectDirectory(Path root, Map<String, byte[]> files) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths.filter(Files::isRegularFile)::iterator) {
        String relative = root.relativize(p).toString().replace('\\', '/');
        if (!relative.contains("__pycache__")) {
          files.putIfAbsent(relative, Files.readAllBytes(p));
        }
      }
    }
  }

  private static void collectJar(URL root, Map<String, byte[]> files) throws IOException, URISyntaxException {
    // A jar inside a jar (a Spring Boot fat jar's BOOT-INF/lib/x.jar) without Spring Boot's URL handler
    // installed: the JDK's handler cannot open it, so it is read from the outer jar's entry.
    String spec = root.toString();
    int first = spec.indexOf("!/");
    int second = first < 0 ? -1 : spec.indexOf("!/", first + 2);
    if (spec.startsWith("jar:file:") && second > 0) {
      collectNestedJar(Path.of(new java.net.URI(spec.substring(4, first))), spec.substring(first + 2, second), files);
      return;
    }
    JarURLConnection connection = (JarURLConnection) root.openConnection();
    connection.setUseCaches(false);
    try (JarFile jar = connection.getJarFile()) {
      Enumeration<JarEntry> entries = jar.entries();
      while (entries.hasMoreElements()) {
        JarEntry entry = entries.nextElement();
        String name = entry.getName();
        if (name.startsWith(PREFIX) && !entry.isDirectory() && !name.contains("__pycache__")) {
          try (InputStream in = jar.getInputStream(entry)) {
            files.putIfAbsent(name.substring(PREFIX.length()), in.readAllBytes());
          }
        }
      }
    }
  }

  private static void collectNestedJar(Path outer, String innerEntry, Map<String, byte[]> files) throws IOException {
    try (JarFile jar = new JarFile(outer.toFile())) {
      JarEntry inner = jar.getJarEntry(innerEntry);
      if (inner == null) {
        throw new IOException("no " + innerEntry + " in " + outer);
      }
      try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(jar.getInputStream(inner))) {
        for (java.util.zip.ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
          String name = entry.getName();
          if (name.startsWith(PREFIX) && !entry.isDirectory() && !name.contains("__pycache__")) {
            files.putIfAbsent(name.substring(PREFIX.length()), zip.readAllBytes());
          }
        }
      }
    }
  }
}
