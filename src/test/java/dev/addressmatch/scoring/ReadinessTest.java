package dev.addressmatch.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.addressmatch.config.MatchConfig;
import dev.addressmatch.observability.ModelHealthChecks;
import dev.addressmatch.observability.ServiceMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.junit.jupiter.api.Test;

/** Readiness and startup stay DOWN until the model is loaded and warmed up, then turn UP. */
class ReadinessTest {

  private static MatchConfig config() {
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(MatchConfig.class)
            .withConverter(
                java.time.Duration.class,
                100,
                new io.quarkus.runtime.configuration.DurationConverter())
            .withDefaultValue("mgeo.engine.execution-provider", "cpu")
            .build();
    return config.getConfigMapping(MatchConfig.class);
  }

  @Test
  void readinessIsDownBeforeWarmUpAndUpAfter() throws Exception {
    ModelRuntime runtime =
        new ModelRuntime(
            config(),
            new ServiceMetrics(new SimpleMeterRegistry()),
            dev.addressmatch.engine.OnnxEngine::open);
    ModelHealthChecks checks = new ModelHealthChecks(runtime);

    assertEquals(Status.DOWN, checks.ready().call().getStatus());
    assertEquals(Status.DOWN, checks.started().call().getStatus());
    assertEquals(Status.UP, checks.alive().call().getStatus());

    runtime.load();
    try {
      HealthCheckResponse ready = checks.ready().call();
      assertEquals(Status.UP, ready.getStatus());
      assertEquals("CPU", ready.getData().orElseThrow().get("provider"));
      assertEquals("bge-small-zh-v1.5-q 1.5-int8", ready.getData().orElseThrow().get("model"));
      assertEquals(Status.UP, checks.started().call().getStatus());
    } finally {
      runtime.onStop(null);
    }
    assertEquals(Status.DOWN, checks.ready().call().getStatus());
  }
}
