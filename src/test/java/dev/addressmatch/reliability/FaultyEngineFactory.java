package dev.addressmatch.reliability;

import dev.addressmatch.engine.EngineFactory;
import dev.addressmatch.engine.EngineOutput;
import dev.addressmatch.engine.EngineSettings;
import dev.addressmatch.engine.ExecutionProvider;
import dev.addressmatch.engine.InferenceEngine;
import dev.addressmatch.engine.InferenceException;
import dev.addressmatch.engine.OnnxEngine;
import dev.addressmatch.engine.TokenBatch;
import dev.addressmatch.model.ModelFiles;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens the real engine wrapped in one that fails or stalls on demand, so that tests drive the
 * service's failure paths through configuration of the bean graph, not through test hooks in
 * production code. Enabled by {@link FaultyEngineProfile}.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class FaultyEngineFactory implements EngineFactory {

  /** Runs still to fail; each failing run throws as ONNX Runtime would. */
  static final AtomicInteger failuresToInject = new AtomicInteger();

  /** Extra time every run takes, in milliseconds. */
  static final AtomicLong stallMillis = new AtomicLong();

  /** Runs that reached the engine. */
  static final AtomicInteger runs = new AtomicInteger();

  static void reset() {
    failuresToInject.set(0);
    stallMillis.set(0);
  }

  @Override
  public InferenceEngine open(ModelFiles files, EngineSettings settings) {
    InferenceEngine real = OnnxEngine.open(files, settings);
    return new InferenceEngine() {
      @Override
      public EngineOutput run(TokenBatch batch) throws InferenceException {
        runs.incrementAndGet();
        long stall = stallMillis.get();
        if (stall > 0) {
          try {
            Thread.sleep(stall);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        if (failuresToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          throw new InferenceException("injected failure", new IllegalStateException("CUDA lost"));
        }
        return real.run(batch);
      }

      @Override
      public ExecutionProvider provider() {
        return real.provider();
      }

      @Override
      public void close() {
        real.close();
      }
    };
  }
}
