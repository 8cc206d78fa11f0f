package dev.addressmatch.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.addressmatch.config.MatchConfig;
import dev.addressmatch.observability.ModelHealthChecks;
import dev.addressmatch.observability.ServiceMetrics;
import dev.addressmatch.testing.TestSupport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.junit.jupiter.api.Test;

/** Readiness and startup stay DOWN until the model is loaded and warmed up, then turn UP. */
class ReadinessTest {

  private static MatchConfig config() {
    return TestSupport.defaultConfig("mgeo.engine.execution-provider", "cpu");
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
