package dev.addressmatch.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addressmatch.scoring.ScoringService;
import io.quarkus.funqy.Context;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The Funqy functions. Each serves plain HTTP ({@code POST /compare}, {@code POST /compare-batch})
 * and CloudEvents posted to {@code /}, routed by event type. They translate JSON to inputs and
 * results to answers; the scoring service does the rest.
 */
public class CompareFunctions {

  public static final String COMPARE = "compare";
  public static final String COMPARE_BATCH = "compare-batch";

  private final ScoringService scoring;
  private final CurrentVertxRequest request;
  private final DuplicateEvents duplicates;

  public CompareFunctions(
      ScoringService scoring, CurrentVertxRequest request, DuplicateEvents duplicates) {
    this.scoring = scoring;
    this.request = request;
    this.duplicates = duplicates;
  }

  @Funq(COMPARE)
  public Uni<CompareAnswer> compare(JsonNode body, @Context CloudEvent<?> event) {
    CompletionStage<?> gone = callerGone();
    return duplicates.answerOnce(
        event,
        COMPARE,
        () ->
            Uni.createFrom()
                .deferred(() -> scoring.compare(RequestReader.pair(body), gone))
                .map(
                    result ->
                        new CompareAnswer(
                            PairAnswer.of(result),
                            ModelRef.of(scoring.model().manifest()),
                            idOf(event))));
  }

  @Funq(COMPARE_BATCH)
  public Uni<BatchAnswer> compareBatch(JsonNode body, @Context CloudEvent<?> event) {
    CompletionStage<?> gone = callerGone();
    return duplicates.answerOnce(
        event,
        COMPARE_BATCH,
        () ->
            Uni.createFrom()
                .deferred(() -> scoring.compareAll(RequestReader.pairs(body), gone))
                .map(
                    results ->
                        new BatchAnswer(
                            results.stream().map(PairAnswer::of).toList(),
                            ModelRef.of(scoring.model().manifest()),
                            idOf(event))));
  }

  /** Completes when the caller hangs up, so that its pairs are dropped unscored. */
  private CompletionStage<?> callerGone() {
    RoutingContext ctx = request.getCurrent();
    CompletionStage<?> gone = ctx == null ? null : ctx.get(HttpEdge.CALLER_GONE);
    return gone != null ? gone : new CompletableFuture<>();
  }

  private static String idOf(CloudEvent<?> event) {
    return event == null ? null : event.id();
  }
}
