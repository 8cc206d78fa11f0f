package dev.addressmatch.model.tokenizer;

/**
 * Token ids of one sequence (a single text or a pair) with their segment ids, special tokens
 * included and no padding.
 */
public record Encoding(int[] ids, int[] typeIds) {

  public int length() {
    return ids.length;
  }
}
