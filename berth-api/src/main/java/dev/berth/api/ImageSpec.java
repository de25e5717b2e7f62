package dev.berth.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An image as a Java value, the API's counterpart of an {@code image.yaml} (and of flytekit's
 * ImageSpec): immutable, made with {@link #builder(String)}, changed with {@code withX} copies. Its
 * content key and name are those {@code berth build} gives the equivalent image.yaml, because it is
 * one: {@link #toYaml()} is that file, and berth reads it as it reads the file.
 *
 * <pre>{@code
 * ImageSpec base = ImageSpec.builder("tools").base("debian:bookworm").aptPackages("curl").build();
 * ImageSpec app = ImageSpec.builder("app").base(base).sourceRoot(Path.of("."))
 *     .copy("app/", "/srv/app").entrypoint("/srv/app/run").build();
 * }</pre>
 *
 * <p>Not offered, and refused with a message rather than ignored: {@code python_version},
 * {@code conda_*} and {@code cuda}/{@code cudnn} (see {@link Builder#pythonVersion}).
 */
public final class ImageSpec {
  /** A file or folder of the source root copied into the image. */
  public record Copy(String src, String dest, String owner, String mode) {
    public Copy {
      Objects.requireNonNull(src, "src");
      Objects.requireNonNull(dest, "dest");
    }
  }

  private final String name;
  private final String baseReference;
  private final ImageSpec baseSpec;
  private final String platform;
  private final Map<String, String> env;
  private final List<String> aptPackages;
  private final List<String> pipPackages;
  private final String requirements;
  private final String pipIndexUrl;
  private final List<String> pipExtraIndexUrls;
  private final List<String> commands;
  private final Path sourceRoot;
  private final boolean gitignore;
  private final List<Copy> copies;
  private final List<String> entrypoint;
  private final List<String> cmd;
  private final Map<String, String> labels;
  private final String registry;
  private final List<String> tags;
  private final List<String> verify;

  private ImageSpec(Builder b) {
    this.name = b.name;
    this.baseReference = b.baseReference;
    this.baseSpec = b.baseSpec;
    this.platform = b.platform;
    this.env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.env));
    this.aptPackages = List.copyOf(b.aptPackages);
    this.pipPackages = List.copyOf(b.pipPackages);
    this.requirements = b.requirements;
    this.pipIndexUrl = b.pipIndexUrl;
    this.pipExtraIndexUrls = List.copyOf(b.pipExtraIndexUrls);
    this.commands = List.copyOf(b.commands);
    this.sourceRoot = b.sourceRoot;
    this.gitignore = b.gitignore;
    this.copies = List.copyOf(b.copies);
    this.entrypoint = b.entrypoint == null ? null : List.copyOf(b.entrypoint);
    this.cmd = b.cmd == null ? null : List.copyOf(b.cmd);
    this.labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.labels));
    this.registry = b.registry;
    this.tags = List.copyOf(b.tags);
    this.verify = List.copyOf(b.verify);
  }

  /** A new spec named {@code name} (OCI repository grammar: lowercase, {@code a-z0-9._-/}). */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A builder holding this spec's values, to change several at once. */
  public Builder toBuilder() {
    Builder b = new Builder(name);
    b.baseReference = baseReference;
    b.baseSpec = baseSpec;
    b.platform = platform;
    b.env.putAll(env);
    b.aptPackages.addAll(aptPackages);
    b.pipPackages.addAll(pipPackages);
    b.requirements = requirements;
    b.pipIndexUrl = pipIndexUrl;
    b.pipExtraIndexUrls.addAll(pipExtraIndexUrls);
    b.commands.addAll(commands);
    b.sourceRoot = sourceRoot;
    b.gitignore = gitignore;
    b.copies.addAll(copies);
    b.entrypoint = entrypoint;
    b.cmd = cmd;
    b.labels.putAll(labels);
    b.registry = registry;
    b.tags.addAll(tags);
    b.verify.addAll(verify);
    return b;
  }

  public String name() {
    return name;
  }

  /** The base as a reference ({@code scratch}, {@code registry/repo:tag}, {@code oci:DIR}…), or null when it is a spec. */
  public String baseReference() {
    return baseReference;
  }

  /** The base when it is another spec (built first, as a tree parent), or null. */
  public ImageSpec baseSpec() {
    return baseSpec;
  }

  public String platform() {
    return platform;
  }

  public Map<String, String> env() {
    return env;
  }

  public List<String> aptPackages() {
    return aptPackages;
  }

  public List<String> pipPackages() {
    return pipPackages;
  }

  public String requirements() {
    return requirements;
  }

  public String pipIndexUrl() {
    return pipIndexUrl;
  }

  public List<String> pipExtraIndexUrls() {
    return pipExtraIndexUrls;
  }

  public List<String> commands() {
    return commands;
  }

  public Path sourceRoot() {
    return sourceRoot;
  }

  /** Whether what git ignores under the source root is left out ({@code gitignore: true}). */
  public boolean gitignore() {
    return gitignore;
  }

  public List<Copy> copies() {
    return copies;
  }

  public List<String> entrypoint() {
    return entrypoint;
  }

  public List<String> cmd() {
    return cmd;
  }

  public Map<String, String> labels() {
    return labels;
  }

  /** Where the spec is published ({@code HOST[:PORT][/NAMESPACE]}), or null: the {@link Berth}'s. */
  public String registry() {
    return registry;
  }

  /** Tag templates ({@code {key}}, {@code {name}}); empty: berth's default, the key alone. */
  public List<String> tags() {
    return tags;
  }

  public List<String> verify() {
    return verify;
  }

  public ImageSpec withBase(String reference) {
    return toBuilder().base(reference).build();
  }

  public ImageSpec withBase(ImageSpec spec) {
    return toBuilder().base(spec).build();
  }

  public ImageSpec withPlatform(String value) {
    return toBuilder().platform(value).build();
  }

  public ImageSpec withEnv(String key, String value) {
    return toBuilder().env(key, value).build();
  }

  /** flytekit's {@code with_apt_packages}: these packages too. */
  public ImageSpec withAptPackages(String... packages) {
    return toBuilder().aptPackages(packages).build();
  }

  /** flytekit's {@code with_packages}: these pip packages too. */
  public ImageSpec withPipPackages(String... packages) {
    return toBuilder().pipPackages(packages).build();
  }

  public ImageSpec withRequirements(String file) {
    return toBuilder().requirements(file).build();
  }

  public ImageSpec withPipIndexUrl(String url) {
    return toBuilder().pipIndexUrl(url).build();
  }

  public ImageSpec withPipExtraIndexUrls(String... urls) {
    return toBuilder().pipExtraIndexUrls(urls).build();
  }

  /** flytekit's {@code with_commands}: these shell commands too, after the packages. */
  public ImageSpec withCommands(String... commands) {
    return toBuilder().commands(commands).build();
  }

  public ImageSpec withSourceRoot(Path root) {
    return toBuilder().sourceRoot(root).build();
  }

  public ImageSpec withCopy(String src, String dest) {
    return toBuilder().copy(src, dest).build();
  }

  public ImageSpec withEntrypoint(String... argv) {
    return toBuilder().entrypoint(argv).build();
  }

  public ImageSpec withCmd(String... argv) {
    return toBuilder().cmd(argv).build();
  }

  public ImageSpec withLabel(String key, String value) {
    return toBuilder().label(key, value).build();
  }

  public ImageSpec withRegistry(String value) {
    return toBuilder().registry(value).build();
  }

  public ImageSpec withTags(String... templates) {
    return toBuilder().tags(templates).build();
  }

  public ImageSpec withVerify(String... commands) {
    return toBuilder().verify(commands).build();
  }

  /** The image.yaml this spec is: berth reads it, with the source root as the image folder. */
  public String toYaml() {
    return SpecYaml.render(this);
  }

  /** Whether the pip packages need an index other than pip's default (they are then installed by a run step). */
  boolean customIndex() {
    return pipIndexUrl != null || !pipExtraIndexUrls.isEmpty();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ImageSpec spec && spec.toYaml().equals(toYaml())
        && Objects.equals(spec.sourceRoot, sourceRoot) && Objects.equals(spec.registry, registry)
        && Objects.equals(spec.baseSpec, baseSpec);
  }

  @Override
  public int hashCode() {
    return toYaml().hashCode();
  }

  @Override
  public String toString() {
    return "ImageSpec " + name;
  }

  /** Collects a spec's values; {@link #build()} checks them. */
  public static final class Builder {
    private final String name;
    private String baseReference;
    private ImageSpec baseSpec;
    private String platform;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> aptPackages = new ArrayList<>();
    private final List<String> pipPackages = new ArrayList<>();
    private String requirements;
    private String pipIndexUrl;
    private final List<String> pipExtraIndexUrls = new ArrayList<>();
    private final List<String> commands = new ArrayList<>();
    private Path sourceRoot;
    private boolean gitignore;
    private final List<Copy> copies = new ArrayList<>();
    private List<String> entrypoint;
    private List<String> cmd;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private String registry;
    private final List<String> tags = new ArrayList<>();
    private final List<String> verify = new ArrayList<>();

    private Builder(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("an image spec needs a name");
      }
      this.name = name;
    }

    /** A reference: {@code scratch}, {@code [registry/]repo[:tag][@digest]}, {@code oci:DIR[:TAG]}, {@code docker-archive:FILE}. */
    public Builder base(String reference) {
      this.baseReference = Objects.requireNonNull(reference, "base");
      this.baseSpec = null;
      return this;
    }

    /** Another spec, built first: this one is its child in the tree, keyed on its key. */
    public Builder base(ImageSpec spec) {
      this.baseSpec = Objects.requireNonNull(spec, "base");
      this.baseReference = null;
      return this;
    }

    /** {@code os/arch[/variant]}; default: the Berth's (linux/amd64). */
    public Builder platform(String value) {
      this.platform = value;
      return this;
    }

    /**
     * flytekit's {@code platform} list ({@code "linux/amd64", "linux/arm64"}): the image is built for
     * each, one manifest per platform and an OCI index over them; an unknown platform is refused here.
     */
    public Builder platforms(String... values) {
      try {
        return platform(dev.berth.oci.Platforms.parse(java.util.List.of(values)).toString());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(name + ": " + e.getMessage());
      }
    }

    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    public Builder env(Map<String, String> values) {
      env.putAll(values);
      return this;
    }

    public Builder aptPackages(String... packages) {
      aptPackages.addAll(List.of(packages));
      return this;
    }

    public Builder pipPackages(String... packages) {
      pipPackages.addAll(List.of(packages));
      return this;
    }

    /** A pip requirements file, relative to the source root. */
    public Builder requirements(String file) {
      this.requirements = file;
      return this;
    }

    public Builder pipIndexUrl(String url) {
      this.pipIndexUrl = url;
      return this;
    }

    public Builder pipExtraIndexUrls(String... urls) {
      pipExtraIndexUrls.addAll(List.of(urls));
      return this;
    }

    /** Shell commands run in the image after the packages are installed (network off). */
    public Builder commands(String... values) {
      commands.addAll(List.of(values));
      return this;
    }

    /**
     * The folder copies and the requirements file are read from: the image folder of the equivalent
     * image.yaml. Its {@code .dockerignore} filters what is copied.
     */
    public Builder sourceRoot(Path root) {
      this.sourceRoot = root.toAbsolutePath().normalize();
      return this;
    }

    /**
     * Also leaves out what the repository's {@code .gitignore} files ignore, as flytekit's
     * {@code source_root} does; image.yaml's {@code gitignore: true}.
     */
    public Builder gitignore(boolean on) {
      this.gitignore = on;
      return this;
    }

    /** Copies {@code src} (relative to the source root; {@code .} for all of it) to {@code dest}. */
    public Builder copy(String src, String dest) {
      copies.add(new Copy(src, dest, null, null));
      return this;
    }

    public Builder copy(Copy copy) {
      copies.add(copy);
      return this;
    }

    public Builder entrypoint(String... argv) {
      this.entrypoint = List.of(argv);
      return this;
    }

    public Builder cmd(String... argv) {
      this.cmd = List.of(argv);
      return this;
    }

    public Builder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    /** Where this image is published: {@code HOST[:PORT][/NAMESPACE]}. */
    public Builder registry(String value) {
      this.registry = value;
      return this;
    }

    /** Tag templates: {@code {key}} (the content key), {@code {name}}; replaces berth's default {@code {key}}. */
    public Builder tags(String... templates) {
      tags.clear();
      tags.addAll(List.of(templates));
      return this;
    }

    /** Commands run inside the built image (network off); all must exit 0 before it is published. */
    public Builder verify(String... commands) {
      verify.addAll(List.of(commands));
      return this;
    }

    /** Refused: berth installs Python from the base's packages ({@code aptPackages("python3.11")} on bookworm). */
    public Builder pythonVersion(String version) {
      throw unsupported("python_version", "install the interpreter from the base's packages instead, e.g."
          + " aptPackages(\"python3.11\") on Debian bookworm, or start from a base that has it");
    }

    /** Refused: conda needs its package channels, which berth does not speak. */
    public Builder condaPackages(String... packages) {
      throw unsupported("conda_packages", "use aptPackages or pipPackages, or a base image with conda");
    }

    /** Refused, as {@link #condaPackages}. */
    public Builder condaChannels(String... channels) {
      throw unsupported("conda_channels", "use aptPackages or pipPackages, or a base image with conda");
    }

    /** Refused: CUDA comes from a base image that has it (e.g. one of NVIDIA's), not from berth. */
    public Builder cuda(String version) {
      throw unsupported("cuda", "start from a base image that has CUDA");
    }

    /** Refused, as {@link #cuda}. */
    public Builder cudnn(String version) {
      throw unsupported("cudnn", "start from a base image that has cuDNN");
    }

    private IllegalArgumentException unsupported(String field, String instead) {
      return new UnsupportedSpecException(name + ": " + field + " is not supported by berth; " + instead);
    }

    /** The spec; a missing base or an index URL berth cannot pass on is refused here. */
    public ImageSpec build() {
      if (baseReference == null && baseSpec == null) {
        throw new IllegalArgumentException(name + ": no base (a reference such as debian:bookworm, scratch, or another"
            + " ImageSpec)");
      }
      boolean customIndex = pipIndexUrl != null || !pipExtraIndexUrls.isEmpty();
      if (customIndex && requirements != null && pipPackages.isEmpty()) {
        throw new IllegalArgumentException(name + ": a pip index URL applies to pipPackages; for a requirements file,"
            + " write --index-url / --extra-index-url lines in the file (pip reads them there)");
      }
      if ((requirements != null || !copies.isEmpty()) && sourceRoot == null) {
        throw new IllegalArgumentException(name + ": copies and a requirements file are read from the source root;"
            + " set sourceRoot");
      }
      return new ImageSpec(this);
    }
  }
}
