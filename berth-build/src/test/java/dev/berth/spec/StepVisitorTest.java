package dev.berth.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class StepVisitorTest {
  /** One step of every kind. */
  private static final List<StepSpec> EVERY_KIND = List.of(
      new StepSpec.Apt(List.of("curl")),
      new StepSpec.Pip(List.of("requests")),
      new StepSpec.Requirements("requirements.txt"),
      new StepSpec.Run(new Command.Shell("make")),
      new StepSpec.Layer("layer", "/opt"),
      new StepSpec.Copy("src", "/app", null, null),
      new StepSpec.Env(Map.of("A", "1")),
      new StepSpec.DefaultEnv(Map.of("PATH", "/bin")),
      new StepSpec.Workdir("/app"),
      new StepSpec.User("1000"),
      new StepSpec.CopyFrom("build", "/out", "/app", null, null),
      new StepSpec.AddArchive("files.tgz", "/opt"),
      new StepSpec.Shell(List.of("/bin/bash", "-c")),
      new StepSpec.BuildArgs(Map.of("V", "1")),
      new StepSpec.CopyContent(new StepContent.Text("EOT", "hi"), "/etc/hi", null, null));

  @SuppressWarnings("unchecked")
  private static StepVisitor<String, RuntimeException> namingVisitor(List<StepSpec> seen) {
    return (StepVisitor<String, RuntimeException>) Proxy.newProxyInstance(StepVisitor.class.getClassLoader(),
        new Class<?>[] {StepVisitor.class}, (proxy, method, args) -> {
          seen.add((StepSpec) args[0]);
          return method.getName();
        });
  }

  @Test
  void everyKindCallsItsOwnMethodWithItself() {
    List<StepSpec> seen = new ArrayList<>();
    StepVisitor<String, RuntimeException> visitor = namingVisitor(seen);
    for (StepSpec step : EVERY_KIND) {
      String name = step.getClass().getSimpleName();
      assertThat(step.accept(visitor)).isEqualTo(Character.toLowerCase(name.charAt(0)) + name.substring(1));
    }
    assertThat(seen).containsExactlyElementsOf(EVERY_KIND);
  }

  @Test
  void theVisitorHasOneMethodPerKindOfTheSealedStep() {
    List<String> methods = Arrays.stream(StepVisitor.class.getDeclaredMethods()).map(Method::getName).sorted().toList();
    List<String> kinds = EVERY_KIND.stream().map(step -> step.getClass().getSimpleName())
        .map(name -> Character.toLowerCase(name.charAt(0)) + name.substring(1)).sorted().toList();
    assertThat(methods).isEqualTo(kinds);
    // every record that permits StepSpec (through CommandStep and PackageStep too) is in EVERY_KIND
    List<Class<?>> records = new ArrayList<>();
    collectRecords(StepSpec.class, records);
    assertThat(records).containsExactlyInAnyOrderElementsOf(EVERY_KIND.stream().map(Object::getClass).toList());
  }

  @Test
  void aPartialVisitorTreatsTheKindsItDoesNotNameAlike() {
    StepVisitor.Partial<String, RuntimeException> onlyCopies = new StepVisitor.Partial<>() {
      @Override
      public String otherwise(StepSpec step) {
        return "other";
      }

      @Override
      public String copy(StepSpec.Copy copy) {
        return "copy " + copy.src();
      }
    };
    assertThat(EVERY_KIND.stream().map(step -> step.accept(onlyCopies)).filter(answer -> !answer.equals("other")))
        .containsExactly("copy src");
  }

  private static void collectRecords(Class<?> type, List<Class<?>> out) {
    for (Class<?> permitted : type.getPermittedSubclasses()) {
      if (permitted.isRecord()) {
        if (!out.contains(permitted)) {
          out.add(permitted);
        }
      } else {
        collectRecords(permitted, out);
      }
    }
  }

  /** Only content read from the network on every plan (ADD of a URL or a git ref) keeps a no-op from being replayed. */
  @Test
  void onlyDownloadsAndGitRefsAreFetchedContent() {
    assertThat(EVERY_KIND).noneMatch(StepSpec::fetchesContent);
    assertThat(new StepSpec.CopyContent(new StepContent.Url("https://example.org/f", null), "/f", null, null)
        .fetchesContent()).isTrue();
    assertThat(new StepSpec.CopyContent(new StepContent.Url("https://example.org/f", "sha256:" + "0".repeat(64)),
        "/f", null, null).fetchesContent()).isTrue();
    assertThat(new StepSpec.CopyContent(new StepContent.Git("https://example.org/r.git", "main", null), "/r", null,
        null).fetchesContent()).isTrue();
  }
}
