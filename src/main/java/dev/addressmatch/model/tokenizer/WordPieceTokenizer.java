package dev.addressmatch.model.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * BERT WordPiece tokenization in plain Java: normalization, splitting on blanks and punctuation,
 * greedy longest-match-first sub-words, {@code [CLS] a [SEP] b [SEP]} framing and longest-first
 * truncation of pairs.
 *
 * <p>It is written by hand rather than calling the Hugging Face tokenizers library through JNI
 * because the JNI round trip costs tens of times more per address pair than the tokenization
 * itself, and a native library complicates native-image builds. Its output is checked id for id
 * against the Hugging Face implementation in the tests.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class WordPieceTokenizer {

  private final Map<String, Integer> vocab;
  private final BertNormalizer normalizer;
  private final List<String> addedTokens;
  private final String continuingPrefix;
  private final int maxInputCharsPerWord;
  private final int unkId;
  private final int clsId;
  private final int sepId;
  private final int padId;

  WordPieceTokenizer(
      Map<String, Integer> vocab,
      BertNormalizer normalizer,
      List<String> addedTokens,
      String unkToken,
      String continuingPrefix,
      int maxInputCharsPerWord,
      String clsToken,
      String sepToken,
      String padToken) {
    this.vocab = Map.copyOf(vocab);
    this.normalizer = normalizer;
    List<String> sorted = new ArrayList<>(addedTokens);
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    this.addedTokens = List.copyOf(sorted);
    this.continuingPrefix = continuingPrefix;
    this.maxInputCharsPerWord = maxInputCharsPerWord;
    this.unkId = require(unkToken);
    this.clsId = require(clsToken);
    this.sepId = require(sepToken);
    this.padId = vocab.getOrDefault(padToken, 0);
  }

  private int require(String token) {
    Integer id = vocab.get(token);
    if (id == null) {
      throw new IllegalArgumentException("the vocabulary has no " + token + " token");
    }
    return id;
  }

  public int padId() {
    return padId;
  }

  public int vocabularySize() {
    return vocab.size();
  }

  /** Encodes one text as {@code [CLS] text [SEP]}, keeping at most {@code maxLength} ids. */
  public Encoding encode(String text, int maxLength) {
    int room = Math.max(0, maxLength - 2);
    int[] a = wordPieces(text);
    int n = Math.min(a.length, room);
    int[] ids = new int[n + 2];
    ids[0] = clsId;
    System.arraycopy(a, 0, ids, 1, n);
    ids[n + 1] = sepId;
    return new Encoding(ids, new int[ids.length]);
  }

  /**
   * Encodes a pair as {@code [CLS] a [SEP] b [SEP]} with segment ids 0 then 1. When the pair is
   * longer than {@code maxLength}, the longer side is cut first, as the reference "longest_first"
   * strategy does.
   */
  public Encoding encodePair(String first, String second, int maxLength) {
    int[] a = wordPieces(first);
    int[] b = wordPieces(second);
    int room = Math.max(0, maxLength - 3);
    int keepA = a.length;
    int keepB = b.length;
    if (keepA + keepB > room) {
      int shorter = Math.min(keepA, keepB);
      int longer;
      if (shorter > room) {
        longer = shorter;
      } else {
        longer = Math.max(shorter, room - shorter);
      }
      if (shorter + longer > room) {
        shorter = room / 2;
        longer = shorter + room % 2;
      }
      if (a.length > b.length) {
        keepA = longer;
        keepB = shorter;
      } else {
        keepA = shorter;
        keepB = longer;
      }
      keepA = Math.min(keepA, a.length);
      keepB = Math.min(keepB, b.length);
    }
    int[] ids = new int[keepA + keepB + 3];
    int[] types = new int[ids.length];
    ids[0] = clsId;
    System.arraycopy(a, 0, ids, 1, keepA);
    ids[keepA + 1] = sepId;
    System.arraycopy(b, 0, ids, keepA + 2, keepB);
    ids[ids.length - 1] = sepId;
    for (int i = keepA + 2; i < ids.length; i++) {
      types[i] = 1;
    }
    return new Encoding(ids, types);
  }

  /** The WordPiece ids of a text without any special framing. */
  int[] wordPieces(String text) {
    IntList out = new IntList(text.length() + 8);
    int start = 0;
    while (start < text.length()) {
      int nextAdded = -1;
      String added = null;
      for (int i = start; i < text.length() && added == null; i++) {
        for (String token : addedTokens) {
          if (text.startsWith(token, i)) {
            nextAdded = i;
            added = token;
            break;
          }
        }
      }
      int end = added == null ? text.length() : nextAdded;
      tokenizeSegment(text.substring(start, end), out);
      if (added == null) {
        break;
      }
      out.add(vocab.get(added));
      start = nextAdded + added.length();
    }
    return out.toArray();
  }

  private void tokenizeSegment(String segment, IntList out) {
    if (segment.isEmpty()) {
      return;
    }
    String normalized = normalizer.normalize(segment);
    int wordStart = -1;
    for (int i = 0; i < normalized.length(); ) {
      int cp = normalized.codePointAt(i);
      int width = Character.charCount(cp);
      if (BertNormalizer.isWhitespace(cp)) {
        if (wordStart >= 0) {
          wordPiece(normalized.substring(wordStart, i), out);
          wordStart = -1;
        }
      } else if (BertNormalizer.isPunctuation(cp)) {
        if (wordStart >= 0) {
          wordPiece(normalized.substring(wordStart, i), out);
          wordStart = -1;
        }
        wordPiece(normalized.substring(i, i + width), out);
      } else if (wordStart < 0) {
        wordStart = i;
      }
      i += width;
    }
    if (wordStart >= 0) {
      wordPiece(normalized.substring(wordStart), out);
    }
  }

  private void wordPiece(String word, IntList out) {
    if (word.codePointCount(0, word.length()) > maxInputCharsPerWord) {
      out.add(unkId);
      return;
    }
    int mark = out.size();
    int start = 0;
    while (start < word.length()) {
      int end = word.length();
      Integer found = null;
      while (start < end) {
        String piece = word.substring(start, end);
        if (start > 0) {
          piece = continuingPrefix + piece;
        }
        found = vocab.get(piece);
        if (found != null) {
          break;
        }
        end = word.offsetByCodePoints(end, -1);
      }
      if (found == null) {
        out.truncate(mark);
        out.add(unkId);
        return;
      }
      out.add(found);
      start = end;
    }
  }

  /** A growable int array, to keep boxing out of the per-token loop. */
  private static final class IntList {
    private int[] values;
    private int size;

    IntList(int capacity) {
      values = new int[Math.max(capacity, 8)];
    }

    void add(int value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    int size() {
      return size;
    }

    void truncate(int newSize) {
      size = newSize;
    }

    int[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
