package dev.addressmatch.engine;

/** Where ONNX Runtime executes the model. */
public enum ExecutionProvider {
  /** Try CUDA, fall back to the CPU with one warning when CUDA cannot be loaded. */
  AUTO,
  /** CUDA or nothing: startup fails when CUDA cannot be loaded. */
  CUDA,
  /** The CPU only. */
  CPU
}
