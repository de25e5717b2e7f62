package dev.berth.api.tree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.engine.ContentKey;
import dev.berth.engine.PlatformIndex;
import dev.berth.oci.Digest;
import dev.berth.oci.Platform;
import dev.berth.plan.Plan;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class IndexPlanTest {
  private static final Platform AMD64 = Platform.parse("linux/amd64");
  private static final Platform ARM64 = Platform.parse("linux/arm64");

  private static ContentKey key(String seed) {
    return new ContentKey(Digest.sha256(seed.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theIndexKeyIsKnownBeforeBuildingAndIsTheKeyTheRunWrites() {
    List<IndexPlan.Child> children = List.of(new IndexPlan.Child(AMD64, Plan.Action.BUILD, key("a")),
        new IndexPlan.Child(ARM64, Plan.Action.CACHED, key("b")));
    IndexPlan planned = IndexPlan.of("app", children, key -> false);
    ContentKey written = PlatformIndex.key(List.of(new PlatformIndex.Child(AMD64, key("a"), null),
        new PlatformIndex.Child(ARM64, key("b"), null)));
    assertThat(planned).isEqualTo(new IndexPlan("app", written.tag(), Plan.Action.BUILD,
        "no index " + written.tag() + " over 2 platforms in the store", List.of(AMD64, ARM64)));
    assertThat(IndexPlan.of("app", children, written::equals)).as("present, but a child is built again")
        .isEqualTo(new IndexPlan("app", written.tag(), Plan.Action.BUILD,
            "written again over the children built again", List.of(AMD64, ARM64)));
    List<IndexPlan.Child> cached = List.of(new IndexPlan.Child(AMD64, Plan.Action.CACHED, key("a")),
        new IndexPlan.Child(ARM64, Plan.Action.CACHED, key("b")));
    assertThat(IndexPlan.of("app", cached, written::equals).action()).isEqualTo(Plan.Action.CACHED);
    assertThat(IndexPlan.of("app", cached, written::equals).platformNames()).containsExactly("linux/amd64", "linux/arm64");
    assertThat(IndexPlan.of("app", List.of(children.get(1), children.get(0)), key -> false).key())
        .as("the platform order is part of the index").isNotEqualTo(written.tag());
  }

  @Test
  void aPlatformThatCannotBeBuiltBlocksTheIndex() {
    IndexPlan planned = IndexPlan.of("app", List.of(new IndexPlan.Child(AMD64, Plan.Action.CACHED, key("a")),
        new IndexPlan.Child(ARM64, Plan.Action.FAILED, null)), key -> true);
    assertThat(planned.action()).isEqualTo(Plan.Action.BLOCKED);
    assertThat(planned.key()).isNull();
    assertThat(planned.reason()).isEqualTo("not every platform can be built: linux/arm64 failed");
    assertThat(planned.platforms()).containsExactly(AMD64, ARM64);
  }
}
