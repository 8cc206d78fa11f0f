package dev.addressmatch.model;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Arrays;
import java.util.Optional;

/**
 * Address embeddings kept for reuse, keyed by the exact token ids the model would see: two
 * spellings that tokenize alike share an entry, and nothing that tokenizes differently does. Real
 * traffic repeats addresses (stores, warehouses, large estates), so a bounded cache saves whole
 * model rows. Bounded by entry count with Caffeine's size-based eviction.
 */
public final class EmbeddingCache {

  private final Cache<TokenKey, float[]> cache;

  private EmbeddingCache(Cache<TokenKey, float[]> cache) {
    this.cache = cache;
  }

  /** No caching: every address is embedded every time. */
  public static EmbeddingCache disabled() {
    return new EmbeddingCache(null);
  }

  /** A cache of at most {@code maxEntries} embeddings, recording hit statistics. */
  public static EmbeddingCache bounded(long maxEntries) {
    return new EmbeddingCache(Caffeine.newBuilder().maximumSize(maxEntries).recordStats().build());
  }

  float[] get(int[] ids) {
    return cache == null ? null : cache.getIfPresent(new TokenKey(ids));
  }

  void put(int[] ids, float[] vector) {
    if (cache != null) {
      cache.put(new TokenKey(ids), vector);
    }
  }

  /** The underlying cache, for metrics; empty when caching is off. */
  public Optional<Cache<?, ?>> caffeine() {
    return Optional.ofNullable(cache);
  }

  /** Token ids with value equality. */
  record TokenKey(int[] ids) {
    @Override
    public boolean equals(Object o) {
      return o instanceof TokenKey other && Arrays.equals(ids, other.ids);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(ids);
    }
  }
}
