package dev.snakebridge;

import java.util.List;
import java.util.Map;

/**
 * Python raised an exception. Carries the Python type ({@code "ValueError"}), its fully qualified name
 * ({@code "builtins.ValueError"}), its base classes, the message and the formatted Python traceback.
 *
 * <p>Switch on {@link #pythonType()} for exact types, or ask {@link #is(String)} to follow the Python
 * class hierarchy (a {@code KeyError} {@code is("LookupError")}). With {@link ErrorMode#TRANSLATED},
 * well-known ML errors arrive as the subclasses {@link ShapeMismatchException}, {@link
 * OutOfMemoryException} and {@link DtypeMismatchException}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public class PythonException extends SnakeBridgeException {
  private static final long serialVersionUID = 1L;

  private final String pythonType;
  private final String qualifiedName;
  private final List<String> bases;
  private final String pythonMessage;
  private final String traceback;
  private final transient Map<String, Object> details;

  /**
   * Creates the exception from the facts the worker reported.
   *
   * @param pythonType the class name, such as {@code "ValueError"}
   * @param qualifiedName {@code module.qualname}, such as {@code "builtins.ValueError"}
   * @param bases the qualified names of the classes after this one in its MRO
   * @param pythonMessage {@code str(exception)}
   * @param traceback the formatted traceback
   * @param details extra facts for error translation (argument shapes, dtypes); may be empty
   * @param context what was being called, such as {@code "math.sqrt"}, for the message
   */
  public PythonException(
      String pythonType,
      String qualifiedName,
      List<String> bases,
      String pythonMessage,
      String traceback,
      Map<String, Object> details,
      String context) {
    super(formatMessage(pythonType, pythonMessage, context));
    this.pythonType = pythonType;
    this.qualifiedName = qualifiedName;
    this.bases = List.copyOf(bases);
    this.pythonMessage = pythonMessage;
    this.traceback = traceback;
    this.details = Map.copyOf(details);
  }

  /** Copies {@code other}, for the translated subclasses. */
  protected PythonException(PythonException other) {
    super(other.getMessage(), other.getCause());
    this.pythonType = other.pythonType;
    this.qualifiedName = other.qualifiedName;
    this.bases = other.bases;
    this.pythonMessage = other.pythonMessage;
    this.traceback = other.traceback;
    this.details = other.details;
  }

  private static String formatMessage(String type, String message, String context) {
    String text = message == null || message.isEmpty() ? type : type + ": " + message;
    return context == null ? text : text + " (in " + context + ")";
  }

  /** The Python class name, such as {@code "ValueError"} or {@code "ModuleNotFoundError"}. */
  public String pythonType() {
    return pythonType;
  }

  /** The Python class as {@code module.qualname}, such as {@code "builtins.ValueError"}. */
  public String qualifiedName() {
    return qualifiedName;
  }

  /** The qualified names of the class's MRO after the class itself, nearest first. */
  public List<String> bases() {
    return bases;
  }

  /** The Python message, {@code str(exception)}, without the type. */
  public String pythonMessage() {
    return pythonMessage;
  }

  /** The formatted Python traceback, starting {@code "Traceback (most recent call last):"}. */
  public String traceback() {
    return traceback;
  }

  /**
   * Whether the Python exception is an instance of the named class, following the hierarchy as
   * Python's {@code isinstance} would. Accepts simple ({@code "LookupError"}) or qualified ({@code
   * "builtins.LookupError"}) names.
   */
  public boolean is(String pythonTypeName) {
    if (matches(qualifiedName, pythonTypeName)) {
      return true;
    }
    for (String base : bases) {
      if (matches(base, pythonTypeName)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(String qualified, String name) {
    if (qualified.equals(name)) {
      return true;
    }
    return qualified.endsWith("." + name) && !name.contains(".");
  }

  /**
   * Extra facts the worker reported: {@code arg_shapes} (the shapes of the call's array arguments, as
   * lists of numbers) and {@code arg_dtypes}; empty when none applied.
   */
  public Map<String, Object> details() {
    return details;
  }
}
