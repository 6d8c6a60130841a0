package dev.snakebridge.internal.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.snakebridge.codegen.ApiModel.CallableInfo;
import dev.snakebridge.codegen.ApiModel.DocInfo;
import dev.snakebridge.codegen.ApiModel.DocItem;
import dev.snakebridge.codegen.ApiModel.ParamInfo;
import dev.snakebridge.codegen.ApiModel.SignatureInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.lang.model.element.Modifier;

/**
 * Writes the Java methods of one Python callable: required parameters as Java parameters, the first
 * optional positional parameters as extra overloads, and every optional or keyword argument through a
 * per-function options builder ({@code SumOptions}); {@code *args} becomes Java varargs. Not thread-safe:
 * one instance per generated type.
 */
final class CallEmitter {
  static final ClassName SNAKEBRIDGE = ClassName.get("dev.snakebridge", "SnakeBridge");
  static final ClassName KWARGS = ClassName.get("dev.snakebridge", "Kwargs");
  static final ClassName PYREF = ClassName.get("dev.snakebridge", "PyRef");
  private static final TypeName BYTES = com.palantir.javapoet.ArrayTypeName.of(TypeName.BYTE);
  static final ClassName PYCALLER = ClassName.get("dev.snakebridge.wrappers", "PyCaller");
  /** The name of a view's {@link #PYCALLER} field. */
  static final String CALLER = "caller";
  // Parameters must not shadow the names the generated bodies use.
  private static final Set<String> PARAM_RESERVED = Set.of("options", "varargs", "consumer", "PyInterop",
      "SnakeBridge", "Kwargs", "PyObject", "PyRef", "PyCaller", CALLER);
  private static final Set<String> OPTION_RESERVED = Set.of("kwarg", "toKwargs", "equals", "hashCode", "toString",
      "getClass", "notify", "notifyAll", "wait", "clone", "finalize");

  private final ClassName enclosing;
  private final ClassName interop;
  private final int positionalOverloads;
  private final Function<String, ClassName> wrapperOf;
  private final ClassName selfWrapper;
  private final Set<String> nestedNames = new HashSet<>();

  /**
   * An emitter for one generated type.
   *
   * @param selfWrapper the wrapper of the class being generated (results of "same type as caller"), else null
   */
  CallEmitter(ClassName enclosing, ClassName interop, int positionalOverloads, Function<String, ClassName> wrapperOf,
      ClassName selfWrapper) {
    this.enclosing = enclosing;
    this.selfWrapper = selfWrapper;
    this.interop = interop;
    this.positionalOverloads = positionalOverloads;
    this.wrapperOf = wrapperOf;
    nestedNames.add(enclosing.simpleName());
    nestedNames.add("View");
  }

  /** How the generated body reaches the Python callable. */
  sealed interface Target permits ModuleTarget, RefTarget {}

  /** {@code SnakeBridge.call(module, attribute, ...)}; attribute may be dotted ({@code Class.method}). */
  record ModuleTarget(String module, String attribute) implements Target {}

  /** {@code ref().call(name, ...)} on the wrapped object. */
  record RefTarget(String name) implements Target {}

  /** What a method returns: a wrapper class, a simple type, or Object. */
  record Returns(TypeName type, String converter, ClassName wrapper) {
    boolean isVoid() {
      return type.equals(TypeName.VOID);
    }
  }

  private record Param(ParamInfo info, String javaName, TypeName type) {}

