package dev.addressmatch.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.addressmatch.config.MatchConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * Answers a redelivered CloudEvent (same {@code source} and {@code id}) from the answer already
 * given, for a bounded window, without scoring it again. Brokers deliver at least once, so a retry
 * after a lost reply is normal, and its answer must not change or cost a second inference. Only
 * successful answers are kept: a failed event is scored again when it comes back.
 */
@ApplicationScoped
public class DuplicateEvents {

  private final Cache<String, Object> answers;
  private final Counter duplicates;

  public DuplicateEvents(MatchConfig config, MeterRegistry registry) {
    this.answers =
        Caffeine.newBuilder()
            .expireAfterWrite(config.events().duplicateWindow())
            .maximumSize(config.events().duplicateMaxEntries())
            .build();
    this.duplicates =
        Counter.builder("mgeo.duplicate.events")
            .description("Redelivered CloudEvents answered from the duplicate window")
            .register(registry);
  }

  /** The answer for {@code event}: remembered if it was seen, else computed and remembered. */
  @SuppressWarnings("unchecked")
  <T> Uni<T> answerOnce(CloudEvent<?> event, String function, Supplier<Uni<T>> compute) {
    if (event == null || event.id() == null || event.source() == null) {
      return compute.get();
    }
    String key = function + '\u0000' + event.source() + '\u0000' + event.id();
    Object known = answers.getIfPresent(key);
    if (known != null) {
      duplicates.increment();
      return Uni.createFrom().item((T) known);
    }
    return compute.get().invoke(answer -> answers.put(key, answer));
  }
}
