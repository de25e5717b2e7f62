package dev.berth.engine;

import dev.berth.layer.EntryAttributes;
import dev.berth.layer.LayerBlob;
import dev.berth.layer.LayerBuilder;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageConfig;
import dev.berth.oci.ImageManifest;
import dev.berth.oci.Json;
import dev.berth.oci.MediaTypes;
import dev.berth.spec.StepSpec;
import dev.berth.store.ContentStore;
import dev.berth.layer.StepCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A SAM-style local invoke image: a Lambda runtime's base image, extra files, and function layers
 * merged under /opt in order. Its tag comes from the runtime, the base's digest and the layers'
 * contents (not their names or mtimes), so an unchanged layer is never tarred again, a changed one
 * always rebuilds, and a moved base gives a new tag.
 */
public final class LayeredImage {
  /** A file added at an absolute path (such as an emulator binary). */
  public record Addition(Path source, String destination) {}

  /** What was asked for. */
  public record Request(String runtime, String arch, List<Path> layers, List<Addition> additions) {}

  /** The image's name in the store, and whether it was built now or found. */
  public record Result(String reference, Descriptor manifest, boolean built) {}

  private final ContentStore store;
  private final StepCache stepCache;
  private final BuildSettings settings;
  private final InputCollector.FileDigests digests;

  public LayeredImage(ContentStore store, BuildSettings settings, InputCollector.FileDigests digests) {
    this.store = store;
    this.stepCache = new StepCache(store);
    this.settings = settings;
    this.digests = digests;
  }

  /** The name the image of {@code request} on {@code base} has: {@code berth-lambda/FAMILY:VERSION-ARCH-HASH}. */
  public String reference(Request request, BaseImage base) throws IOException {
    return reference(request, base, parts(request, base));
  }

  public Result build(Request request, BaseImage base) throws IOException {
    List<Part> parts = parts(request, base);
    String reference = reference(request, base, parts);
    Optional<Descriptor> existing = store.resolve(reference);
    if (existing.isPresent()) {
      return new Result(reference, existing.get().withoutAnnotations(), false);
    }
    ImageConfig config = base.config().withCreated(settings.created());
    List<Descriptor> layers = new ArrayList<>(base.layers().stream().map(LayerBlob::descriptor).toList());
    for (Part part : parts) {
      Optional<LayerBlob> cached = stepCache.find(part.key());
      LayerBlob layer = cached.isPresent() ? cached.get() : part.writer().write();
      if (cached.isEmpty()) {
        stepCache.put(part.key(), layer);
      }
      layers.add(layer.descriptor());
      config = config.withLayer(layer.diffId(), "berth layered " + part.label());
    }
    Descriptor configBlob = store.writeBlob(MediaTypes.OCI_CONFIG, config.toJson());
    Descriptor manifest = store.writeBlob(MediaTypes.OCI_MANIFEST, ImageManifest.oci(configBlob, layers).toJson());
    store.tag(reference, manifest);
    return new Result(reference, manifest, true);
  }

  private List<Part> parts(Request request, BaseImage base) throws IOException {
    LambdaRuntimes.parse(request.runtime());  // an unknown runtime is refused first
    String architecture = LambdaRuntimes.ociArchitecture(request.arch());
    if (!base.config().platform().architecture().equals(architecture)) {
      throw new BuildException("base image is for " + base.config().platform() + ", not " + request.arch());
    }
    List<Part> parts = new ArrayList<>();
    for (Addition addition : request.additions()) {
      parts.add(new Part("add " + addition.destination(), contentKey("add", addition.destination(),
          inputsOf(addition.source())), () -> additionLayer(addition)));
    }
    for (Path layer : request.layers()) {
      List<InputFile> inputs = inputsOf(layer);
      parts.add(new Part("layer", contentKey("layer", "/opt", inputs), () -> mergedLayer(layer, inputs)));
    }
    return parts;
  }

  private String reference(Request request, BaseImage base, List<Part> parts) {
    LambdaRuntimes.Runtime runtime = LambdaRuntimes.parse(request.runtime());
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("runtime", request.runtime());
    identity.put("arch", request.arch());
    identity.put("base", base.identity());
    identity.put("parts", parts.stream().map(part -> part.key().toString()).toList());
    identity.put("format", ContentKey.BUILD_FORMAT);
    String hash = Digest.sha256(Json.canonical(identity)).hex().substring(0, ContentKey.TAG_LENGTH);
    return "berth-lambda/" + runtime.family() + ":" + runtime.version() + "-" + request.arch() + "-" + hash;
  }

  private interface LayerWriter {
    LayerBlob write() throws IOException;
  }

  private record Part(String label, Digest key, LayerWriter writer) {}

  private Digest contentKey(String kind, String destination, List<InputFile> inputs) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("kind", kind);
    document.put("destination", destination);
    List<Object> content = new ArrayList<>();
    for (InputFile input : inputs) {
      content.add(List.of(input.path(), input.kind().name(), input.mode(),
          input.digest() != null ? input.digest().toString() : String.valueOf(input.linkTarget())));
    }
    document.put("content", content);
    document.put("settings", settings.keyFields());
    return Digest.sha256(Json.canonical(document));
  }

  /** The files of a layer directory (paths relative to it) or the zip file itself. */
  private List<InputFile> inputsOf(Path source) throws IOException {
    Path root = source.toAbsolutePath().normalize();
    if (!Files.exists(root)) {
      throw new BuildException("no such file or directory: " + source);
    }
    List<InputFile> out = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      PosixFileAttributes attributes = Files.readAttributes(root, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      out.add(new InputFile("", InputFile.Kind.FILE, mode(root), digests.digestOf(root, attributes), null, root));
      return out;
    }
    try (var walk = Files.walk(root)) {
      for (Path path : walk.sorted().toList()) {
        String relative = root.relativize(path).toString().replace('\\', '/');
        PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attributes.isSymbolicLink()) {
          out.add(new InputFile(relative, InputFile.Kind.SYMLINK, 0777, null, Files.readSymbolicLink(path).toString(), path));
        } else if (attributes.isDirectory()) {
          out.add(new InputFile(relative, InputFile.Kind.DIRECTORY, mode(path), null, null, path));
        } else {
          out.add(new InputFile(relative, InputFile.Kind.FILE, mode(path), digests.digestOf(path, attributes), null, path));
        }
      }
    }
    return out;
  }

  private LayerBlob mergedLayer(Path layer, List<InputFile> inputs) throws IOException {
    Path source = layer.toAbsolutePath().normalize();
    Path folder = Files.isDirectory(source) ? source : source.getParent();
    String relative = Files.isDirectory(source) ? "" : source.getFileName().toString();
    List<InputFile> rebased = new ArrayList<>();
    for (InputFile input : inputs) {
      rebased.add(new InputFile(relative.isEmpty() ? input.path() : relative, input.kind(), input.mode(),
          input.digest(), input.linkTarget(), input.source()));
    }
    return MergedLayer.write(store, settings, folder, new StepSpec.Layer(relative.isEmpty() ? "." : relative, "/opt"),
        rebased);
  }

  private LayerBlob additionLayer(Addition addition) throws IOException {
    if (!addition.destination().startsWith("/")) {
      throw new BuildException("--add destination must be absolute: " + addition.destination());
    }
    return new LayerBuilder(settings.compression(), settings.sourceDateEpoch())
        .addFile(addition.source(), addition.destination(), new EntryAttributes(null, null, mode(addition.source())))
        .writeTo(store);
  }

  private static int mode(Path path) throws IOException {
    return ((Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777;
  }
}
