package dev.addressmatch.engine;

import dev.addressmatch.model.ModelFiles;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/**
 * Opens the inference engine for a model. A CDI bean so that another engine (one that injects
 * faults in tests, for instance) can replace ONNX Runtime without touching the code that uses it.
 */
public interface EngineFactory {

  InferenceEngine open(ModelFiles files, EngineSettings settings);

  /** Produces the ONNX Runtime factory unless another one is declared. */
  @ApplicationScoped
  class Producer {
    @Produces
    @DefaultBean
    @ApplicationScoped
    EngineFactory onnxRuntime() {
      return OnnxEngine::open;
    }
  }
}
