package dev.addressmatch.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressmatch.engine.InferenceException;
import dev.addressmatch.model.ModelManifest;
import dev.addressmatch.model.PairModel;
import dev.addressmatch.model.PairScore;
import dev.addressmatch.model.PreparedPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batcher's promises, with a model that the test steps by hand and a clock it sets: every
 * future completes once, failures stay in their batch, admission is bounded, abandoned pairs are
 * not scored.
 */
class BatcherTest {

  /** A pair whose score is its own number. */
  record Pair(int value) implements PreparedPair {
    @Override
    public int rows() {
      return 1;
    }

    @Override
    public int maxLength() {
      return 10;
    }

    @Override
    public int tokens() {
      return 10;
    }
  }

  /** A model that reports each batch it is given and waits for the test to release it. */
  static final class SteppedModel implements PairModel {
    final BlockingQueue<List<Integer>> batches = new LinkedBlockingQueue<>();
    final BlockingQueue<Boolean> releases = new LinkedBlockingQueue<>();

    @Override
    public List<PairScore> scoreBatch(List<PreparedPair> pairs) throws InferenceException {
      List<Integer> values = pairs.stream().map(p -> ((Pair) p).value()).toList();
      batches.add(values);
      try {
        if (!releases.take()) {
          throw new InferenceException("injected failure", new IllegalStateException());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InferenceException("interrupted", e);
      }
      List<PairScore> scores = new ArrayList<>();
      for (int v : values) {
        scores.add(PairScore.ofSimilarity(v));
      }
      return scores;
    }

    List<Integer> nextBatch() throws InterruptedException {
      List<Integer> batch = batches.poll(10, TimeUnit.SECONDS);
      assertTrue(batch != null, "no batch reached the model");
      return batch;
    }

    @Override
    public PreparedPair prepare(dev.addressmatch.model.AddressPair pair) {
      throw new UnsupportedOperationException();
    }

    @Override
    public PairScore scoreWithoutModel(PreparedPair pair) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ModelManifest manifest() {
      return null;
    }
  }

  static final BatchListener QUIET =
      new BatchListener() {
        @Override
        public void batchScored(List<PreparedPair> pairs, long inferenceNanos, long waitNanos) {}

        @Override
        public void batchFailed(int size, Throwable cause) {}
      };

  private final SteppedModel model = new SteppedModel();
  private final AtomicLong clock = new AtomicLong();
  private Batcher batcher;

  private Batcher batcher(int maxSize, int maxQueued) {
    // A delay of zero: batches form from whatever is queued when the worker looks.
    batcher = new Batcher(model, new BatchPolicy(maxSize, 0, 10_000), maxQueued, QUIET, clock::get);
    return batcher;
  }

  @AfterEach
  void close() {
    model.releases.add(true);
    model.releases.add(true);
    batcher.close(Duration.ofSeconds(5));
  }

  private static List<PreparedPair> pairs(int... values) {
    List<PreparedPair> list = new ArrayList<>();
    for (int v : values) {
      list.add(new Pair(v));
    }
    return list;
  }

  @Test
  void requestsQueuedWhileTheModelIsBusyShareTheNextBatch() throws Exception {
    batcher(8, 64);
    List<CompletableFuture<PairScore>> first = batcher.submit(pairs(1));
    assertEquals(List.of(1), model.nextBatch());
    List<CompletableFuture<PairScore>> second = batcher.submit(pairs(2, 3));
    List<CompletableFuture<PairScore>> third = batcher.submit(pairs(4));
    model.releases.add(true);
    assertEquals(List.of(2, 3, 4), model.nextBatch());
    model.releases.add(true);
    assertEquals(1.0, first.get(0).get(5, TimeUnit.SECONDS).similarity());
    assertEquals(3.0, second.get(1).get(5, TimeUnit.SECONDS).similarity());
    assertEquals(4.0, third.get(0).get(5, TimeUnit.SECONDS).similarity());
  }

  @Test
  void aModelFailureFailsOnlyItsOwnBatch() throws Exception {
    batcher(8, 64);
    List<CompletableFuture<PairScore>> failed = batcher.submit(pairs(1));
    assertEquals(List.of(1), model.nextBatch());
    List<CompletableFuture<PairScore>> later = batcher.submit(pairs(2));
    model.releases.add(false);
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> failed.get(0).get(5, TimeUnit.SECONDS));
    assertInstanceOf(InferenceException.class, e.getCause());
    assertEquals(List.of(2), model.nextBatch());
    model.releases.add(true);
    assertEquals(2.0, later.get(0).get(5, TimeUnit.SECONDS).similarity());
  }

  @Test
  void admissionIsBoundedAndRefusesWholeRequests() throws Exception {
    batcher(2, 4);
    batcher.submit(pairs(1));
    assertEquals(List.of(1), model.nextBatch());
    batcher.submit(pairs(2, 3, 4));
    OverloadedException e = assertThrows(OverloadedException.class, () -> batcher.submit(pairs(5)));
    assertTrue(e.getMessage().contains("mgeo.batch.max-queued-pairs"));
    model.releases.add(true);
    assertEquals(List.of(2, 3), model.nextBatch());
    model.releases.add(true);
    assertEquals(List.of(4), model.nextBatch());
    model.releases.add(true);
    // Permits come back as futures complete: a new request is admitted again.
    CountDownLatch admitted = new CountDownLatch(1);
    for (int attempt = 0; attempt < 100 && admitted.getCount() > 0; attempt++) {
      try {
        batcher.submit(pairs(6));
        admitted.countDown();
      } catch (OverloadedException stillFull) {
        Thread.onSpinWait();
      }
    }
    assertEquals(List.of(6), model.nextBatch());
  }

  @Test
  void abandonedPairsAreNotScored() throws Exception {
    batcher(8, 64);
    batcher.submit(pairs(1));
    assertEquals(List.of(1), model.nextBatch());
    List<CompletableFuture<PairScore>> gone = batcher.submit(pairs(2));
    List<CompletableFuture<PairScore>> kept = batcher.submit(pairs(3));
    gone.get(0).cancel(false);
    model.releases.add(true);
    assertEquals(List.of(3), model.nextBatch());
    model.releases.add(true);
    assertEquals(3.0, kept.get(0).get(5, TimeUnit.SECONDS).similarity());
  }

  @Test
  void closingFailsQueuedPairsAndLetsTheRunningBatchFinish() throws Exception {
    batcher(8, 64);
    List<CompletableFuture<PairScore>> running = batcher.submit(pairs(1));
    assertEquals(List.of(1), model.nextBatch());
    List<CompletableFuture<PairScore>> queued = batcher.submit(pairs(2, 3));
    CompletableFuture<Void> closed =
        CompletableFuture.runAsync(() -> batcher.close(Duration.ofSeconds(5)));
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> queued.get(0).get(5, TimeUnit.SECONDS));
    assertInstanceOf(ShutdownException.class, e.getCause());
    model.releases.add(true);
    closed.get(5, TimeUnit.SECONDS);
    assertEquals(1.0, running.get(0).get(5, TimeUnit.SECONDS).similarity());
    assertThrows(ShutdownException.class, () -> batcher.submit(pairs(4)));
  }
}
