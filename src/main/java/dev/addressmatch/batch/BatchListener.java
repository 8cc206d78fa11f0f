package dev.addressmatch.batch;

import dev.addressmatch.model.PreparedPair;
import java.util.List;

/** Observes the batcher's work, for metrics. Called on the worker thread. */
public interface BatchListener {

  /**
   * A model batch ran.
   *
   * @param pairs the pairs of the batch
   * @param inferenceNanos time spent scoring it
   * @param waitNanos how long its oldest pair waited in the queue
   */
  void batchScored(List<PreparedPair> pairs, long inferenceNanos, long waitNanos);

  /** A model batch failed; all its pairs fail with {@code cause}. */
  void batchFailed(int size, Throwable cause);
}
