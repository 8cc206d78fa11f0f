package dev.addressmatch.batch;

import dev.addressmatch.model.PairModel;
import dev.addressmatch.model.PairScore;
import dev.addressmatch.model.PreparedPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Gathers prepared pairs from concurrent requests into model batches, formed by a {@link
 * BatchPolicy}, and scores them on one dedicated worker thread, the only thread that runs the
 * model.
 *
 * <p>Admission is bounded: {@code maxQueuedPairs} permits cover pairs queued and being scored. A
 * request that does not get all its permits at once is refused with {@link OverloadedException} and
 * nothing of it is queued.
 *
 * <p>Every future returned completes exactly once: with the score; with the model's failure (only
 * the pairs of the failed batch); with {@link ShutdownException} when the batcher closes first; or
 * by the caller, who may cancel it or time it out. A future already completed by its caller is
 * dropped from the queue, never scored, and a late score for it is discarded.
 */
public final class Batcher implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Batcher.class);

  private final PairModel model;
  private final BatchPolicy policy;
  private final LongSupplier nanoClock;
  private final Semaphore permits;
  private final BatchListener listener;
  private final Thread worker;

  /** Guards {@link #queue} and {@link #running}; {@link #arrived} is signalled on new work. */
  private final ReentrantLock lock = new ReentrantLock();

  private final Condition arrived = lock.newCondition();
  private final List<Pending> queue = new ArrayList<>();
  private boolean running = true;

  private record Pending(PreparedPair pair, CompletableFuture<PairScore> future, long enqueuedNanos)
      implements BatchPolicy.Item {
    @Override
    public int rows() {
      return pair.rows();
    }

    @Override
    public int maxLength() {
      return pair.maxLength();
    }
  }

  /**
   * Starts the worker thread.
   *
   * @param nanoClock the time source, {@code System::nanoTime} outside tests
   */
  public Batcher(
      PairModel model,
      BatchPolicy policy,
      int maxQueuedPairs,
      BatchListener listener,
      LongSupplier nanoClock) {
    if (policy.maxSize() < 1 || maxQueuedPairs < policy.maxSize()) {
      throw new IllegalArgumentException(
          "mgeo.batch.max-size "
              + policy.maxSize()
              + " must be at least 1 and at most mgeo.batch.max-queued-pairs "
              + maxQueuedPairs);
    }
    this.model = model;
    this.policy = policy;
    this.nanoClock = nanoClock;
    this.permits = new Semaphore(maxQueuedPairs);
    this.listener = listener;
    this.worker = new Thread(this::work, "mgeo-batcher");
    this.worker.setDaemon(true);
    this.worker.start();
  }

  /** Pairs waiting for a batch now. */
  public int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues the pairs of one request, all or none.
   *
   * @throws OverloadedException when the bound on queued pairs would be exceeded
   * @throws ShutdownException when the batcher is closing
   */
  public List<CompletableFuture<PairScore>> submit(List<PreparedPair> pairs) {
    if (!permits.tryAcquire(pairs.size())) {
      throw new OverloadedException(
          "the service is at capacity: "
              + pairs.size()
              + " more pairs would exceed mgeo.batch.max-queued-pairs; retry shortly");
    }
    List<CompletableFuture<PairScore>> futures = new ArrayList<>(pairs.size());
    lock.lock();
    try {
      if (!running) {
        permits.release(pairs.size());
        throw new ShutdownException("the service is shutting down");
      }
      long now = nanoClock.getAsLong();
      for (PreparedPair pair : pairs) {
        CompletableFuture<PairScore> future = new CompletableFuture<>();
        future.whenComplete((score, error) -> permits.release());
        futures.add(future);
        queue.add(new Pending(pair, future, now));
      }
      arrived.signal();
    } finally {
      lock.unlock();
    }
    return futures;
  }

  private void work() {
    while (true) {
      List<Pending> batch;
      try {
        batch = nextBatch();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (batch == null) {
        break;
      }
      run(batch);
    }
  }

  /** Waits for the policy to release a batch; null once the batcher is closed. */
  private List<Pending> nextBatch() throws InterruptedException {
    lock.lock();
    try {
      while (running) {
        queue.removeIf(p -> p.future().isDone());
        BatchPolicy.Decision<Pending> decision = policy.decide(queue, nanoClock.getAsLong());
        if (!decision.batch().isEmpty()) {
          queue.removeAll(decision.batch());
          return decision.batch();
        }
        if (decision.waitNanos() < 0) {
          arrived.await();
        } else {
          arrived.awaitNanos(decision.waitNanos());
        }
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  private void run(List<Pending> batch) {
    List<PreparedPair> pairs = new ArrayList<>(batch.size());
    long oldest = Long.MAX_VALUE;
    for (Pending p : batch) {
      pairs.add(p.pair());
      oldest = Math.min(oldest, p.enqueuedNanos());
    }
    long start = nanoClock.getAsLong();
    try {
      List<PairScore> scores = model.scoreBatch(pairs);
      listener.batchScored(pairs, nanoClock.getAsLong() - start, start - oldest);
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).future().complete(scores.get(i));
      }
    } catch (Exception | Error e) {
      LOG.debugf("a batch of %d pairs failed: %s", batch.size(), e);
      listener.batchFailed(batch.size(), e);
      for (Pending p : batch) {
        p.future().completeExceptionally(e);
      }
    }
  }

  /**
   * Stops taking work, lets the batch in progress finish (up to {@code grace}), and fails what is
   * still queued with {@link ShutdownException}.
   */
  public void close(Duration grace) {
    List<Pending> left;
    lock.lock();
    try {
      running = false;
      arrived.signalAll();
      left = new ArrayList<>(queue);
      queue.clear();
    } finally {
      lock.unlock();
    }
    for (Pending p : left) {
      p.future().completeExceptionally(new ShutdownException("the service is shutting down"));
    }
    try {
      worker.join(grace.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }
}
