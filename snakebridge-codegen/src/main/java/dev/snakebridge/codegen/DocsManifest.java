package dev.snakebridge.codegen;

import dev.snakebridge.internal.codegen.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The modules and names that {@link ModuleMode#DOCS} generates: made from a library's Sphinx inventory
 * (what its documentation describes) or from its public module list, then reviewed and committed.
 *
 * <pre>{@code
 * {"format": "snakebridge-docs-manifest", "formatVersion": 1, "library": "torch",
 *  "source": "objects.inv of PyTorch 2.0",
 *  "modules": {"torch": ["abs", "tensor", "Tensor"], "torch.nn": ["*"]}}
 * }</pre>
 *
 * {@code "*"} stands for every public member. Immutable and thread-safe.
 *
 * @param library the top-level module
 * @param source where the list came from
 * @param modules module name to member names (or {@code ["*"]})
 */
public record DocsManifest(String library, String source, Map<String, List<String>> modules) {
  private static final Set<String> MEMBER_ROLES = Set.of("function", "class", "data", "exception", "attribute");

  /** Builds a manifest from an inventory: its modules, and the functions, classes and data under each. */
  public static DocsManifest fromInventory(String library, SphinxInventory inventory) {
    TreeSet<String> modules = new TreeSet<>();
    for (SphinxInventory.Entry e : inventory.entries()) {
      if (e.domain().equals("py") && e.role().equals("module") && inLibrary(library, e.name())) {
        modules.add(e.name());
      }
    }
    TreeMap<String, TreeSet<String>> members = new TreeMap<>();
    for (String m : modules) {
      members.put(m, new TreeSet<>());
    }
    for (SphinxInventory.Entry e : inventory.entries()) {
      if (!e.domain().equals("py") || !MEMBER_ROLES.contains(e.role()) || !inLibrary(library, e.name())) {
        continue;
      }
      String owner = modules.floor(e.name());
      // the longest documented module that is a prefix of the name
      String best = null;
      for (String m = owner; m != null; m = modules.lower(m)) {
        if (e.name().startsWith(m + ".")) {
          best = m;
          break;
        }
        if (!e.name().startsWith(m.substring(0, Math.min(m.length(), library.length())))) {
          break;
        }
      }
      if (best == null) {
        best = e.name().substring(0, e.name().lastIndexOf('.'));
        members.computeIfAbsent(best, k -> new TreeSet<>());
      }
      String rest = e.name().substring(best.length() + 1);
      if (!rest.contains(".")) {
        members.get(best).add(rest);
      }
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    members.forEach((m, names) -> out.put(m, names.isEmpty() ? List.of("*") : List.copyOf(names)));
    return new DocsManifest(library, "objects.inv of " + inventory.project() + " " + inventory.version(), out);
  }

  /** Builds a manifest of every public module, all members ({@code "*"}): the introspector's module list. */
  public static DocsManifest fromPublicModules(String library, Map<String, Object> answer) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Object m : (List<?>) answer.getOrDefault("modules", List.of())) {
      out.put(String.valueOf(m), List.of("*"));
    }
    return new DocsManifest(library, "public modules of " + library + " " + answer.get("version"), out);
  }

  private static boolean inLibrary(String library, String name) {
    return name.equals(library) || name.startsWith(library + ".");
  }

  /**
   * Reads a manifest file.
   *
   * @throws IOException when it cannot be read
   * @throws IllegalArgumentException when it is not a docs manifest
   */
  @SuppressWarnings("unchecked")
  public static DocsManifest read(Path file) throws IOException {
    Map<String, Object> m = (Map<String, Object>) Json.parse(Files.readString(file, StandardCharsets.UTF_8));
    if (!"snakebridge-docs-manifest".equals(m.get("format"))) {
      throw new IllegalArgumentException(file + " is not a SnakeBridge docs manifest");
    }
    Map<String, List<String>> modules = new LinkedHashMap<>();
    ((Map<String, Object>) m.get("modules")).forEach((k, v) -> {
      List<String> names = new ArrayList<>();
      if (v instanceof List<?> l) {
        l.forEach(x -> names.add(String.valueOf(x)));
      } else {
        names.add(String.valueOf(v));
      }
      modules.put(k, List.copyOf(names));
    });
    return new DocsManifest(String.valueOf(m.get("library")), String.valueOf(m.get("source")), modules);
  }

  /** The manifest as JSON, for review and commit. */
  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", "snakebridge-docs-manifest");
    m.put("formatVersion", 1L);
    m.put("library", library);
    m.put("source", source);
    m.put("modules", new LinkedHashMap<>(modules));
    return Json.write(m);
  }
}
