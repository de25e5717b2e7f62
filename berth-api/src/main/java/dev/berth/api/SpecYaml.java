package dev.berth.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An {@link ImageSpec} written as the image.yaml it stands for. */
final class SpecYaml {
  private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .build());

  private SpecYaml() {}

  static String render(ImageSpec spec) {
    try {
      return YAML.writeValueAsString(fields(spec));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** image.yaml's keys in its own order; empty ones are left out, as a person writing it would. */
  static Map<String, Object> fields(ImageSpec spec) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", spec.name());
    out.put("base", spec.baseSpec() != null ? spec.baseSpec().name() : spec.baseReference());
    putIf(out, "platform", spec.platform());
    putIf(out, "env", spec.env().isEmpty() ? null : spec.env());
    putIf(out, "apt", spec.aptPackages().isEmpty() ? null : spec.aptPackages());
    List<Object> run = new ArrayList<>();
    if (spec.customIndex()) {
      // image.yaml's pip: takes package names only; pip's index options go on its command line.
      List<String> pip = new ArrayList<>(List.of("python3", "-m", "pip", "install", "--disable-pip-version-check",
          "--no-cache-dir"));
      if (spec.pipIndexUrl() != null) {
        pip.add("--index-url=" + spec.pipIndexUrl());
      }
      spec.pipExtraIndexUrls().forEach(url -> pip.add("--extra-index-url=" + url));
      pip.addAll(spec.pipPackages());
      run.add(pip);
      out.put("network", "host");
    } else {
      putIf(out, "pip", spec.pipPackages().isEmpty() ? null : spec.pipPackages());
    }
    putIf(out, "requirements", spec.requirements());
    run.addAll(spec.commands());
    putIf(out, "run", run.isEmpty() ? null : run);
    if (!spec.copies().isEmpty()) {
      List<Map<String, String>> copies = new ArrayList<>();
      for (ImageSpec.Copy copy : spec.copies()) {
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("src", copy.src());
        entry.put("dest", copy.dest());
        putIf(entry, "owner", copy.owner());
        putIf(entry, "mode", copy.mode());
        copies.add(entry);
      }
      out.put("copy", copies);
    }
    putIf(out, "entrypoint", spec.entrypoint());
    putIf(out, "cmd", spec.cmd());
    putIf(out, "labels", spec.labels().isEmpty() ? null : spec.labels());
    putIf(out, "verify", spec.verify().isEmpty() ? null : spec.verify());
    putIf(out, "tags", spec.tags().isEmpty() ? null : spec.tags());
    putIf(out, "gitignore", spec.gitignore() ? Boolean.TRUE : null);
    return out;
  }

  private static <T> void putIf(Map<String, T> map, String key, T value) {
    if (value != null) {
      map.put(key, value);
    }
  }
}
