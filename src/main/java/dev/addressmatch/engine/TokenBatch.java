package dev.addressmatch.engine;

import dev.addressmatch.model.tokenizer.Encoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.List;

/**
 * Encodings padded to one length, laid out row-major in direct buffers that ONNX Runtime can read
 * without copying them into nested Java arrays.
 */
public final class TokenBatch {

  private final int rows;
  private final int columns;
  private final int realTokens;
  private final LongBuffer ids;
  private final LongBuffer mask;
  private final LongBuffer typeIds;

  private TokenBatch(
      int rows, int columns, int realTokens, LongBuffer ids, LongBuffer mask, LongBuffer typeIds) {
    this.rows = rows;
    this.columns = columns;
    this.realTokens = realTokens;
    this.ids = ids;
    this.mask = mask;
    this.typeIds = typeIds;
  }

  /** Pads every encoding to the longest one with {@code padId}. */
  public static TokenBatch pad(List<Encoding> encodings, int padId) {
    int rows = encodings.size();
    int columns = 1;
    int real = 0;
    for (Encoding e : encodings) {
      columns = Math.max(columns, e.length());
      real += e.length();
    }
    LongBuffer ids = direct(rows * columns);
    LongBuffer mask = direct(rows * columns);
    LongBuffer types = direct(rows * columns);
    for (Encoding e : encodings) {
      for (int c = 0; c < columns; c++) {
        boolean present = c < e.length();
        ids.put(present ? e.ids()[c] : padId);
        mask.put(present ? 1 : 0);
        types.put(present ? e.typeIds()[c] : 0);
      }
    }
    ids.flip();
    mask.flip();
    types.flip();
    return new TokenBatch(rows, columns, real, ids, mask, types);
  }

  private static LongBuffer direct(int count) {
    return ByteBuffer.allocateDirect(count * Long.BYTES)
        .order(ByteOrder.nativeOrder())
        .asLongBuffer();
  }

  public int rows() {
    return rows;
  }

  public int columns() {
    return columns;
  }

  /** Share of the tensor that is padding, from 0 (none) towards 1. */
  public double paddingRatio() {
    return 1.0 - (double) realTokens / ((long) rows * columns);
  }

  public long[] shape() {
    return new long[] {rows, columns};
  }

  public LongBuffer ids() {
    return ids.duplicate();
  }

  public LongBuffer mask() {
    return mask.duplicate();
  }

  public LongBuffer typeIds() {
    return typeIds.duplicate();
  }

  /** Whether token {@code column} of row {@code row} is real rather than padding. */
  public boolean isReal(int row, int column) {
    return mask.get(row * columns + column) != 0;
  }
}
