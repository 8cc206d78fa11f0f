package dev.addressmatch.batch;

import dev.addressmatch.model.AddressPair;
import dev.addressmatch.model.PairModel;
import dev.addressmatch.model.PairScore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Gathers pairs from concurrent requests into model batches and scores them on one dedicated worker
 * thread.
 *
 * <p>A batch runs as soon as it holds {@code maxSize} pairs, or when its oldest pair has waited
 * {@code maxDelay}, whichever comes first. Under load the queue is never empty, so batches fill
 * without waiting; at low load a pair waits at most {@code maxDelay}.
 *
 * <p>Admission is bounded: {@code maxQueuedPairs} permits cover pairs queued and being scored. A
 * request that does not get all its permits at once is refused with {@link OverloadedException} and
 * nothing of it is queued.
 *
 * <p>Every future this class returns completes exactly once: with the score, with the model's
 * failure (only the pairs of the failed batch), or with {@link ShutdownException} when the batcher
 * closes first. A future cancelled by its caller is skipped, not scored.
 */
public final class Batcher implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Batcher.class);

  private final PairModel model;
  private final int maxSize;
  private final long maxDelayNanos;
  private final Semaphore permits;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final BatchListener listener;
  private final Thread worker;
  private volatile boolean running = true;

  private record Pending(
      AddressPair pair, CompletableFuture<PairScore> future, long enqueuedNanos) {}

  public Batcher(
      PairModel model, int maxSize, Duration maxDelay, int maxQueuedPairs, BatchListener listener) {
    if (maxSize < 1 || maxQueuedPairs < maxSize) {
      throw new IllegalArgumentException(
          "batch size "
              + maxSize
              + " must be at least 1 and at most the queue bound "
              + maxQueuedPairs);
    }
    this.model = model;
    this.maxSize = maxSize;
    this.maxDelayNanos = maxDelay.toNanos();
    this.permits = new Semaphore(maxQueuedPairs);
    this.listener = listener;
    this.worker = new Thread(this::work, "mgeo-batcher");
    this.worker.setDaemon(true);
    this.worker.start();
  }

  /** Pairs waiting for a batch now. */
  public int queued() {
    return queue.size();
  }

  /**
   * Queues the pairs of one request, all or none.
   *
   * @throws OverloadedException when the bound on queued pairs would be exceeded
   * @throws ShutdownException when the batcher is closing
   */
  public List<CompletableFuture<PairScore>> submit(List<AddressPair> pairs) {
    if (!running) {
      throw new ShutdownException("the service is shutting down");
    }
    if (!permits.tryAcquire(pairs.size())) {
      throw new OverloadedException(
          "the service is at capacity ("
              + pairs.size()
              + " more pairs would exceed"
              + " mgeo.batch.max-queued-pairs)");
    }
    long now = System.nanoTime();
    List<CompletableFuture<PairScore>> futures = new ArrayList<>(pairs.size());
    for (AddressPair pair : pairs) {
      CompletableFuture<PairScore> future = new CompletableFuture<>();
      future.whenComplete((score, error) -> permits.release());
      futures.add(future);
      queue.add(new Pending(pair, future, now));
    }
    return futures;
  }

  private void work() {
    List<Pending> batch = new ArrayList<>(maxSize);
    while (running) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        addIfWanted(batch, first);
        long deadline = first.enqueuedNanos() + maxDelayNanos;
        while (batch.size() < maxSize) {
          long waitNanos = deadline - System.nanoTime();
          Pending next = waitNanos > 0 ? queue.poll(waitNanos, TimeUnit.NANOSECONDS) : queue.poll();
          if (next == null) {
            break;
          }
          addIfWanted(batch, next);
        }
        if (!batch.isEmpty()) {
          run(batch, System.nanoTime() - first.enqueuedNanos());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException | Error e) {
        // The batch's futures are already failed by run(); the loop must survive for later work.
        LOG.error("unexpected failure in the batching loop", e);
      } finally {
        batch.clear();
      }
    }
    failRemaining();
  }

  private static void addIfWanted(List<Pending> batch, Pending pending) {
    if (!pending.future().isDone()) {
      batch.add(pending);
    }
  }

  private void run(List<Pending> batch, long waitNanos) {
    List<AddressPair> pairs = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      pairs.add(p.pair());
    }
    long start = System.nanoTime();
    try {
      List<PairScore> scores = model.score(pairs);
      listener.batchScored(batch.size(), System.nanoTime() - start, waitNanos);
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).future().complete(scores.get(i));
      }
    } catch (Exception | Error e) {
      listener.batchFailed(batch.size(), e);
      for (Pending p : batch) {
        p.future().completeExceptionally(e);
      }
    }
  }

  private void failRemaining() {
    Pending p;
    while ((p = queue.poll()) != null) {
      p.future().completeExceptionally(new ShutdownException("the service is shutting down"));
    }
  }

  /** Stops taking work, lets the batch in progress finish, and fails what is still queued. */
  @Override
  public void close() {
    running = false;
    try {
      worker.join(Duration.ofSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    failRemaining();
  }
}