  /**
   * Decides the result type: a wrapper when the return annotation, or else the single numpydoc return type,
   * names a generated class (or says "same type as caller" in a class); else a simple type from the
   * annotation or an exact numpydoc type; else {@code Object}. A documented return whose description says
   * a scalar may come back instead is uncertain, so it stays {@code Object}.
   */
  Returns returns(CallableInfo callable, ClassName forcedWrapper) {
    if (forcedWrapper != null) {
      return new Returns(forcedWrapper, null, forcedWrapper);
    }
    SignatureInfo sig = callable.signature();
    String annotation = sig == null ? null : sig.returns();
    ClassName wrapper = TypeMapper.isSelf(annotation) ? selfWrapper : TypeMapper.wrapperResult(annotation, wrapperOf);
    // An annotation that maps to nothing (a TypeVar such as pandas' NDFrameT) leaves the docstring to decide.
    boolean unmapped = annotation == null || wrapper == null && TypeMapper.simple(annotation) == null;
    if (wrapper == null && unmapped && callable.doc() != null && callable.doc().returns().size() == 1) {
      DocItem item = callable.doc().returns().get(0);
      wrapper = TypeMapper.isSameTypeAsCaller(item.type()) ? selfWrapper
          : TypeMapper.wrapperFromDoc(item.type(), item.description(), wrapperOf);
    }
    if (wrapper != null) {
      return new Returns(wrapper, null, wrapper);
    }
    TypeMapper.Simple simple = TypeMapper.simple(annotation);
    if (simple == null) {
      simple = TypeMapper.fromDoc(Javadocs.returnType(callable.doc()));
      if (simple == TypeMapper.Simple.NONE) {
        simple = null;
      }
    }
    return new Returns(TypeMapper.result(simple), TypeMapper.converter(simple), null);
  }

  /**
   * Adds the overloads (and the options class, if any) of one callable to {@code type}; a static callable
   * also gets the same overloads as instance methods of {@code view} (when not null), which call through
   * the view's {@code PyCaller} rather than the default runtime.
   *
   * @param javaName the method name
   * @param dotted the Python name shown in Javadoc
   * @param isStatic static (module functions, constructors, static methods) or instance
   */
  void emit(TypeSpec.Builder type, TypeSpec.Builder view, String javaName, String dotted, CallableInfo callable,
      Target target, Returns returns, boolean isStatic, String fallbackDoc) {
    List<ParamInfo> params = callable.signature() == null ? List.of() : callable.signature().params();
    DocInfo doc = callable.doc();
    Set<String> names = new HashSet<>(PARAM_RESERVED);
    List<Param> posRequired = new ArrayList<>();
    List<Param> posOptional = new ArrayList<>();
    List<Param> kwRequired = new ArrayList<>();
    List<Param> keywordOptional = new ArrayList<>();
    boolean varPositional = false;
    boolean varKeyword = false;
    boolean sawOptional = false;
    for (ParamInfo p : params) {
      switch (p.kind()) {
        case "var_positional" -> varPositional = true;
        case "var_keyword" -> varKeyword = true;
        case "keyword_only" -> {
          Param param = param(p, doc, names);
          (p.optional() ? keywordOptional : kwRequired).add(param);
        }
        default -> {
          Param param = param(p, doc, names);
          if (p.optional() || sawOptional) {
            sawOptional = true;
            posOptional.add(param);
            if (!"positional_only".equals(p.kind())) {
              keywordOptional.add(param);
            }
          } else {
            posRequired.add(param);
          }
        }
      }
    }
    List<String> pySig = pythonSignature(params);
    String body = Javadocs.body(doc, fallbackDoc) + "\n\n<p>Python: " + Javadocs.signature(dotted, pySig) + "."
        + Javadocs.raises(doc);

    ClassName options = !keywordOptional.isEmpty() || varKeyword ? nested(javaName) : null;
    if (options != null) {
      type.addType(optionsClass(options, keywordOptional, varKeyword, doc, dotted, "{@link #" + javaName + "}"));
    }
    Overloads o = new Overloads(javaName, dotted, pySig, body, posRequired, posOptional, kwRequired, varPositional,
        options, target, returns, doc, varName(params, "var_positional"));
    overloads(type, o, isStatic, isStatic ? CodeBlock.of("$T.defaults()", PYCALLER) : null, null);
    if (view != null && isStatic) {
      overloads(view, o, false, CodeBlock.of("$L", CALLER), enclosing);
    }
  }

  private record Overloads(String javaName, String dotted, List<String> pySig, String body, List<Param> posRequired,
      List<Param> posOptional, List<Param> kwRequired, boolean varPositional, ClassName options, Target target,
      Returns returns, DocInfo doc, String varName) {}

