package dev.addressmatch.scoring;

import dev.addressmatch.config.MatchConfig;
import dev.addressmatch.model.AddressPair;
import dev.addressmatch.model.PairScore;
import dev.addressmatch.model.PreparedPair;
import dev.addressmatch.observability.ServiceMetrics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The one scoring path behind every entry point: checks the input against the limits, normalises
 * it, has the batcher score it, and decides the match level.
 *
 * <p>Methods never throw; every problem comes back as a failed {@link Uni}.
 */
@ApplicationScoped
public class ScoringService {

  private final ModelRuntime runtime;
  private final MatchConfig config;
  private final ServiceMetrics metrics;

  public ScoringService(ModelRuntime runtime, MatchConfig config, ServiceMetrics metrics) {
    this.runtime = runtime;
    this.config = config;
    this.metrics = metrics;
  }

  /** Compares one pair; when {@code callerGone} completes, the pair is dropped unscored. */
  public Uni<MatchResult> compare(PairInput input, CompletionStage<?> callerGone) {
    return Uni.createFrom()
        .deferred(() -> score(List.of(check(input, "")), callerGone))
        .map(results -> results.get(0));
  }

  /**
   * Compares a batch of pairs and answers in the same order; when {@code callerGone} completes,
   * pairs not yet scored are dropped.
   */
  public Uni<List<MatchResult>> compareAll(List<PairInput> inputs, CompletionStage<?> callerGone) {
    return Uni.createFrom().deferred(() -> score(checkAll(inputs), callerGone));
  }

  private List<AddressPair> checkAll(List<PairInput> inputs) {
    if (inputs == null) {
      throw InvalidInputException.badField("pairs", "pairs is required: a list of address pairs");
    }
    if (inputs.isEmpty()) {
      throw InvalidInputException.badField("pairs", "pairs is empty; send at least one pair");
    }
    int limit = config.input().maxBatchPairs();
    if (inputs.size() > limit) {
      throw InvalidInputException.overLimit(
          413,
          "pairs",
          "pairs holds "
              + inputs.size()
              + " pairs; the limit is "
              + limit
              + " (mgeo.input.max-batch-pairs)",
          limit);
    }
    List<AddressPair> pairs = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      pairs.add(check(inputs.get(i), "pairs[" + i + "]."));
    }
    return pairs;
  }

  private AddressPair check(PairInput input, String prefix) {
    if (input == null) {
      throw InvalidInputException.badField(
          prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1),
          "a pair needs address1 and address2");
    }
    return new AddressPair(
        address(input.address1(), prefix + "address1"),
        address(input.address2(), prefix + "address2"));
  }

  private String address(String value, String field) {
    if (value == null) {
      throw InvalidInputException.badField(field, field + " is required");
    }
    if (value.isBlank()) {
      throw InvalidInputException.badField(field, field + " is blank");
    }
    int limit = config.input().maxChars();
    int length = value.codePointCount(0, value.length());
    if (length > limit) {
      throw InvalidInputException.overLimit(
          400,
          field,
          field
              + " is "
              + length
              + " characters; the limit is "
              + limit
              + " (mgeo.input.max-chars)",
          limit);
    }
    return AddressText.normalize(value);
  }

  private Uni<List<MatchResult>> score(List<AddressPair> pairs, CompletionStage<?> callerGone) {
    ModelRuntime.Loaded loaded = runtime.loaded();

    long start = System.nanoTime();
    List<PreparedPair> prepared = new ArrayList<>(pairs.size());
    for (AddressPair pair : pairs) {
      prepared.add(loaded.model().prepare(pair));
    }
    metrics.tokenized(System.nanoTime() - start);

    // Pairs the cache answers whole skip the queue; the rest go to the batcher together.
    List<CompletableFuture<PairScore>> futures = new ArrayList<>(pairs.size());
    List<PreparedPair> toQueue = new ArrayList<>(pairs.size());
    for (PreparedPair p : prepared) {
      if (p.rows() == 0) {
        futures.add(CompletableFuture.completedFuture(loaded.model().scoreWithoutModel(p)));
      } else {
        futures.add(null);
        toQueue.add(p);
      }
    }
    if (!toQueue.isEmpty()) {
      Iterator<CompletableFuture<PairScore>> queued = loaded.batcher().submit(toQueue).iterator();
      for (int i = 0; i < futures.size(); i++) {
        if (futures.get(i) == null) {
          futures.set(i, queued.next());
        }
      }
    }
    Runnable drop = () -> futures.forEach(f -> f.cancel(false));
    callerGone.thenRun(drop);

    CompletableFuture<List<MatchResult>> all =
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
            .thenApply(done -> decideAll(futures, loaded));
    Duration timeout = config.batch().requestTimeout();
    return Uni.createFrom()
        .completionStage(all)
        .onFailure(CompletionException.class)
        .transform(Throwable::getCause)
        .ifNoItem()
        .after(timeout)
        .failWith(
            () ->
                new RequestTimeoutException(
                    "no answer within "
                        + timeout.toMillis()
                        + " ms (mgeo.batch.request-timeout); the service is saturated, retry"))
        .onFailure()
        .invoke(drop)
        .onCancellation()
        .invoke(drop);
  }

  private List<MatchResult> decideAll(
      List<CompletableFuture<PairScore>> futures, ModelRuntime.Loaded loaded) {
    List<MatchResult> results = new ArrayList<>(futures.size());
    for (CompletableFuture<PairScore> f : futures) {
      MatchResult result = MatchDecision.decide(f.join(), loaded.manifest());
      metrics.matchLevel(result.level());
      results.add(result);
    }
    return results;
  }

  /** The manifest of the model in service, for describing answers. */
  public ModelRuntime.Loaded model() {
    return runtime.loaded();
  }
}
