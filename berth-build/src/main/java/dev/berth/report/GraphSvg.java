package dev.berth.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dependency graph as an inline SVG: images in columns by depth (the longest chain of parents
 * before them), each box coloured by its state, arrows from an image to those built on it.
 */
final class GraphSvg {
  private static final int WIDTH = 200;
  private static final int HEIGHT = 34;
  private static final int COLUMN_GAP = 60;
  private static final int ROW_GAP = 14;

  private GraphSvg() {}

  static String render(List<RunReport.Image> images) {
    Map<String, RunReport.Image> byName = new HashMap<>();
    images.forEach(image -> byName.put(image.name(), image));
    Map<String, Integer> depth = new HashMap<>();
    images.forEach(image -> depth(image.name(), byName, depth));
    Map<Integer, List<String>> columns = new java.util.TreeMap<>();
    for (RunReport.Image image : images) {
      columns.computeIfAbsent(depth.get(image.name()), d -> new ArrayList<>()).add(image.name());
    }
    Map<String, int[]> position = new HashMap<>();
    int rows = 0;
    for (var column : columns.entrySet()) {
      int row = 0;
      for (String name : column.getValue()) {
        position.put(name, new int[] {10 + column.getKey() * (WIDTH + COLUMN_GAP), 10 + row * (HEIGHT + ROW_GAP)});
        row++;
      }
      rows = Math.max(rows, row);
    }
    int width = 20 + columns.size() * (WIDTH + COLUMN_GAP) - COLUMN_GAP;
    int height = 20 + rows * (HEIGHT + ROW_GAP) - ROW_GAP;
    StringBuilder svg = new StringBuilder();
    svg.append("<svg id=\"graph\" width=\"").append(Math.max(width, 0))
        .append("\" height=\"").append(Math.max(height, 0)).append("\" role=\"img\" aria-label=\"dependency graph\">")
        .append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">")
        .append("<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#666\"/></marker></defs>");
    for (RunReport.Image image : images) {
      int[] to = position.get(image.name());
      for (String parent : image.dependsOn()) {
        int[] from = position.get(parent);
        if (from != null) {
          svg.append("<line class=\"edge\" x1=\"").append(from[0] + WIDTH).append("\" y1=\"").append(from[1] + HEIGHT / 2)
              .append("\" x2=\"").append(to[0]).append("\" y2=\"").append(to[1] + HEIGHT / 2)
              .append("\" stroke=\"#666\" marker-end=\"url(#arrow)\"/>");
        }
      }
    }
    for (RunReport.Image image : images) {
      int[] at = position.get(image.name());
      String name = Html.escape(image.name());
      svg.append("<g class=\"node state-").append(Html.escape(image.state())).append("\" data-image=\"").append(name)
          .append("\"><title>").append(name).append(": ").append(Html.escape(image.state())).append("</title>")
          .append("<rect x=\"").append(at[0]).append("\" y=\"").append(at[1]).append("\" width=\"").append(WIDTH)
          .append("\" height=\"").append(HEIGHT).append("\" rx=\"5\"/>")
          .append("<text x=\"").append(at[0] + 8).append("\" y=\"").append(at[1] + 15).append("\">")
          .append(Html.escape(shorten(image.name(), 28))).append("</text>")
          .append("<text class=\"sub\" x=\"").append(at[0] + 8).append("\" y=\"").append(at[1] + 28).append("\">")
          .append(Html.escape(image.state())).append("</text></g>");
    }
    return svg.append("</svg>").toString();
  }

  private static int depth(String name, Map<String, RunReport.Image> byName, Map<String, Integer> depth) {
    Integer known = depth.get(name);
    if (known != null) {
      return known;
    }
    depth.put(name, 0);  // the graph is acyclic; this only guards against a journal naming a vanished image
    int deepest = -1;
    for (String parent : byName.get(name).dependsOn()) {
      if (byName.containsKey(parent)) {
        deepest = Math.max(deepest, depth(parent, byName, depth));
      }
    }
    depth.put(name, deepest + 1);
    return deepest + 1;
  }

  private static String shorten(String text, int length) {
    return text.length() <= length ? text : "…" + text.substring(text.length() - length + 1);
  }
}
