package dev.addressmatch.observability;

import dev.addressmatch.batch.BatchListener;
import dev.addressmatch.engine.ExecutionProvider;
import dev.addressmatch.model.EmbeddingCache;
import dev.addressmatch.model.MatchLevel;
import dev.addressmatch.model.PreparedPair;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The service's own metrics, all under the {@code mgeo} prefix. Tags take values from small fixed
 * sets only: never an address, an id or a message.
 */
@ApplicationScoped
public class ServiceMetrics implements BatchListener {

  private final MeterRegistry registry;
  private final Map<MatchLevel, Counter> levels = new EnumMap<>(MatchLevel.class);
  private final Map<FailureReason, Counter> failures = new EnumMap<>(FailureReason.class);

  /** One counter per tag combination; every tag comes from a small fixed set. */
  private final Map<String, Counter> requests = new ConcurrentHashMap<>();

  private final Timer inference;
  private final Timer queueWait;
  private final DistributionSummary batchSize;
  private final DistributionSummary padding;
  private final Timer tokenize;

  public ServiceMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (MatchLevel level : MatchLevel.values()) {
      levels.put(
          level,
          Counter.builder("mgeo.match.level")
              .description("Pairs answered, by match level")
              .tag("level", level.label())
              .register(registry));
    }
    for (FailureReason reason : FailureReason.values()) {
      failures.put(
          reason,
          Counter.builder("mgeo.failures")
              .description("Requests that failed, by reason")
              .tag("reason", reason.tag())
              .register(registry));
    }
    inference =
        Timer.builder("mgeo.inference")
            .description("Time to score one model batch: tokenizing, the run and decoding")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
    queueWait =
        Timer.builder("mgeo.queue.wait")
            .description("How long the oldest pair of a batch waited before it ran")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(100_000))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
    batchSize =
        DistributionSummary.builder("mgeo.batch.size")
            .description("Pairs per model batch")
            .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128)
            .register(registry);
    padding =
        DistributionSummary.builder("mgeo.batch.padding.ratio")
            .description("Share of a model batch's tokens that are padding")
            .serviceLevelObjectives(0.05, 0.1, 0.2, 0.3, 0.5, 0.75)
            .register(registry);
    tokenize =
        Timer.builder("mgeo.tokenize")
            .description("Time to tokenize one request's pairs")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(1_000))
            .maximumExpectedValue(Duration.ofMillis(100))
            .register(registry);
  }

  /** Records the time one request spent tokenizing. */
  public void tokenized(long nanos) {
    tokenize.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Publishes the embedding cache's size, hits and misses, when it is enabled. */
  public void embeddingCache(EmbeddingCache cache) {
    cache
        .caffeine()
        .ifPresent(
            c -> {
              CaffeineCacheMetrics.monitor(registry, c, "mgeo.embedding");
              Gauge.builder("mgeo.embedding.cache.hit.ratio", c, it -> it.stats().hitRate())
                  .description("Share of address lookups the embedding cache answered, since start")
                  .register(registry);
            });
  }

  /** Counts one request by how it arrived, which function it called and how it ended. */
  public void request(String entryPoint, String function, String outcome) {
    requests
        .computeIfAbsent(
            entryPoint + '/' + function + '/' + outcome,
            key ->
                Counter.builder("mgeo.requests")
                    .description(
                        "Requests, by entry point (http or cloudevent), function and outcome")
                    .tag("entrypoint", entryPoint)
                    .tag("function", function)
                    .tag("outcome", outcome)
                    .register(registry))
        .increment();
  }

  public void matchLevel(MatchLevel level) {
    levels.get(level).increment();
  }

  public void failure(FailureReason reason) {
    failures.get(reason).increment();
  }

  /** Publishes the execution provider in use as a gauge of 1 tagged with its name. */
  public void provider(ExecutionProvider provider, String model) {
    Gauge.builder("mgeo.execution.provider", () -> 1)
        .description("The ONNX Runtime execution provider the model runs on")
        .tag("provider", provider.name().toLowerCase(Locale.ROOT))
        .tag("model", model)
        .register(registry);
  }

  /** Publishes the number of pairs waiting for a batch. */
  public void queueDepth(Supplier<Number> depth) {
    Gauge.builder("mgeo.queue.depth", depth)
        .description("Pairs waiting for a model batch")
        .register(registry);
  }

  @Override
  public void batchScored(List<PreparedPair> pairs, long inferenceNanos, long waitNanos) {
    inference.record(inferenceNanos, TimeUnit.NANOSECONDS);
    queueWait.record(waitNanos, TimeUnit.NANOSECONDS);
    batchSize.record(pairs.size());
    long rows = 0;
    long longest = 0;
    long real = 0;
    for (PreparedPair pair : pairs) {
      rows += pair.rows();
      longest = Math.max(longest, pair.maxLength());
      real += pair.tokens();
    }
    if (rows > 0 && longest > 0) {
      padding.record(Math.max(0, 1.0 - (double) real / (rows * longest)));
    }
  }

  @Override
  public void batchFailed(int size, Throwable cause) {
    batchSize.record(size);
  }
}
