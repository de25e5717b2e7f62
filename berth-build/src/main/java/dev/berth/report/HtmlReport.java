package dev.berth.report;

import dev.berth.oci.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A {@link RunReport} as one self-contained HTML page: styles, script and pictures inline, nothing
 * fetched. The graph and the table are written here; the page's script draws the timeline from the
 * report's data, embedded as JSON.
 */
public final class HtmlReport {
  private HtmlReport() {}

  public static String render(RunReport report) throws IOException {
    String template;
    try (InputStream in = HtmlReport.class.getResourceAsStream("report.html")) {
      template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String data = new String(Json.canonical(report), StandardCharsets.UTF_8)
        .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    return template
        .replace("@TITLE@", Html.escape("berth report: " + report.tree()))
        .replace("@SUMMARY@", summary(report))
        .replace("@GRAPH@", GraphSvg.render(report.images()))
        .replace("@TABLE@", table(report))
        .replace("@FAILURES@", failures(report))
        .replace("@DATA@", data);
  }

  private static String summary(RunReport report) {
    java.util.Map<String, Long> counts = new java.util.TreeMap<>();
    report.images().forEach(image -> counts.merge(image.state(), 1L, Long::sum));
    StringBuilder out = new StringBuilder("<p class=\"summary\">");
    out.append(Html.escape(report.tree())).append(": ").append(report.images().size()).append(" images");
    counts.forEach((state, count) -> out.append(" · <span class=\"chip state-").append(Html.escape(state)).append("\">")
        .append(count).append(' ').append(Html.escape(state)).append("</span>"));
    if (report.run() != null) {
      out.append(" · last run ").append(Html.escape(report.run())).append(String.format(" (%.1f s)", report.millis() / 1000.0));
    }
    return out.append("</p>").toString();
  }

  private static String table(RunReport report) {
    StringBuilder out = new StringBuilder("<table id=\"images\"><thead><tr><th>image</th><th>state</th><th>why built</th>"
        + "<th>key</th><th>size</th><th>manifest</th><th>config</th></tr></thead><tbody>");
    for (RunReport.Image image : report.images()) {
      out.append("<tr data-image=\"").append(Html.escape(image.name())).append("\"><td>").append(Html.escape(image.name()))
          .append("</td><td><span class=\"chip state-").append(Html.escape(image.state())).append("\">")
          .append(Html.escape(image.state())).append("</span></td><td>").append(Html.escape(image.reason()))
          .append("</td><td class=\"mono\">").append(Html.escape(image.key()))
          .append("</td><td class=\"num\">").append(image.size() == null ? "" : size(image.size()))
          .append("</td><td class=\"mono\" title=\"").append(Html.escape(image.manifestDigest())).append("\">")
          .append(Html.escape(shortDigest(image.manifestDigest())))
          .append("</td><td class=\"mono\" title=\"").append(Html.escape(image.configDigest())).append("\">")
          .append(Html.escape(shortDigest(image.configDigest()))).append("</td></tr>");
    }
    return out.append("</tbody></table>").toString();
  }

  private static String failures(RunReport report) {
    StringBuilder out = new StringBuilder();
    for (RunReport.Image image : report.images()) {
      if (image.cause() != null) {
        out.append("<div class=\"failure\" data-image=\"").append(Html.escape(image.name())).append("\"><h3>")
            .append(Html.escape(image.name())).append(" <span class=\"chip state-").append(Html.escape(image.state()))
            .append("\">").append(Html.escape(image.state())).append("</span></h3><pre>")
            .append(Html.escape(image.cause()))
            .append("</pre></div>");
      }
    }
    return out.isEmpty() ? "<p>No failures.</p>" : out.toString();
  }

  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  private static String shortDigest(String digest) {
    return digest == null ? "" : digest.length() > 19 ? digest.substring(0, 19) + "…" : digest;
  }
}