  /**
   * The overloads of one callable into {@code into}; {@code viewOf} (not null for a view) makes the Javadoc
   * a pointer to the static method of that class.
   */
  private void overloads(TypeSpec.Builder into, Overloads o, boolean isStatic, CodeBlock caller, ClassName viewOf) {
    String javaName = o.javaName();
    String link = viewOf == null ? "{@link #" + javaName + "}" : "{@link " + viewOf.simpleName() + "#" + javaName + "}";
    String viewDoc = viewOf == null ? null : "Like " + link + ", called through this view's runtime, session and options.\n";
    List<Param> posRequired = o.posRequired();
    List<Param> kwRequired = o.kwRequired();
    Returns returns = o.returns();
    DocInfo doc = viewOf == null ? o.doc() : null;

    // 1. required parameters (and *args)
    MethodSpec.Builder base = method(javaName, isStatic, returns);
    base.addJavadoc("$L\n", viewDoc != null ? viewDoc : o.body());
    List<Param> fixed = new ArrayList<>(posRequired);
    addParams(base, fixed, doc, viewOf == null);
    addParams(base, kwRequired, doc, viewOf == null);
    if (o.varPositional()) {
      base.addParameter(ParameterSpec.builder(Object[].class, "varargs").build()).varargs(true);
      if (viewOf == null) {
        base.addJavadoc("@param varargs further positional arguments ({@code *$L})\n", o.varName());
      }
    }
    if (viewOf == null) {
      returnsDoc(base, returns, doc);
    }
    base.addCode(invoke(o.target(), caller, returns, fixed, kwRequired, null, o.varPositional()));
    into.addMethod(base.build());

    // 2. optional positional parameters, first few
    if (!o.varPositional()) {
      for (int k = 1; k <= Math.min(positionalOverloads, o.posOptional().size()); k++) {
        List<Param> pos = new ArrayList<>(posRequired);
        pos.addAll(o.posOptional().subList(0, k));
        MethodSpec.Builder m = method(javaName, isStatic, returns);
        if (viewOf == null) {
          m.addJavadoc("Like $L, passing the first $L optional positional argument$L.\n\n<p>Python: $L.\n", link, k,
              k == 1 ? "" : "s", Javadocs.signature(o.dotted(), o.pySig()));
        } else {
          m.addJavadoc("$L", viewDoc);
        }
        addParams(m, pos, doc, viewOf == null);
        addParams(m, kwRequired, doc, viewOf == null);
        if (viewOf == null) {
          returnsDoc(m, returns, doc);
        }
        m.addCode(invoke(o.target(), caller, returns, pos, kwRequired, null, false));
        into.addMethod(m.build());
      }
    }

    // 3. the options builder
    if (o.options() != null) {
      ClassName options = o.options();
      MethodSpec.Builder m = method(javaName, isStatic, returns);
      if (viewOf == null) {
        m.addJavadoc("Like $L, with optional and keyword arguments set on {@code options}.\n\n<p>Python: $L.\n", link,
            Javadocs.signature(o.dotted(), o.pySig()));
      } else {
        m.addJavadoc("$L", viewDoc);
      }
      addParams(m, posRequired, doc, viewOf == null);
      addParams(m, kwRequired, doc, viewOf == null);
      m.addParameter(options, "options");
      if (viewOf == null) {
        m.addJavadoc("@param options the optional arguments ({@code new $L()...})\n", options.simpleName());
      }
      if (o.varPositional()) {
        m.addParameter(ParameterSpec.builder(Object[].class, "varargs").build()).varargs(true);
        if (viewOf == null) {
          m.addJavadoc("@param varargs further positional arguments\n");
        }
      }
      if (viewOf == null) {
        returnsDoc(m, returns, doc);
      }
      m.addCode(invoke(o.target(), caller, returns, posRequired, kwRequired, "options", o.varPositional()));
      into.addMethod(m.build());
    }
  }

