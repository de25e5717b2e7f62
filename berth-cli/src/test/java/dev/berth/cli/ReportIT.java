package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth report}: the HTML page of a run, loaded in headless Chromium (its DOM after the page's
 * script ran, its console, a screenshot kept under target/report-screenshots/).
 */
@Tag("integration")
@Tag("chromium")
@Tag("runc")
class ReportIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final Path SCREENSHOTS = Path.of("target", "report-screenshots").toAbsolutePath();
  @TempDir Path work;
  Berth berth;
  Chromium chromium;

  @BeforeEach
  void base() throws Exception {
    berth = new Berth(work.resolve("store"));
    chromium = new Chromium(work);
    String rootfs = Berth.tool(REPO, REPO.resolve("examples/make-busybox-rootfs").toString()).strip();
    berth.run("import", rootfs, "--as", "examples/busybox:1").succeeded();
  }

  private static int count(String text, String pattern) {
    Matcher matcher = Pattern.compile(pattern).matcher(text);
    int count = 0;
    while (matcher.find()) {
      count++;
    }
    return count;
  }

  private static List<String> attributeValues(String dom, String pattern) {
    List<String> out = new ArrayList<>();
    Matcher matcher = Pattern.compile(pattern).matcher(dom);
    while (matcher.find()) {
      out.add(matcher.group(1));
    }
    return out;
  }

  @Test
  void theDockerPkgExampleTreeHasABarPerImageWithStepsAndCacheHitsAndNoConsoleErrors() throws Exception {
    Path tree = work.resolve("docker-pkg");
    Berth.tool(work, "cp", "-r", REPO.resolve("examples/docker-pkg").toString(), tree.toString());
    Berth.tool(work, "rm", "-rf", tree.resolve(".berth").toString());  // the report is of this tree's first run
    berth.run("build", tree.toString()).succeeded();
    JsonNode status = Json.tree(berth.run("status", tree.toString(), "--output", "json").succeeded()
        .stdout().getBytes(StandardCharsets.UTF_8));
    List<String> images = new ArrayList<>();
    status.get("images").forEach(image -> images.add(image.get("name").asText()));
    assertThat(images).hasSize(7);

    Path report = work.resolve("report.html");
    berth.run("report", tree.toString(), "--output", report.toString()).succeeded();
    String html = Files.readString(report);
    assertThat(html).as("nothing fetched: no src or href attribute, no url() but the page's own")
        .doesNotContainPattern("\\b(src|href)\\s*=").doesNotContainPattern("url\\((?!#)")
        .doesNotContain("<link").contains("default-src 'none'");

    Chromium.Page page = chromium.load(report);
    chromium.screenshot(report, SCREENSHOTS.resolve("docker-pkg-first-run.png"));
    assertThat(page.console()).as("console messages").isEmpty();
    assertThat(attributeValues(page.dom(), "<g class=\"state-verified\" data-image=\"([^\"]+)\"><rect class=\"bar\""))
        .as("one timeline bar per image").containsExactlyInAnyOrderElementsOf(images);
    assertThat(count(page.dom(), "class=\"seg step( cached)?\"")).as("step segments").isGreaterThanOrEqualTo(images.size());
    assertThat(count(page.dom(), "class=\"seg verify\"")).isEqualTo(images.size());
    assertThat(attributeValues(page.dom(), "<g class=\"node state-([a-z-]+)\"")).hasSize(7).containsOnly("verified");
    JsonNode index = Json.tree(Files.readAllBytes(work.resolve("store/index.json")));
    for (JsonNode image : status.get("images")) {
      String name = image.get("name").asText() + ":" + image.get("key").asText();
      String manifestDigest = null;
      for (JsonNode manifest : index.get("manifests")) {
        if (name.equals(manifest.path("annotations").path("org.opencontainers.image.ref.name").asText())) {
          manifestDigest = manifest.get("digest").asText();
        }
      }
      assertThat(manifestDigest).as("%s in the store's index.json", name).isNotNull();
      assertThat(page.dom()).as("the manifest digest of %s", name).contains(manifestDigest);
    }

    // one image changed: the others are found in the store, the changed one takes its first steps from the cache
    Path template = tree.resolve("images/cron/Dockerfile.template");
    Files.writeString(template, Files.readString(template) + "LABEL changed=yes\n");
    berth.run("build", tree.toString()).succeeded();
    berth.run("report", tree.toString(), "--output", report.toString()).succeeded();
    Chromium.Page second = chromium.load(report);
    chromium.screenshot(report, SCREENSHOTS.resolve("docker-pkg-one-changed.png"));
    assertThat(second.console()).isEmpty();
    assertThat(count(second.dom(), "<rect class=\"bar\"")).isEqualTo(images.size());
    assertThat(attributeValues(second.dom(), "<g class=\"state-([a-z-]+)\" data-image=\"cron\"")).containsExactly("verified");
    assertThat(count(second.dom(), "<g class=\"state-cached\"")).isEqualTo(images.size() - 1);
    assertThat(count(second.dom(), "class=\"seg step cached\"")).as("cron's unchanged steps, from the cache")
        .isGreaterThanOrEqualTo(1);
    JsonNode cron = null;
    for (JsonNode image : Json.tree(berth.run("status", tree.toString(), "--output", "json").succeeded().stdout()
        .getBytes(StandardCharsets.UTF_8)).get("images")) {
      cron = image.get("name").asText().equals("cron") ? image : cron;
    }
    assertThat(cron.get("reason").asText()).as("why cron was built").isNotEqualTo("new");
    assertThat(second.dom()).contains("<td>" + cron.get("reason").asText() + "</td>");
  }

  @Test
  void aFailedStepShowsItsLastOutputLinesAndItsBlockedDependent() throws Exception {
    Path tree = work.resolve("tree");
    Files.createDirectories(tree.resolve("broken"));
    Files.writeString(tree.resolve("broken/image.yaml"),
        "base: examples/busybox:1\nrun: [\"echo first-line; echo the-last-words-of-the-step; exit 3\"]\n");
    Files.createDirectories(tree.resolve("child"));
    Files.writeString(tree.resolve("child/image.yaml"), "base: broken\nenv: {A: b}\n");
    assertThat(berth.run("build", tree.toString()).exitCode()).isEqualTo(1);
    Path report = work.resolve("failed.html");
    berth.run("report", tree.toString(), "--output", report.toString()).succeeded();
    Chromium.Page page = chromium.load(report);
    chromium.screenshot(report, SCREENSHOTS.resolve("failed-step.png"));
    assertThat(page.console()).isEmpty();
    assertThat(page.dom()).contains("<g class=\"node state-failed\" data-image=\"broken\"")
        .contains("<g class=\"node state-blocked\" data-image=\"child\"");
    String failure = page.dom().substring(page.dom().indexOf("<div class=\"failure\" data-image=\"broken\""));
    assertThat(failure).contains("exited 3").contains("the-last-words-of-the-step");
  }

  @Test
  void aReportInAMissingDirectoryIsOneLineAndWritesNothing() throws Exception {
    Path tree = work.resolve("tree");
    Files.createDirectories(tree.resolve("a"));
    Files.writeString(tree.resolve("a/image.yaml"), "base: scratch\n");
    berth.run("report", tree.toString(), "--output", work.resolve("missing/report.html").toString())
        .failedWithOneLine("missing/report.html: the directory for the report does not exist");
    assertThat(work.resolve("missing")).doesNotExist();
  }
}
