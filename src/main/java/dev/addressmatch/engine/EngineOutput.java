package dev.addressmatch.engine;

/**
 * One output tensor of a run, copied out of ONNX Runtime as a flat row-major array.
 *
 * @param values the elements, row-major
 * @param shape the tensor's dimensions
 */
public record EngineOutput(float[] values, long[] shape) {

  /** The size of the last dimension. */
  public int lastDimension() {
    return (int) shape[shape.length - 1];
  }
}
