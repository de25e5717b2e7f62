package dev.berth.dockerfile;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpretException;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import dev.berth.spec.SpecException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders docker-pkg's {@code Dockerfile.template}s as docker-pkg does (Jinja2 with
 * {@code StrictUndefined}, the {@code do} extension, docker-pkg's filters, the whole configuration as
 * variables). Jinjava does the rendering; {@link JinjaSource} first rewrites what Jinjava would read
 * differently from Jinja2, and values print as Python prints them.
 */
public final class DockerPkgTemplates {
  /** Jinja2's built-in filters: only these (and docker-pkg's) are accepted, as Jinja2 knows no others. */
  private static final Set<String> JINJA2_FILTERS = Set.of("abs", "attr", "batch", "capitalize", "center", "count",
      "d", "default", "dictsort", "e", "escape", "filesizeformat", "first", "float", "forceescape", "format",
      "groupby", "indent", "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min", "pprint",
      "random", "reject", "rejectattr", "replace", "reverse", "round", "safe", "select", "selectattr", "slice",
      "sort", "string", "striptags", "sum", "title", "tojson", "trim", "truncate", "unique", "upper", "urlencode",
      "urlize", "wordcount", "wordwrap", "xmlattr");

  private final Jinjava jinjava;
  private final Map<String, Object> variables;
  /**
   * Where in a rendering's context its filters' warnings are gathered: not a name a template can
   * write (a Jinja2 name has no space).
   */
  private static final String WARNINGS = "berth warnings";

  /** A template rendered: the Dockerfile, and what its filters warned about, in the order they did. */
  public record Rendering(String dockerfile, List<TemplateWarning> warnings) {
    public Rendering {
      warnings = List.copyOf(warnings);
    }
  }

  /** @param knownImages full references of the tree's images and of {@code base_images}, for {@code image_tag} */
  public DockerPkgTemplates(DockerPkgConfig config, List<String> knownImages) {
    LegacyOverrides jinja2 = LegacyOverrides.newBuilder()
        .withUsePyishObjectMapper(true)
        .withEvaluateMapKeys(true)
        .withUseNaturalOperatorPrecedence(true)
        .withParseWhitespaceControlStrictly(true)
        .withUseTrimmingForNotesAndExpressions(true)
        .withKeepNullableLoopValues(true)
        .build();
    jinjava = new Jinjava(JinjavaConfig.newBuilder().withFailOnUnknownTokens(true).withLegacyOverrides(jinja2)
        .withMaxOutputSize(64L << 20).build());
    new DockerPkgFilters(config, knownImages).all()
        .forEach(filter -> jinjava.getGlobalContext().registerFilter(filter));
    jinjava.getGlobalContext().registerFilter(new Filter() {
      @Override
      public String getName() {
        return JinjaSource.STR;
      }

      @Override
      public Object filter(Object value, JinjavaInterpreter interpreter, String... args) {
        if (value == null) {
          // config nulls are PyNone: only what Jinja2 calls undefined is null here
          throw new DockerPkgFilters.Failure("'" + (args.length > 0 ? args[0] : "a value") + "' is undefined");
        }
        return Py.str(value);
      }
    });
    jinjava.getGlobalContext().registerExpTest(new ExpTest() {
      @Override
      public String getName() {
        return "none";
      }

      @Override
      public boolean evaluate(Object value, JinjavaInterpreter interpreter, Object... args) {
        return value == null || value == PyNone.NONE;
      }
    });
    variables = new LinkedHashMap<>();
    config.templateVariables().forEach((key, value) -> variables.put(key, pythonic(value)));
    variables.put(JinjaSource.NONE, PyNone.NONE);
  }

  /** What {@code template} renders to, or a one-line error naming its file and line. */
  public Rendering render(Path template) {
    return render(template, dev.berth.text.TextFiles.read(template));
  }

  /** As {@link #render(Path)} with the template's {@code text} read. */
  public Rendering render(Path template, String text) {
    JinjaSource source = JinjaSource.translate(template, text);
    for (JinjaSource.Use filter : source.filters()) {
      boolean docker = DockerPkgFilters.NAMES.contains(filter.name());
      if (!docker && !JINJA2_FILTERS.contains(filter.name())) {
        throw new SpecException(template, filter.line(), "no filter named '" + filter.name() + "'");
      }
      if (!docker && jinjava.getGlobalContext().getFilter(filter.name()) == null) {
        throw new SpecException(template, filter.line(), "Jinja2's filter '" + filter.name()
            + "' is not supported by berth");
      }
    }
    Map<String, Object> bindings = new HashMap<>(variables);
    bindings.putAll(source.literals());
    List<TemplateWarning> warnings = new ArrayList<>();
    bindings.put(WARNINGS, warnings);
    // a child of the global context: Jinjava's renderForResult copies all of it for every template
    JinjavaInterpreter interpreter = new JinjavaInterpreter(jinjava, new Context(jinjava.getGlobalContext(), bindings),
        jinjava.getGlobalConfig());
    String output;
    JinjavaInterpreter.pushCurrent(interpreter);
    try {
      output = interpreter.render(source.text());
    } catch (RuntimeException e) {
      int line = 0;
      for (Throwable cause = e; cause != null && line == 0; cause = cause.getCause()) {
        line = cause instanceof InterpretException interpret ? Math.max(0, interpret.getLineNumber()) : 0;
      }
      throw new SpecException(template, line, describe(source, reason(e)));
    } finally {
      JinjavaInterpreter.popCurrent();
    }
    for (TemplateError error : interpreter.getErrors()) {
      if (error.getSeverity() != TemplateError.ErrorType.WARNING) {
        throw new SpecException(template, error.getLineno(), describe(source, reason(error)));
      }
    }
    return new Rendering(output, warnings);
  }

  /** The list the filters of the rendering {@code interpreter} runs add their warnings to. */
  @SuppressWarnings("unchecked")
  static List<TemplateWarning> warnings(JinjavaInterpreter interpreter) {
    return (List<TemplateWarning>) interpreter.getContext().get(WARNINGS);
  }

  /** YAML values as the templates see them: null is Python's None. */
  private static Object pythonic(Object value) {
    if (value == null) {
      return PyNone.NONE;
    }
    if (value instanceof Boolean bool) {
      return PyBool.of(bool);
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((key, item) -> out.put(key, pythonic(item)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(item -> out.add(pythonic(item)));
      return out;
    }
    return value;
  }

  private static String reason(TemplateError error) {
    for (Throwable cause = error.getException(); cause != null; cause = cause.getCause()) {
      if (cause instanceof DockerPkgFilters.Failure) {
        return cause.getMessage();
      }
    }
    String message = error.getMessage();
    String unknown = "UnknownTokenException: Unknown token found: ";
    if (message.startsWith(unknown)) {
      return "'" + message.substring(unknown.length()).strip() + "' is undefined";
    }
    return "template error: " + message.lines().findFirst().orElse("");
  }

  private static String reason(RuntimeException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof DockerPkgFilters.Failure) {
        return cause.getMessage();
      }
    }
    return "template error: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
  }

  /** A message with the literals' stand-ins put back as the template wrote them. */
  private static String describe(JinjaSource source, String message) {
    String out = message;
    for (Map.Entry<String, Object> literal : source.literals().entrySet()) {
      out = out.replace(literal.getKey(), Py.repr(literal.getValue()));
    }
    return out.replace(JinjaSource.NONE, "None").replaceAll("\\s+", " ").strip();
  }
}
