package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ThrottledProgressTest {
  private static final Digest BLOB = Digest.sha256("blob".getBytes(StandardCharsets.UTF_8));
  private static final long MS = 1_000_000L;

  private final AtomicLong clock = new AtomicLong(1_000 * MS);
  private final List<BlobTransfer> reports = new ArrayList<>();

  private ThrottledProgress counter(long total) {
    return new ThrottledProgress(reports::add, BLOB, total, clock::get);
  }

  private List<Long> bytes() {
    return reports.stream().map(BlobTransfer::bytes).toList();
  }

  @Test
  void aFastBlobIsReportedAtTheStartEveryTwentiethAndAtTheEndNotPerBuffer() {
    long total = 100L << 20;  // 100 MiB: a twentieth is 5 MiB
    ThrottledProgress progress = counter(total);
    progress.start();
    for (long done = 64 << 10; done <= total; done += 64 << 10) {  // 1,600 buffers, no time passing
      progress.at(done);
    }
    progress.finish();
    assertThat(bytes()).first().isEqualTo(0L);
    assertThat(bytes()).last().isEqualTo(total);
    assertThat(bytes()).hasSize(1 + 20).isSorted().doesNotHaveDuplicates();
    assertThat(reports).allSatisfy(report -> {
      assertThat(report.digest()).isEqualTo(BLOB);
      assertThat(report.total()).isEqualTo(total);
    });
  }

  @Test
  void aSmallBlobMovesAtLeastOneMebibyteBetweenReportsUnlessTimePasses() {
    long total = 4L << 20;  // a twentieth is less than the 1 MiB floor
    ThrottledProgress progress = counter(total);
    progress.start();
    for (long done = 4096; done < total; done += 4096) {
      progress.at(done);
    }
    assertThat(bytes()).containsExactly(0L, 1L << 20, 2L << 20, 3L << 20);
  }

  @Test
  void aSlowBlobIsReportedEveryHundredMilliseconds() {
    ThrottledProgress progress = counter(1L << 30);
    progress.start();
    for (int i = 1; i <= 50; i++) {  // 10 kB every 10 ms: 0.5 s
      clock.addAndGet(10 * MS);
      progress.at(i * 10_000L);
    }
    assertThat(bytes()).containsExactly(0L, 100_000L, 200_000L, 300_000L, 400_000L, 500_000L);
  }

  @Test
  void aRetryCountingFromItsStartNeverMakesTheReportsGoBack() {
    ThrottledProgress progress = counter(10L << 20);
    progress.start();
    progress.at(6L << 20);
    clock.addAndGet(500 * MS);
    progress.at(1L << 20);  // the request was sent again from the beginning
    progress.at(5L << 20);
    clock.addAndGet(500 * MS);
    progress.at(7L << 20);
    progress.at(10L << 20);
    progress.finish();
    assertThat(bytes()).containsExactly(0L, 6L << 20, 7L << 20, 10L << 20);
  }

  @Test
  void anEmptyBlobAndAFinishWithoutCountsStillEndAtTheSize() {
    ThrottledProgress empty = counter(0);
    empty.start();
    empty.finish();
    assertThat(bytes()).containsExactly(0L);
    reports.clear();
    ThrottledProgress unseen = counter(1234);
    unseen.finish();
    assertThat(bytes()).containsExactly(1234L);
  }
}
