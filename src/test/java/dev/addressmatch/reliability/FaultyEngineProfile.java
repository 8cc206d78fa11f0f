package dev.addressmatch.reliability;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import java.util.Set;

/** Runs the service on {@link FaultyEngineFactory}, with a short deadline and no cache. */
public class FaultyEngineProfile implements QuarkusTestProfile {

  @Override
  public Set<Class<?>> getEnabledAlternatives() {
    return Set.of(FaultyEngineFactory.class);
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "mgeo.batch.request-timeout", "700ms",
        "mgeo.cache.enabled", "false",
        "mgeo.engine.max-consecutive-failures", "3");
  }
}
