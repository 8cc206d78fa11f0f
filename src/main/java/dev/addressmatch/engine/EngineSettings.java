package dev.addressmatch.engine;

/**
 * How to open an ONNX Runtime session.
 *
 * @param provider requested execution provider
 * @param cudaDeviceId GPU ordinal used by the CUDA provider
 * @param intraOpThreads threads one inference may use on the CPU
 */
public record EngineSettings(ExecutionProvider provider, int cudaDeviceId, int intraOpThreads) {}
