package dev.addressmatch.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addressmatch.scoring.ScoringService;
import io.quarkus.funqy.Context;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.smallrye.mutiny.Uni;

/**
 * The Funqy functions. Each serves plain HTTP ({@code POST /compare}, {@code POST /compare-batch})
 * and CloudEvents posted to {@code /}, routed by event type. They translate JSON to inputs and
 * results to answers; the scoring service does the rest.
 */
public class CompareFunctions {

  public static final String COMPARE = "compare";
  public static final String COMPARE_BATCH = "compare-batch";

  private final ScoringService scoring;

  public CompareFunctions(ScoringService scoring) {
    this.scoring = scoring;
  }

  @Funq(COMPARE)
  public Uni<CompareAnswer> compare(JsonNode body, @Context CloudEvent<?> event) {
    return Uni.createFrom()
        .deferred(() -> scoring.compare(RequestReader.pair(body)))
        .map(
            result ->
                new CompareAnswer(
                    PairAnswer.of(result), ModelRef.of(scoring.model().manifest()), idOf(event)));
  }

  @Funq(COMPARE_BATCH)
  public Uni<BatchAnswer> compareBatch(JsonNode body, @Context CloudEvent<?> event) {
    return Uni.createFrom()
        .deferred(() -> scoring.compareAll(RequestReader.pairs(body)))
        .map(
            results ->
                new BatchAnswer(
                    results.stream().map(PairAnswer::of).toList(),
                    ModelRef.of(scoring.model().manifest()),
                    idOf(event)));
  }

  private static String idOf(CloudEvent<?> event) {
    return event == null ? null : event.id();
  }
}
