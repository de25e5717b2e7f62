package dev.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.spec.Command;
import dev.berth.spec.RunMount;
import dev.berth.spec.StepSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** An SSH agent's host socket is no input of a step: keyed are the agent's id and the mount's target. */
@Tag("unit")
class SshMountKeyTest {
  private static StepSpec.Run run(String socket, String target) {
    return new StepSpec.Run(new Command.Shell("ssh-add -l"), null,
        List.of(new RunMount.Ssh("default", target, Path.of(socket))));
  }

  @Test
  void theSocketIsNotKeyed() {
    String key = StepJson.step(run("/tmp/agent-1/agent.sock", "/run/buildkit/ssh_agent.0")).toString();
    assertThat(key).doesNotContain("agent-1");
    assertThat(StepJson.step(run("/tmp/agent-2/agent.sock", "/run/buildkit/ssh_agent.0")).toString()).isEqualTo(key);
    assertThat(StepJson.step(run("/tmp/agent-1/agent.sock", "/other")).toString()).isNotEqualTo(key);
  }
}
