package dev.berth.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.berth.oci.ImageReference;
import dev.berth.oci.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Reads and validates {@code image.yaml}; every error names the file and, where known, the line. */
public final class ImageSpecParser {
  public static final String FILE_NAME = "image.yaml";
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}(/(tcp|udp|sctp))?");
  private static final Pattern MODE = Pattern.compile("0?[0-7]{3,4}");
  private static final Pattern TAG_TEMPLATE = Pattern.compile("\\{([a-z]+)}");
  private static final List<String> TAG_VARIABLES = List.of("key", "version", "name");

  private final ObjectMapper mapper;
  private final Platform defaultPlatform;
  /** The platforms each image parsed so far names itself ({@code platform:} or {@code platforms:}). */
  private final Map<String, dev.berth.oci.Platforms> declared = new java.util.concurrent.ConcurrentHashMap<>();

  public ImageSpecParser(Platform defaultPlatform) {
    this.defaultPlatform = defaultPlatform;
    this.mapper = YAMLMapper.builder(YAMLFactory.builder().build())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .addModule(SpecDeserializers.module())
        .build();
  }

  /** The platforms each image parsed so far names itself; an image that names none is not here. */
  public Map<String, dev.berth.oci.Platforms> declaredPlatforms() {
    return Map.copyOf(declared);
  }

  /** Parses {@code folder/image.yaml}. */
  public ImageSpec parse(Path folder) {
    Path file = folder.resolve(FILE_NAME);
    String text = YamlErrors.readText(file);
    ImageYaml yaml = bind(file, text);
    return new Validator(folder, file, text).validate(yaml);
  }

  /**
   * Parses {@code text}, image.yaml's content that is in no file (the Java API's specs): paths are
   * resolved in {@code folder}, messages name {@code file}.
   */
  public ImageSpec parse(Path folder, Path file, String text) {
    return new Validator(folder, file, text).validate(bind(file, text));
  }

  private ImageYaml bind(Path file, String text) {
    if (text.isBlank()) {
      throw new SpecException(file, "the file is empty");
    }
    try {
      ImageYaml yaml = mapper.readValue(text, ImageYaml.class);
      if (yaml == null) {
        throw new SpecException(file, "the file is empty");
      }
      return yaml;
    } catch (JsonProcessingException e) {
      throw YamlErrors.translate(file, e);
    }
  }

  /** Semantic checks after binding: names, paths, ports, modes, tags. */
  private final class Validator {
    private final Path folder;
    private final Path file;
    private final String text;

    Validator(Path folder, Path file, String text) {
      this.folder = folder;
      this.file = file;
      this.text = text;
    }

    ImageSpec validate(ImageYaml yaml) {
      String name = yaml.name != null ? yaml.name : folder.toAbsolutePath().normalize().getFileName().toString();
      if (!ImageReference.isValidRepository(name)) {
        throw error(yaml.name, "invalid image name '" + name
            + "': lowercase letters, digits and . _ - separators, components joined by /");
      }
      String base = yaml.base == null ? "scratch" : yaml.base.trim();
      if (base.isEmpty()) {
        throw error("base:", "'base' is empty; say scratch for an image without a base");
      }
      BaseReference.problem(base).ifPresent(problem -> {
        throw error(base, problem);
      });
      if (yaml.stopSignal != null && !StopSignal.isValid(yaml.stopSignal)) {
        throw error("stop_signal:", StopSignal.problem(yaml.stopSignal));
      }
      Platform platform = defaultPlatform;
      if (yaml.platform != null && yaml.platforms != null) {
        throw error("platforms:", "give 'platform' or 'platforms', not both");
      }
      if (yaml.platform != null || yaml.platforms != null) {
        dev.berth.oci.Platforms own;
        try {  // platform: "linux/amd64,linux/arm64" is a list too, as flytekit's ImageSpec writes it
          own = yaml.platform != null ? dev.berth.oci.Platforms.parse(yaml.platform)
              : dev.berth.oci.Platforms.parse(yaml.platforms);
        } catch (IllegalArgumentException e) {
          throw error(yaml.platform != null ? yaml.platform : "platforms:", e.getMessage());
        }
        declared.put(name, own);
        platform = own.contains(defaultPlatform) ? defaultPlatform : own.first();
      }
      List<StepSpec> steps = steps(yaml);
      ImageSpec.Network network = network(yaml.network);
      ImageSpec.RuntimeConfig config = new ImageSpec.RuntimeConfig(env(yaml.env), yaml.workdir, yaml.user,
          yaml.entrypoint, yaml.cmd, ports(yaml.expose), yaml.labels, yaml.volumes, yaml.stopSignal);
      if (yaml.workdir != null) {
        absolute(yaml.workdir, "workdir");
      }
      List<ImageSpec.Secret> secrets = new ArrayList<>();
      for (ImageYaml.SecretYaml secret : orEmpty(yaml.secrets)) {
        if (!ENV_NAME.matcher(secret.id.replace('-', '_').replace('.', '_')).matches()) {
          throw error(secret.id, "invalid secret id '" + secret.id + "'");
        }
        secrets.add(new ImageSpec.Secret(secret.id, folder.resolve(expandHome(secret.src))));
      }
      for (String cache : orEmpty(yaml.cache)) {
        absolute(cache, "cache");
      }
      List<String> tags = yaml.tags != null ? yaml.tags
          : Files.isRegularFile(folder.resolve(Changelog.FILE_NAME)) ? List.of("{key}", "{version}") : List.of("{key}");
      for (String tag : tags) {
        validateTagTemplate(tag);
      }
      return new ImageSpec(folder, file, name, base, platform, steps, config, network,
          orEmpty(yaml.cache), secrets, orEmpty(yaml.verify), tags, List.of(), Boolean.TRUE.equals(yaml.gitignore));
    }

    private List<StepSpec> steps(ImageYaml yaml) {
      List<StepSpec> sugar = new ArrayList<>();
      if (yaml.apt != null) {
        sugar.add(new StepSpec.Apt(packages(yaml.apt, "apt")));
      }
      if (yaml.pip != null) {
        sugar.add(new StepSpec.Pip(packages(yaml.pip, "pip")));
      }
      if (yaml.requirements != null) {
        sugar.add(new StepSpec.Requirements(yaml.requirements));
      }
      for (Command command : orEmpty(yaml.run)) {
        sugar.add(new StepSpec.Run(command));
      }
      for (ImageYaml.LayerYaml layer : orEmpty(yaml.layers)) {
        sugar.add(new StepSpec.Layer(layer.src, layer.dest == null ? "/opt" : layer.dest));
      }
      for (ImageYaml.CopyYaml copy : orEmpty(yaml.copy)) {
        sugar.add(new StepSpec.Copy(copy.src, copy.dest, copy.owner, copy.mode));
      }
      if (yaml.steps != null && !sugar.isEmpty()) {
        throw error("steps:", "'steps' gives the order of every step; move apt, pip, requirements, run,"
            + " layers and copy into it");
      }
      List<StepSpec> steps = yaml.steps != null ? yaml.steps : sugar;
      List<StepSpec> checked = new ArrayList<>();
      for (StepSpec step : steps) {
        checked.add(check(step));
      }
      return checked;
    }

    /** The step as image.yaml may write it, defaults filled in, or a one-line error naming the field. */
    private StepSpec check(StepSpec step) {
      return step.accept(new StepVisitor.Partial<StepSpec, RuntimeException>() {
        @Override
        public StepSpec otherwise(StepSpec other) {
          return other;
        }

        @Override
        public StepSpec requirements(StepSpec.Requirements r) {
          inside(r.file(), "requirements");
          return r;
        }

        @Override
        public StepSpec layer(StepSpec.Layer l) {
          inside(l.src(), "layers.src");
          String dest = l.dest() == null ? "/opt" : l.dest();
          absolute(dest, "layers.dest");
          return new StepSpec.Layer(l.src(), dest);
        }

        @Override
        public StepSpec copy(StepSpec.Copy c) {
          inside(c.src(), "copy.src");
          absolute(c.dest(), "copy.dest");
          if (c.mode() != null && !MODE.matcher(c.mode()).matches()) {
            throw error(c.mode(), "invalid mode '" + c.mode() + "': an octal string such as \"0644\"");
          }
          if (c.owner() != null && c.owner().isBlank()) {
            throw error("owner:", "'owner' is empty");
          }
          return c;
        }

        @Override
        public StepSpec workdir(StepSpec.Workdir w) {
          absolute(w.path(), "workdir");
          return w;
        }

        @Override
        public StepSpec apt(StepSpec.Apt a) {
          packages(a.packages(), "apt");
          return a;
        }

        @Override
        public StepSpec pip(StepSpec.Pip p) {
          packages(p.packages(), "pip");
          return p;
        }

        @Override
        public StepSpec env(StepSpec.Env e) {
          return new StepSpec.Env(Validator.this.env(e.variables()));
        }
      });
    }

    private List<String> packages(List<String> names, String key) {
      for (String name : names) {
        if (name == null || name.isBlank() || name.startsWith("-") || name.chars().anyMatch(Character::isWhitespace)) {
          throw error(name == null ? key + ":" : name, "invalid " + key + " package '" + name + "'");
        }
      }
      return names;
    }

    private Map<String, String> env(Map<String, String> env) {
      if (env == null) {
        return Map.of();
      }
      Map<String, String> sorted = new TreeMap<>();
      env.forEach((key, value) -> {
        if (!ENV_NAME.matcher(key).matches()) {
          throw error(key, "invalid environment variable name '" + key + "'");
        }
        sorted.put(key, value == null ? "" : value);
      });
      return sorted;
    }

    private List<String> ports(List<String> expose) {
      List<String> out = new ArrayList<>();
      for (String port : orEmpty(expose)) {
        if (!PORT.matcher(port).matches() || Integer.parseInt(port.split("/")[0]) > 65535) {
          throw error(port, "invalid port '" + port + "': PORT or PORT/tcp|udp|sctp");
        }
        out.add(port.contains("/") ? port : port + "/tcp");
      }
      return out;
    }

    private ImageSpec.Network network(String value) {
      if (value == null) {
        return ImageSpec.Network.NONE;
      }
      return switch (value) {
        case "none" -> ImageSpec.Network.NONE;
        case "host" -> ImageSpec.Network.HOST;
        default -> throw error("network:", "invalid network '" + value + "': none or host");
      };
    }

    private void inside(String relative, String key) {
      if (relative == null || relative.isBlank()) {
        throw error(key + ":", "'" + key + "' is empty");
      }
      Path candidate = Path.of(relative);
      Path resolved = folder.resolve(relative).normalize();
      if (candidate.isAbsolute() || !resolved.startsWith(folder.normalize())) {
        throw error(relative, "'" + key + "' path '" + relative + "' is outside the image folder " + folder);
      }
    }

    private void absolute(String imagePath, String key) {
      if (imagePath == null) {
        String field = key.substring(key.lastIndexOf('.') + 1);
        throw error(field.equals(key) ? key + ":" : key.substring(0, key.indexOf('.')) + ":",
            "'" + key + "' is missing");
      }
      if (!imagePath.startsWith("/")) {
        throw error(imagePath == null ? key + ":" : imagePath,
            "'" + key + "' must be an absolute path in the image, not '" + imagePath + "'");
      }
    }

    private void validateTagTemplate(String tag) {
      var matcher = TAG_TEMPLATE.matcher(tag);
      String filled = tag;
      while (matcher.find()) {
        if (!TAG_VARIABLES.contains(matcher.group(1))) {
          throw error(tag, "unknown tag variable {" + matcher.group(1) + "} in '" + tag
              + "' (known: {key}, {version}, {name})");
        }
        filled = filled.replace(matcher.group(), "x");
      }
      if (!ImageReference.isValidTag(filled)) {
        throw error(tag, "invalid tag '" + tag + "'");
      }
    }

    /** An error at the first line that mentions {@code needle} (bound values carry no location). */
    private SpecException error(String needle, String message) {
      return new SpecException(file, lineMentioning(needle), message);
    }

    private int lineMentioning(String needle) {
      if (needle == null || needle.isEmpty()) {
        return 0;
      }
      String[] lines = text.split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        if (lines[i].contains(needle)) {
          return i + 1;
        }
      }
      return 0;
    }
  }

  private static String expandHome(String path) {
    return path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
