package dev.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class PlannedBaseTest {
  private static final ContentKey PARENT = new ContentKey(Digest.sha256("parent".getBytes()));

  @Test
  void aTreeParentIsKnownByItsKeyAndRecordedAsKeysAlwaysRecordedIt() {
    PlannedBase base = new PlannedBase.TreeParent(PARENT);
    assertThat(base.treeParent()).contains(PARENT);
    assertThat(base.recorded()).isEqualTo("tree:" + PARENT.digest());
    assertThat(base.shown()).isEqualTo("key " + PARENT.digest());
  }

  @Test
  void anExternalBaseIsItsIdentity() {
    PlannedBase base = new PlannedBase.External("sha256:abc");
    assertThat(base.treeParent()).isEmpty();
    assertThat(base.recorded()).isEqualTo("sha256:abc");
    assertThat(base.shown()).isEqualTo("sha256:abc");
  }

  @Test
  void theKeyDependsOnWhichKindOfBase() {
    BuildSettings settings = new BuildSettings(dev.berth.layer.Compression.GZIP, 0);
    ContentKey onParent = ContentKey.compute(java.util.Map.of(), java.util.List.of(),
        new PlannedBase.TreeParent(PARENT), settings);
    ContentKey onDigest = ContentKey.compute(java.util.Map.of(), java.util.List.of(),
        new PlannedBase.External(PARENT.digest().toString()), settings);
    assertThat(onParent).isNotEqualTo(onDigest);
  }
}
