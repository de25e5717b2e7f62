package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The packages of berth's main code (core, build, api, cli) depend on one another without a cycle.
 * Each class file's constant pool names the classes it uses; a package depends on another when one
 * of its classes names one of the other's. Strongly connected components (Tarjan) of more than one
 * package are cycles.
 */
@Tag("unit")
class PackageCyclesTest {
  private static final Pattern CLASS_NAME = Pattern.compile("dev/berth/((?:[a-z0-9_]+/)*)[A-Z][A-Za-z0-9_$]*");

  @Test
  void noPackageCycle() throws IOException, URISyntaxException {
    Map<String, Set<String>> graph = new TreeMap<>();
    for (Class<?> module : List.of(dev.berth.oci.Digest.class, dev.berth.engine.ContentKey.class,
        dev.berth.api.tree.Session.class, Main.class)) {
      Path location = Path.of(module.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isDirectory(location)) {
        try (Stream<Path> files = Files.walk(location)) {
          for (Path file : files.filter(path -> path.toString().endsWith(".class")).toList()) {
            try (InputStream in = Files.newInputStream(file)) {
              add(graph, location.relativize(file).toString().replace('\\', '/'), in);
            }
          }
        }
      } else {
        try (ZipFile jar = new ZipFile(location.toFile())) {
          for (var entry : java.util.Collections.list(jar.entries())) {
            if (entry.getName().endsWith(".class") && entry.getName().startsWith("dev/berth/")) {
              try (InputStream in = jar.getInputStream(entry)) {
                add(graph, entry.getName(), in);
              }
            }
          }
        }
      }
    }
    assertThat(graph).hasSizeGreaterThan(20);
    assertThat(cycles(graph)).isEmpty();
  }

  @Test
  void findsACycle() {
    Map<String, Set<String>> graph = new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"),
        "d", Set.of("a")));
    assertThat(cycles(graph)).containsExactly(List.of("a", "b", "c"));
  }

  private static void add(Map<String, Set<String>> graph, String classFile, InputStream in) throws IOException {
    String from = classFile.substring(0, classFile.lastIndexOf('/')).replace('/', '.');
    Set<String> to = graph.computeIfAbsent(from, key -> new TreeSet<>());
    for (String text : utf8Constants(in)) {
      Matcher matcher = CLASS_NAME.matcher(text);
      while (matcher.find()) {
        String folder = matcher.group(1);
        String used = ("dev/berth/" + folder).replaceAll("/$", "").replace('/', '.');
        if (!used.equals(from) && !used.equals("dev.berth")) {
          to.add(used);
        }
      }
    }
  }

  /** The UTF-8 entries of a class file's constant pool: class names and descriptors among them. */
  private static List<String> utf8Constants(InputStream raw) throws IOException {
    DataInputStream in = new DataInputStream(raw);
    in.readInt();  // magic
    in.readUnsignedShort();
    in.readUnsignedShort();
    int count = in.readUnsignedShort();
    List<String> out = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> out.add(in.readUTF());
        case 7, 8, 16, 19, 20 -> in.skipBytes(2);
        case 15 -> in.skipBytes(3);
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
        case 5, 6 -> {
          in.skipBytes(8);
          i++;  // a long or double takes two entries
        }
        default -> throw new IOException("unknown constant pool tag " + tag);
      }
    }
    return out;
  }

  /** The strongly connected components of more than one package, each sorted. */
  static List<List<String>> cycles(Map<String, Set<String>> graph) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    List<List<String>> out = new ArrayList<>();
    for (String node : graph.keySet()) {
      if (!index.containsKey(node)) {
        connect(node, graph, index, low, stack, out);
      }
    }
    return out;
  }

  private static void connect(String node, Map<String, Set<String>> graph, Map<String, Integer> index,
      Map<String, Integer> low, Deque<String> stack, List<List<String>> out) {
    index.put(node, index.size());
    low.put(node, index.get(node));
    stack.push(node);
    for (String next : graph.getOrDefault(node, Set.of())) {
      if (!index.containsKey(next)) {
        connect(next, graph, index, low, stack, out);
        low.put(node, Math.min(low.get(node), low.get(next)));
      } else if (stack.contains(next)) {
        low.put(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node).equals(index.get(node))) {
      List<String> component = new ArrayList<>();
      String member;
      do {
        member = stack.pop();
        component.add(member);
      } while (!member.equals(node));
      if (component.size() > 1) {
        component.sort(null);
        out.add(component);
      }
    }
  }
}
