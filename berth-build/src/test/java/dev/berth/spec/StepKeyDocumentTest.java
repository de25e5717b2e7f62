package dev.berth.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Each step kind's key document, byte for byte: a change here changes every key built with that kind. */
@Tag("unit")
class StepKeyDocumentTest {
  private static String keyed(StepSpec step) {
    return new String(Json.canonical(step.keyDocument()), StandardCharsets.UTF_8);
  }

  @Test
  void packageSteps() {
    assertThat(keyed(new StepSpec.Apt(List.of("jq", "curl")))).isEqualTo("{\"apt\":[\"jq\",\"curl\"]}");
    assertThat(keyed(new StepSpec.Pip(List.of("requests")))).isEqualTo("{\"pip\":[\"requests\"]}");
    assertThat(keyed(new StepSpec.Requirements("req.txt"))).isEqualTo("{\"requirements\":\"req.txt\"}");
  }

  @Test
  void runWithItsNetworkAndMounts() {
    StepSpec.Run run = new StepSpec.Run(new Command.Shell("make"), ImageSpec.Network.NONE, List.of(
        new RunMount.Bind("src", "/src", false), new RunMount.Tmpfs("/tmp", 0),
        new RunMount.ImageBind("tools", "/bin", "/tools", true),
        new RunMount.Ssh("default", "/ssh", java.nio.file.Path.of("/host/agent.sock"))));
    assertThat(keyed(run)).isEqualTo("{\"run\":\"make\",\"runMounts\":[{\"bind\":\"src\",\"rw\":false,"
        + "\"target\":\"/src\"},{\"size\":0,\"tmpfs\":\"/tmp\"},{\"bindFrom\":\"tools\",\"rw\":true,"
        + "\"source\":\"/bin\",\"target\":\"/tools\"},{\"ssh\":\"default\",\"target\":\"/ssh\"}],"
        + "\"runNetwork\":\"NONE\"}");
    assertThat(keyed(new StepSpec.Run(new Command.Exec(List.of("a", "b"))))).isEqualTo("{\"run\":[\"a\",\"b\"]}");
  }

  @Test
  void copies() {
    assertThat(keyed(new StepSpec.Copy("app", "/app", null, "0644", List.of("*.tmp"))))
        .isEqualTo("{\"copy\":{\"dest\":\"/app\",\"excludes\":[\"*.tmp\"],\"mode\":\"0644\",\"src\":\"app\"}}");
    assertThat(keyed(new StepSpec.CopyFrom("build", "/out", "/app", "1:1", null, List.of(), true)))
        .isEqualTo("{\"copyFrom\":{\"dest\":\"/app\",\"image\":\"build\",\"owner\":\"1:1\",\"parents\":true,"
            + "\"src\":\"/out\"}}");
    assertThat(keyed(new StepSpec.AddArchive("a.tgz", "/opt"))).isEqualTo("{\"addArchive\":{\"dest\":\"/opt\",\"src\":\"a.tgz\"}}");
    assertThat(keyed(new StepSpec.Layer("lib", "/opt"))).isEqualTo("{\"layers\":{\"dest\":\"/opt\",\"src\":\"lib\"}}");
    assertThat(keyed(new StepSpec.CopyContent(new StepContent.Url("https://x/y", null), "/y", null, null)))
        .isEqualTo("{\"copyContent\":{\"dest\":\"/y\",\"url\":\"https://x/y\"}}");
    assertThat(keyed(new StepSpec.CopyContent(new StepContent.Git("https://x/r.git", null, null), "/r", null,
        null))).isEqualTo("{\"copyContent\":{\"dest\":\"/r\",\"git\":\"https://x/r.git\",\"ref\":\"HEAD\",\"subdir\":\"\"}}");
    assertThat(keyed(new StepSpec.CopyContent(new StepContent.Text("EOF", "hi"), "/f", null, null)))
        .isEqualTo("{\"copyContent\":{\"dest\":\"/f\",\"heredoc\":\"EOF\"}}");
  }

  @Test
  void configurationSteps() {
    assertThat(keyed(new StepSpec.Env(Map.of("B", "2", "A", "1")))).isEqualTo("{\"env\":{\"A\":\"1\",\"B\":\"2\"}}");
    assertThat(keyed(new StepSpec.DefaultEnv(Map.of("PATH", "/bin")))).isEqualTo("{\"defaultEnv\":{\"PATH\":\"/bin\"}}");
    assertThat(keyed(new StepSpec.Workdir("/w"))).isEqualTo("{\"workdir\":\"/w\"}");
    assertThat(keyed(new StepSpec.User("app"))).isEqualTo("{\"user\":\"app\"}");
    assertThat(keyed(new StepSpec.Shell(List.of("/bin/bash", "-c")))).isEqualTo("{\"shell\":[\"/bin/bash\",\"-c\"]}");
    assertThat(keyed(new StepSpec.BuildArgs(Map.of("V", "1")))).isEqualTo("{\"buildArgs\":{\"V\":\"1\"}}");
  }

  @Test
  void whatEachStepReadsFromTheFolder() {
    assertThat(new StepSpec.Copy("app", "/app", null, null).contextSource())
        .contains(new StepSpec.ContextSource("app", "copy.src"));
    assertThat(new StepSpec.Requirements("r.txt").contextSource())
        .contains(new StepSpec.ContextSource("r.txt", "requirements"));
    assertThat(new StepSpec.Apt(List.of("jq")).contextSource()).isEmpty();
    assertThat(new StepSpec.Pip(List.of("x")).installsPackages()).isTrue();
    assertThat(new StepSpec.Run(new Command.Shell("true")).installsPackages()).isFalse();
  }
}
