package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Helper modules under {@code snakebridge/helpers/} are found in a jar on the classpath, and in a jar
 * inside a jar as a Spring Boot fat jar has them ({@code BOOT-INF/lib/helpers.jar}), also when no Spring
 * Boot URL handler is installed.
 */
class JarHelpersIT {
  @TempDir
  Path dir;

  @Test
  void helpersInAJarOnTheClasspath() throws Exception {
    Path jar = dir.resolve("helpers.jar");
    Files.write(jar, jarWith("snakebridge/helpers/jar_helper_plain.py", "def answer():\n    return 'from a jar'\n"));
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
      assertThat(callWith(loader, "jar_helper_plain.answer")).isEqualTo("from a jar");
    }
  }

  @Test
  void helpersInANestedJarOfASpringBootStyleFatJar() throws Exception {
    byte[] inner = jarWith("snakebridge/helpers/jar_helper_nested.py", "def answer():\n    return 'from a nested jar'\n");
    Path fat = dir.resolve("app.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(fat))) {
      out.putNextEntry(new JarEntry("BOOT-INF/lib/helpers.jar"));
      out.write(inner);
      out.closeEntry();
    }
    URL nested = java.net.URI.create("jar:" + fat.toUri() + "!/BOOT-INF/lib/helpers.jar!/snakebridge/helpers/").toURL();
    // What Spring Boot's launcher class loader answers for the helpers' directory.
    ClassLoader bootLike = new ClassLoader(getClass().getClassLoader()) {
      @Override
      public Enumeration<URL> getResources(String name) throws IOException {
        if (name.equals("snakebridge/helpers/")) {
          List<URL> urls = new java.util.ArrayList<>(Collections.list(super.getResources(name)));
          urls.add(nested);
          return Collections.enumeration(urls);
        }
        return super.getResources(name);
      }
    };
    assertThat(callWith(bootLike, "jar_helper_nested.answer")).isEqualTo("from a nested jar");
  }

  private static Object callWith(ClassLoader loader, String helper) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try (SnakeBridgeRuntime py = Workers.start(1)) {
      return py.callHelper(helper);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private static byte[] jarWith(String name, String content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream out = new JarOutputStream(bytes)) {
      // Directory entries, as Maven's jar plugin writes them: the class loader finds the helpers by them.
      out.putNextEntry(new JarEntry("snakebridge/"));
      out.closeEntry();
      out.putNextEntry(new JarEntry("snakebridge/helpers/"));
      out.closeEntry();
      out.putNextEntry(new JarEntry(name));
      out.write(content.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return bytes.toByteArray();
  }
}