  /**
   * The streaming variants of a generator function: {@code fooStream(..., consumer)} and {@code
   * fooPublisher(...)}, static and (when {@code view} is not null) on the view.
   */
  void emitStreaming(TypeSpec.Builder type, TypeSpec.Builder view, String streamName, String publisherName,
      String dotted, String module, String attribute, CallableInfo callable) {
    List<ParamInfo> params = callable.signature() == null ? List.of() : callable.signature().params();
    Set<String> names = new HashSet<>(PARAM_RESERVED);
    List<Param> required = new ArrayList<>();
    for (ParamInfo p : params) {
      if (!p.optional() && (p.kind().startsWith("positional"))) {
        required.add(param(p, callable.doc(), names));
      }
    }
    streaming(type, true, CodeBlock.of("$T.defaults()", PYCALLER), streamName, publisherName, dotted, module,
        attribute, callable, required);
    if (view != null) {
      streaming(view, false, CodeBlock.of("$L", CALLER), streamName, publisherName, dotted, module, attribute,
          callable, required);
    }
  }

  private void streaming(TypeSpec.Builder into, boolean isStatic, CodeBlock caller, String streamName,
      String publisherName, String dotted, String module, String attribute, CallableInfo callable,
      List<Param> required) {
    CodeBlock args = argList(required);
    MethodSpec.Builder stream = MethodSpec.methodBuilder(streamName).addModifiers(Modifier.PUBLIC)
        .returns(TypeName.LONG)
        .addJavadoc("Runs the generator {@code $L} in its worker and pushes each item to {@code consumer}, in order,"
            + " with backpressure (see {@link $T#pushEach}).\n\n", dotted, SNAKEBRIDGE);
    addParams(stream, required, callable.doc(), true);
    ParameterizedTypeName consumer = ParameterizedTypeName.get(ClassName.get(java.util.function.Consumer.class),
        TypeMapper.OBJECT);
    stream.addParameter(consumer, "consumer").addJavadoc("@param consumer receives each item\n@return how many items"
        + " the generator yielded\n");
    stream.addStatement("return $L.pushEach(consumer, $S, $S$L)", caller, module, attribute, args);
    MethodSpec.Builder publisher = MethodSpec.methodBuilder(publisherName).addModifiers(Modifier.PUBLIC)
        .returns(ParameterizedTypeName.get(ClassName.get(java.util.concurrent.Flow.Publisher.class),
            TypeMapper.OBJECT))
        .addJavadoc("The generator {@code $L} as a {@link java.util.concurrent.Flow.Publisher} of its items, pushed"
            + " by demand (see {@link $T#push}).\n\n", dotted, SNAKEBRIDGE);
    addParams(publisher, required, callable.doc(), true);
    publisher.addJavadoc("@return a publisher; each subscription runs the generator once\n");
    publisher.addStatement("return $L.push($S, $S$L)", caller, module, attribute, args);
    if (isStatic) {
      stream.addModifiers(Modifier.STATIC);
      publisher.addModifiers(Modifier.STATIC);
    }
    into.addMethod(stream.build());
    into.addMethod(publisher.build());
  }

  private CodeBlock argList(List<Param> params) {
    CodeBlock.Builder b = CodeBlock.builder();
    for (Param p : params) {
      b.add(", $L", argExpr(p));
    }
    return b.build();
  }

  private ClassName nested(String javaName) {
    String base = JavaNames.pascal(javaName) + "Options";
    String name = base;
    while (!nestedNames.add(name)) {
      name = name + "_";
    }
    return enclosing.nestedClass(name);
  }

