package dev.berth.registry;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class FileRangePublisherTest {
  private static final int SIZE = 5 * FileRangePublisher.CHUNK_SIZE / 2 + 123;

  @TempDir Path temp;
  private Path file;
  private byte[] content;

  @BeforeEach
  void writeFile() throws IOException {
    content = new byte[SIZE];
    new Random(7).nextBytes(content);
    file = Files.write(temp.resolve("blob"), content);
  }

  @Test
  void deliversTheRangeInLargeChunksWhenTheSubscriberRequestsFromOnNext() {
    Collector collector = new Collector(1);
    FileRangePublisher.range(file, 1000, SIZE - 2000).subscribe(collector);

    assertThat(collector.completed).isTrue();
    assertThat(collector.error).isNull();
    assertThat(collector.bytes.toByteArray()).isEqualTo(Arrays.copyOfRange(content, 1000, SIZE - 1000));
    assertThat(collector.chunkSizes).hasSize(3).startsWith(FileRangePublisher.CHUNK_SIZE);
  }

  @Test
  void sendsTheWholeFileAgainToEachSubscriber() {
    FileRangePublisher publisher = FileRangePublisher.whole(file, SIZE);
    Collector first = new Collector(Long.MAX_VALUE);
    Collector second = new Collector(Long.MAX_VALUE);
    publisher.subscribe(first);
    publisher.subscribe(second);

    assertThat(publisher.contentLength()).isEqualTo(SIZE);
    assertThat(first.bytes.toByteArray()).isEqualTo(content);
    assertThat(second.bytes.toByteArray()).isEqualTo(content);
  }

  @Test
  void sendsNothingBeforeDemandAndStopsWhenCancelled() {
    Collector collector = new Collector(0);
    FileRangePublisher.whole(file, SIZE).subscribe(collector);
    assertThat(collector.chunkSizes).isEmpty();

    collector.subscription.request(1);
    collector.subscription.cancel();
    collector.subscription.request(5);

    assertThat(collector.chunkSizes).containsExactly(FileRangePublisher.CHUNK_SIZE);
    assertThat(collector.completed).isFalse();
    assertThat(collector.error).isNull();
  }

  @Test
  void aFileShorterThanTheRangeIsAnError() {
    Collector collector = new Collector(Long.MAX_VALUE);
    FileRangePublisher.whole(file, SIZE + 10).subscribe(collector);

    assertThat(collector.completed).isFalse();
    assertThat(collector.error).isInstanceOf(IOException.class).hasMessageContaining("ended after " + SIZE);
  }

  @Test
  void aNonPositiveRequestIsAnError() {
    Collector collector = new Collector(0);
    FileRangePublisher.whole(file, SIZE).subscribe(collector);
    collector.subscription.request(0);

    assertThat(collector.error).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEmptyRangeCompletesAtOnce() {
    Collector collector = new Collector(0);
    FileRangePublisher.range(file, 10, 0).subscribe(collector);

    assertThat(collector.completed).isTrue();
    assertThat(collector.chunkSizes).isEmpty();
  }

  /** Requests {@code initial} on subscription and, if that was 1, one more after each chunk. */
  private static final class Collector implements Flow.Subscriber<ByteBuffer> {
    final long initial;
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final List<Integer> chunkSizes = new ArrayList<>();
    Flow.Subscription subscription;
    boolean completed;
    Throwable error;

    Collector(long initial) {
      this.initial = initial;
    }

    @Override
    public void onSubscribe(Flow.Subscription value) {
      subscription = value;
      if (initial > 0) {
        value.request(initial);
      }
    }

    @Override
    public void onNext(ByteBuffer item) {
      chunkSizes.add(item.remaining());
      byte[] chunk = new byte[item.remaining()];
      item.get(chunk);
      bytes.writeBytes(chunk);
      if (initial == 1) {
        subscription.request(1);
      }
    }

    @Override
    public void onError(Throwable throwable) {
      error = throwable;
    }

    @Override
    public void onComplete() {
      completed = true;
    }
  }
}
