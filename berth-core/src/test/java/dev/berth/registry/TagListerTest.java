package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The next page of a tag listing, from Distribution's {@code Link} header. */
@Tag("unit")
class TagListerTest {
  @Test
  void theNextPageIsThePathBetweenTheAngleBrackets() {
    assertThat(TagLister.linkPath("</v2/team/app/tags/list?last=b&n=2>; rel=\"next\""))
        .isEqualTo("/v2/team/app/tags/list?last=b&n=2");
    assertThat(TagLister.linkPath("rel=\"next\"")).isNull();
  }
}
