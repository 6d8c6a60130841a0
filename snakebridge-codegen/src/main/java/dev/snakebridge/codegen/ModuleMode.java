package dev.snakebridge.codegen;

import java.util.Locale;

/**
 * Which modules of a library the generator describes (docs/CODEGEN.md compares them).
 *
 * <ul>
 *   <li>{@link #ROOT}: the top module only.
 *   <li>{@link #EXPORTS}: the top module and every submodule named in an {@code __all__}, recursively.
 *   <li>{@link #PUBLIC}: every importable submodule with no {@code _}-prefixed part (the default); test
 *       packages and {@code setup} scripts are left out.
 *   <li>{@link #EXPLICIT}: the public modules that define {@code __all__}.
 *   <li>{@link #DOCS}: exactly the modules and names of a docs manifest.
 *   <li>{@link #ALL}: every importable submodule, private ones included.
 * </ul>
 */
public enum ModuleMode {
  ROOT, EXPORTS, PUBLIC, EXPLICIT, DOCS, ALL;

  /** The name the introspector and the plugin configuration use: {@code "public"}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a mode name, ignoring case.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static ModuleMode parse(String text) {
    for (ModuleMode m : values()) {
      if (m.id().equalsIgnoreCase(text.trim())) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown moduleMode '" + text + "'; expected root, exports, public, explicit, docs or all");
  }
}
