package dev.addressmatch.batch;

import dev.addressmatch.model.PreparedPair;
import java.util.List;

/** Tells several listeners about each batch, in order. */
public final class BatchListeners implements BatchListener {

  private final List<BatchListener> listeners;

  public BatchListeners(BatchListener... listeners) {
    this.listeners = List.of(listeners);
  }

  @Override
  public void batchScored(List<PreparedPair> pairs, long inferenceNanos, long waitNanos) {
    for (BatchListener l : listeners) {
      l.batchScored(pairs, inferenceNanos, waitNanos);
    }
  }

  @Override
  public void batchFailed(int size, Throwable cause) {
    for (BatchListener l : listeners) {
      l.batchFailed(size, cause);
    }
  }
}
