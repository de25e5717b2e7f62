package dev.berth.sbom;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.ContentKey;
import dev.berth.engine.ImageBuilder;
import dev.berth.engine.PreparedImage;
import dev.berth.engine.InputFile;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;

/**
 * An in-toto statement with an SLSA provenance v1 predicate for one image. Its resolved dependencies
 * are exactly the inputs of the content key: the base manifest, each input file, and the spec; the
 * key itself is a byproduct, and {@code buildType} names berth and the builder that ran.
 */
public final class Provenance {
  public static final String MEDIA_TYPE = "application/vnd.in-toto+json";
  public static final String PREDICATE_TYPE = "https://slsa.dev/provenance/v1";
  public static final String BUILD_TYPE = "https://berth.dev/buildtypes/image/v1";

  private Provenance() {}

  /** The statement for {@code manifest}, built by {@code builder} from {@code prepared} on the base {@code baseDigest} (null: scratch). */
  public static byte[] write(PreparedImage prepared, String baseReference, Digest baseDigest,
      Digest manifest, String builder, String created) {
    ObjectNode statement = Json.mapper().createObjectNode();
    statement.put("_type", "https://in-toto.io/Statement/v1");
    ObjectNode subject = statement.putArray("subject").addObject();
    subject.put("name", prepared.spec().name());
    digest(subject, manifest);
    statement.put("predicateType", PREDICATE_TYPE);
    ObjectNode predicate = statement.putObject("predicate");
    ObjectNode definition = predicate.putObject("buildDefinition");
    definition.put("buildType", BUILD_TYPE);
    ObjectNode external = definition.putObject("externalParameters");
    external.put("image", prepared.spec().name());
    external.put("base", baseReference);
    if (prepared.version() != null) {
      external.put("version", prepared.version());
    }
    definition.putObject("internalParameters").put("builder", builder);
    ArrayNode dependencies = definition.putArray("resolvedDependencies");
    if (baseDigest != null) {
      ObjectNode base = dependencies.addObject();
      base.put("name", "base");
      base.put("uri", baseReference);
      digest(base, baseDigest);
    }
    for (InputFile input : prepared.inputs().values()) {
      if (input.kind() == InputFile.Kind.FILE && input.digest() != null) {
        ObjectNode file = dependencies.addObject();
        file.put("name", input.path());
        digest(file, input.digest());
      }
    }
    ObjectNode spec = dependencies.addObject();
    spec.put("name", "spec");
    digest(spec, Digest.parse(ContentKey.specDigest(prepared.spec())));
    ObjectNode run = predicate.putObject("runDetails");
    ObjectNode builderNode = run.putObject("builder");
    builderNode.put("id", "https://berth.dev/builders/" + builder);
    ObjectNode metadata = run.putObject("metadata");
    metadata.put("invocationId", prepared.key().tag());
    metadata.put("startedOn", created);
    ObjectNode key = run.putArray("byproducts").addObject();
    key.put("name", "content-key");
    digest(key, prepared.key().digest());
    return Json.canonical(statement);
  }

  /** Refuses a document that is not an in-toto statement with an SLSA provenance predicate; {@code where} names it. */
  public static void check(byte[] document, String where) {
    com.fasterxml.jackson.databind.JsonNode statement = Json.tree(document);
    if (!statement.path("_type").asText().startsWith("https://in-toto.io/Statement/")
        || !PREDICATE_TYPE.equals(statement.path("predicateType").asText())) {
      throw new dev.berth.oci.InvalidContentException(where + ": not an in-toto statement with an SLSA provenance v1 predicate");
    }
  }

  private static void digest(ObjectNode node, Digest digest) {
    node.putObject("digest").put(digest.algorithm(), digest.hex());
  }
}
