package dev.addressmatch.batch;

/** Observes the batcher's work, for metrics. Called on the worker thread. */
public interface BatchListener {

  /**
   * A model batch of {@code size} pairs ran in {@code nanos}; the oldest waited {@code waitNanos}.
   */
  void batchScored(int size, long nanos, long waitNanos);

  /** A model batch failed; all its pairs fail with {@code cause}. */
  void batchFailed(int size, Throwable cause);

  BatchListener NONE =
      new BatchListener() {
        @Override
        public void batchScored(int size, long nanos, long waitNanos) {}

        @Override
        public void batchFailed(int size, Throwable cause) {}
      };
}
