package dev.addressmatch.model;

import dev.addressmatch.engine.EngineOutput;
import dev.addressmatch.engine.InferenceEngine;
import dev.addressmatch.engine.InferenceException;
import dev.addressmatch.engine.TokenBatch;
import dev.addressmatch.model.EmbeddingCache.TokenKey;
import dev.addressmatch.model.tokenizer.Encoding;
import dev.addressmatch.model.tokenizer.WordPieceTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bi-encoder: each address is embedded alone, pooled and normalised, and a pair is scored by the
 * cosine similarity of its two vectors. Within a batch every distinct address is embedded once;
 * across batches the cache keeps embeddings of repeated addresses.
 */
final class EmbeddingModel implements PairModel {

  private final ModelManifest manifest;
  private final WordPieceTokenizer tokenizer;
  private final InferenceEngine engine;
  private final EmbeddingCache cache;

  EmbeddingModel(ModelFiles files, InferenceEngine engine, EmbeddingCache cache) {
    this.manifest = files.manifest();
    this.tokenizer = files.tokenizer();
    this.engine = engine;
    this.cache = cache;
  }

  /** Both encodings, and their embeddings where the cache had them (else null). */
  private static final class Prepared implements PreparedPair {
    final Encoding first;
    final Encoding second;
    final float[] firstVector;
    final float[] secondVector;

    Prepared(Encoding first, Encoding second, float[] firstVector, float[] secondVector) {
      this.first = first;
      this.second = second;
      this.firstVector = firstVector;
      this.secondVector = secondVector;
    }

    @Override
    public int rows() {
      if (firstVector == null && secondVector == null) {
        return Arrays.equals(first.ids(), second.ids()) ? 1 : 2;
      }
      return (firstVector == null ? 1 : 0) + (secondVector == null ? 1 : 0);
    }

    @Override
    public int maxLength() {
      int length = 0;
      if (firstVector == null) {
        length = first.length();
      }
      if (secondVector == null) {
        length = Math.max(length, second.length());
      }
      return length;
    }

    @Override
    public int tokens() {
      if (rows() == 1 && firstVector == null && secondVector == null) {
        return first.length();
      }
      return (firstVector == null ? first.length() : 0)
          + (secondVector == null ? second.length() : 0);
    }
  }

  @Override
  public PreparedPair prepare(AddressPair pair) {
    Encoding first = tokenizer.encode(pair.address1(), manifest.maxSequenceLength());
    Encoding second = tokenizer.encode(pair.address2(), manifest.maxSequenceLength());
    return new Prepared(first, second, cache.get(first.ids()), cache.get(second.ids()));
  }

  @Override
  public PairScore scoreWithoutModel(PreparedPair pair) {
    Prepared p = (Prepared) pair;
    return PairScore.ofSimilarity(cosine(p.firstVector, p.secondVector));
  }

  @Override
  public List<PairScore> scoreBatch(List<PreparedPair> pairs) throws InferenceException {
    Map<TokenKey, Integer> rowOf = new LinkedHashMap<>();
    List<Encoding> encodings = new ArrayList<>();
    for (PreparedPair pair : pairs) {
      Prepared p = (Prepared) pair;
      if (p.firstVector == null) {
        addRow(p.first, rowOf, encodings);
      }
      if (p.secondVector == null) {
        addRow(p.second, rowOf, encodings);
      }
    }
    float[][] vectors = new float[0][];
    if (!encodings.isEmpty()) {
      TokenBatch batch = TokenBatch.pad(encodings, tokenizer.padId());
      vectors = pool(engine.run(batch), batch);
      for (int i = 0; i < encodings.size(); i++) {
        cache.put(encodings.get(i).ids(), vectors[i]);
      }
    }
    List<PairScore> scores = new ArrayList<>(pairs.size());
    for (PreparedPair pair : pairs) {
      Prepared p = (Prepared) pair;
      float[] a = p.firstVector != null ? p.firstVector : vectors[rowOf.get(key(p.first))];
      float[] b = p.secondVector != null ? p.secondVector : vectors[rowOf.get(key(p.second))];
      scores.add(PairScore.ofSimilarity(cosine(a, b)));
    }
    return scores;
  }

  private static TokenKey key(Encoding encoding) {
    return new TokenKey(encoding.ids());
  }

  private static void addRow(Encoding e, Map<TokenKey, Integer> rowOf, List<Encoding> rows) {
    if (rowOf.putIfAbsent(key(e), rows.size()) == null) {
      rows.add(e);
    }
  }

  /** Dot product of two unit vectors, clamped to [-1, 1]. */
  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
    }
    return Math.max(-1, Math.min(1, dot));
  }

  /** One unit-length vector per row, pooled from token states when the output has them. */
  private float[][] pool(EngineOutput out, TokenBatch batch) {
    int hidden = out.lastDimension();
    float[] values = out.values();
    float[][] vectors = new float[batch.rows()][hidden];
    boolean tokenStates = out.shape().length == 3;
    int tokens = tokenStates ? (int) out.shape()[1] : 1;
    for (int r = 0; r < batch.rows(); r++) {
      float[] v = vectors[r];
      int rowBase = r * tokens * hidden;
      if (!tokenStates || manifest.pooling() == Pooling.CLS) {
        System.arraycopy(values, rowBase, v, 0, hidden);
      } else {
        int count = 0;
        for (int t = 0; t < tokens; t++) {
          if (batch.isReal(r, t)) {
            count++;
            for (int h = 0; h < hidden; h++) {
              v[h] += values[rowBase + t * hidden + h];
            }
          }
        }
        for (int h = 0; h < hidden; h++) {
          v[h] /= Math.max(count, 1);
        }
      }
      normalize(v);
    }
    return vectors;
  }

  private static void normalize(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) {
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (v[i] / norm);
      }
    }
  }

  @Override
  public ModelManifest manifest() {
    return manifest;
  }
}
