package dev.addressmatch.scoring;

import dev.addressmatch.batch.BatchListener;
import dev.addressmatch.model.PreparedPair;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts consecutive failed model batches. A run of {@code threshold} failures with no success in
 * between means the engine is wedged (a lost GPU, a corrupted session): liveness turns DOWN so that
 * Kubernetes restarts the pod. One success resets the count.
 */
public final class EngineHealth implements BatchListener {

  private final int threshold;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();

  public EngineHealth(int threshold) {
    this.threshold = threshold;
  }

  @Override
  public void batchScored(List<PreparedPair> pairs, long inferenceNanos, long waitNanos) {
    consecutiveFailures.set(0);
  }

  @Override
  public void batchFailed(int size, Throwable cause) {
    consecutiveFailures.incrementAndGet();
  }

  public boolean wedged() {
    return consecutiveFailures.get() >= threshold;
  }

  public int consecutiveFailures() {
    return consecutiveFailures.get();
  }

  public int threshold() {
    return threshold;
  }
}
