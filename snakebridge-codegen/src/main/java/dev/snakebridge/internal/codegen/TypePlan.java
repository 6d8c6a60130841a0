package dev.snakebridge.internal.codegen;

import dev.snakebridge.codegen.ApiModel.ClassInfo;
import dev.snakebridge.codegen.ApiModel.ModuleInfo;
import java.util.List;

/**
 * One Java type to generate: the class of a Python module or the wrapper of a Python class, with the Java
 * names of its members already decided.
 *
 * @param packageName Java package
 * @param simpleName Java simple name
 * @param module the module, for a module class
 * @param pythonClass the class, for a wrapper
 * @param members members in Python-name order
 */
public record TypePlan(
    String packageName, String simpleName, ModuleInfo module, ClassInfo pythonClass, List<MemberPlan> members) {

  /** The fully qualified Java name. */
  public String fqn() {
    return packageName + "." + simpleName;
  }

  /** Whether this is the class of a module (static members) rather than a wrapper. */
  public boolean isModule() {
    return module != null;
  }

  /** The Python name: the module's, or the class key ({@code module.qualname}). */
  public String pythonName() {
    return module != null ? module.name() : pythonClass.key();
  }

  /** A plan rebuilt from a manifest entry (strict mode), with the members it lists. */
  public static TypePlan stub(String fqn, String python, boolean isModule, List<MemberPlan> members) {
    int dot = fqn.lastIndexOf('.');
    if (isModule) {
      return new TypePlan(fqn.substring(0, dot), fqn.substring(dot + 1),
          new ModuleInfo(python, null, false, List.of(), List.of(), List.of()), null, List.copyOf(members));
    }
    int pyDot = python.lastIndexOf('.');
    ClassInfo c = new ClassInfo(python, python.substring(0, Math.max(0, pyDot)), python.substring(pyDot + 1),
        null, null, List.of(), false, false, false, null, List.of(), List.of(), java.util.Set.of(), null);
    return new TypePlan(fqn.substring(0, dot), fqn.substring(dot + 1), null, c, List.copyOf(members));
  }

  /** This plan with other members (used mode keeps a subset). */
  public TypePlan withMembers(List<MemberPlan> kept) {
    return new TypePlan(packageName, simpleName, module, pythonClass, List.copyOf(kept));
  }

  /**
   * One member.
   *
   * @param javaName the Java method name
   * @param pythonName the Python attribute name
   * @param kind what it is
   * @param ref key into the model's callables (functions, methods, properties), else null
   * @param writable for properties: whether a setter is generated
   * @param constantType for constants: bool, int, float, str, none or object
   * @param returns for properties: the return annotation, else null
   */
  public record MemberPlan(
      String javaName, String pythonName, Kind kind, String ref, boolean writable, String constantType,
      String returns) {}

  /** What a member is. */
  public enum Kind {
    FUNCTION, CONSTANT, METHOD, STATIC_METHOD, CLASS_METHOD, PROPERTY
  }
}