  private TypeSpec optionsClass(ClassName options, List<Param> optional, boolean varKeyword, DocInfo doc,
      String dotted, String link) {
    ClassName map = ClassName.get(Map.class);
    ClassName linkedMap = ClassName.get(LinkedHashMap.class);
    TypeSpec.Builder t = TypeSpec.classBuilder(options.simpleName())
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Optional and keyword arguments of $L ({@code $L}). Only the arguments set are passed, so"
            + " Python's defaults apply to the rest. Not thread-safe: build one per call.\n", link, dotted)
        .addField(FieldSpec.builder(ParameterizedTypeName.get(map, TypeMapper.STRING, TypeMapper.OBJECT), "values",
            Modifier.PRIVATE, Modifier.FINAL).initializer("new $T<>()", linkedMap).build())
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
            .addJavadoc("No arguments set.\n").build());
    Set<String> used = new HashSet<>(OPTION_RESERVED);
    for (Param p : optional) {
      String setter = NamePlanner.unique(p.javaName(), used);
      String description = Javadocs.param(doc, p.info().name());
      t.addMethod(MethodSpec.methodBuilder(setter)
          .addModifiers(Modifier.PUBLIC)
          .returns(options)
          .addParameter(p.type(), p.javaName())
          .addJavadoc("Sets {@code $L}$L.\n\n@param $L $L\n@return this\n", p.info().name(),
              p.info().defaultValue() == null || "…".equals(p.info().defaultValue()) ? ""
                  : " (Python default: " + Javadocs.code(p.info().defaultValue()) + ")",
              p.javaName(), description == null ? "the value" : description)
          .addStatement("this.values.put($S, $L)", p.info().name(), argExpr(p))
          .addStatement("return this")
          .build());
    }
    t.addMethod(MethodSpec.methodBuilder("kwarg")
        .addModifiers(Modifier.PUBLIC)
        .returns(options)
        .addParameter(String.class, "name")
        .addParameter(Object.class, "value")
        .addJavadoc("Sets any keyword argument by its Python name$L.\n\n@param name the Python parameter name\n"
            + "@param value its value\n@return this\n", varKeyword ? " (this function takes {@code **kwargs})" : "")
        .addStatement("this.values.put(name, $T.arg(value))", interop)
        .addStatement("return this")
        .build());
    t.addMethod(MethodSpec.methodBuilder("toKwargs")
        .addModifiers(Modifier.PUBLIC)
        .returns(KWARGS)
        .addJavadoc("The arguments set so far, as {@link $T}.\n\n@return the keyword arguments\n", KWARGS)
        .addStatement("return $T.of(values)", KWARGS)
        .build());
    return t.build();
  }

  private MethodSpec.Builder method(String name, boolean isStatic, Returns returns) {
    MethodSpec.Builder m = MethodSpec.methodBuilder(name).addModifiers(Modifier.PUBLIC).returns(returns.type());
    if (isStatic) {
      m.addModifiers(Modifier.STATIC);
    }
    return m;
  }

  private Param param(ParamInfo p, DocInfo doc, Set<String> names) {
    String javaName = NamePlanner.unique(JavaNames.camel(p.name()), names);
    TypeMapper.Simple simple = TypeMapper.simple(p.annotation());
    if (simple == null && p.annotation() == null) {
      simple = TypeMapper.fromDoc(Javadocs.paramType(doc, p.name()));
    }
    if (simple == TypeMapper.Simple.NONE) {
      simple = null;
    }
    ClassName wrapper = simple == null ? TypeMapper.wrapperResult(p.annotation(), wrapperOf) : null;
    return new Param(p, javaName, wrapper != null ? wrapper : TypeMapper.parameter(simple));
  }

  private void addParams(MethodSpec.Builder m, List<Param> params, DocInfo doc, boolean withDoc) {
    for (Param p : params) {
      m.addParameter(p.type(), p.javaName());
      if (withDoc) {
        String d = Javadocs.param(doc, p.info().name());
        m.addJavadoc("@param $L $L\n", p.javaName(), d == null ? "Python {@code " + p.info().name() + "}" : d);
      }
    }
  }

  private void returnsDoc(MethodSpec.Builder m, Returns returns, DocInfo doc) {
    if (returns.isVoid()) {
      return;
    }
    String r = Javadocs.returns(doc);
    String what;
    if (returns.wrapper() != null) {
      what = "a {@link " + returns.wrapper().canonicalName() + "} (null for Python's {@code None})";
    } else if (returns.converter() != null) {
      what = "a {@code " + returns.type().toString().replace("java.lang.", "").replace("java.util.", "")
          + "} (null for Python's {@code None})";
    } else {
      what = "the result (a {@link dev.snakebridge.PyRef} unless it is plain data)";
    }
    boolean typed = returns.wrapper() != null || returns.converter() != null;
    m.addJavadoc("@return $L\n", r == null ? what : typed ? what + ": " + r : r);
  }

  private CodeBlock argExpr(Param p) {
    return !p.type().isPrimitive() && !p.type().equals(TypeMapper.STRING) && !p.type().equals(BYTES)
        ? CodeBlock.of("$T.arg($L)", interop, p.javaName())
        : CodeBlock.of("$L", p.javaName());
  }

  private CodeBlock invoke(Target target, CodeBlock caller, Returns returns, List<Param> positional,
      List<Param> keywords, String optionsVar, boolean varargs) {
    CodeBlock kwargs = null;
    if (optionsVar != null || !keywords.isEmpty()) {
      CodeBlock.Builder kw = CodeBlock.builder();
      kw.add(optionsVar != null ? CodeBlock.of("$L.toKwargs()", optionsVar) : CodeBlock.of("$T.none()", KWARGS));
      for (Param p : keywords) {
        kw.add(".and($S, $L)", p.info().name(), argExpr(p));
      }
      kwargs = kw.build();
    }
    CodeBlock.Builder args = CodeBlock.builder();
    if (varargs) {
      CodeBlock.Builder fixed = CodeBlock.builder();
      for (int i = 0; i < positional.size(); i++) {
        fixed.add(i == 0 ? "$L" : ", $L", argExpr(positional.get(i)));
      }
      args.add(", $T.args(new Object[] {$L}, varargs, $L)", interop, fixed.build(),
          kwargs == null ? CodeBlock.of("null") : kwargs);
    } else {
      for (Param p : positional) {
        args.add(", $L", argExpr(p));
      }
      if (kwargs != null) {
        args.add(", $L", kwargs);
      }
    }
    CodeBlock call = switch (target) {
      case ModuleTarget t -> CodeBlock.of("$L.call($S, $S$L)", caller, t.module(), t.attribute(), args.build());
      case RefTarget t -> CodeBlock.of("ref().call($S$L)", t.name(), args.build());
    };
    if (returns.isVoid()) {
      return CodeBlock.builder().addStatement("$L", call).build();
    }
    if (returns.wrapper() != null) {
      return CodeBlock.builder().addStatement("return $T.wrap($L)", returns.wrapper(), call).build();
    }
    if (returns.converter() != null) {
      return CodeBlock.builder().addStatement("return $T.$L($L)", interop, returns.converter(), call).build();
    }
    return CodeBlock.builder().addStatement("return $L", call).build();
  }

  private static String varName(List<ParamInfo> params, String kind) {
    return params.stream().filter(p -> p.kind().equals(kind)).map(ParamInfo::name).findFirst().orElse("args");
  }

  /** The Python parameter list as text: {@code a, b=1, *args, key=None, **kwargs}. */
  static List<String> pythonSignature(List<ParamInfo> params) {
    List<String> out = new ArrayList<>();
    boolean star = false;
    boolean slash = false;
    for (ParamInfo p : params) {
      if (!"positional_only".equals(p.kind()) && slash) {
        out.add("/");
        slash = false;
      }
      switch (p.kind()) {
        case "positional_only" -> {
          slash = true;
          out.add(p.name() + (p.optional() ? "=" + p.defaultValue() : ""));
        }
        case "var_positional" -> {
          star = true;
          out.add("*" + p.name());
        }
        case "var_keyword" -> out.add("**" + p.name());
        case "keyword_only" -> {
          if (!star) {
            out.add("*");
            star = true;
          }
          out.add(p.name() + (p.optional() ? "=" + p.defaultValue() : ""));
        }
        default -> out.add(p.name() + (p.optional() ? "=" + p.defaultValue() : ""));
      }
    }
    if (slash) {
      out.add("/");
    }
    return out;
  }
}
