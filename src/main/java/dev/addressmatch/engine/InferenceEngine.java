package dev.addressmatch.engine;

/**
 * Runs a model on a batch of token sequences. Implementations are safe for use by one thread at a
 * time; the batcher is their only caller.
 */
public interface InferenceEngine extends AutoCloseable {

  /** Runs the model and returns the output tensor that the manifest names. */
  EngineOutput run(TokenBatch batch) throws InferenceException;

  /** The provider the model actually runs on. */
  ExecutionProvider provider();

  @Override
  void close();
}
