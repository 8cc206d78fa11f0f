package dev.addressmatch.observability;

import dev.addressmatch.scoring.ModelRuntime;
import dev.addressmatch.scoring.ModelRuntime.State;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

/**
 * Health of the model. Startup and readiness are UP only once the model is loaded, checked and
 * warmed up; liveness is DOWN only when loading failed for good.
 */
@ApplicationScoped
public class ModelHealthChecks {

  private final ModelRuntime runtime;

  public ModelHealthChecks(ModelRuntime runtime) {
    this.runtime = runtime;
  }

  /** Readiness: traffic may come. */
  @Readiness
  public HealthCheck ready() {
    return () -> describe("model", runtime.state() == State.READY);
  }

  /** Startup: the model finished loading; until then liveness is not checked. */
  @Startup
  public HealthCheck started() {
    return () -> describe("model-loaded", runtime.state() == State.READY);
  }

  /**
   * Liveness: the process can still serve. DOWN when loading failed, or when the engine failed
   * {@code mgeo.engine.max-consecutive-failures} batches in a row: a restart is the cure.
   */
  @Liveness
  public HealthCheck alive() {
    return () -> {
      boolean wedged = runtime.engineHealth().wedged();
      HealthCheckResponse base =
          describe("model-runtime", runtime.state() != State.FAILED && !wedged);
      return HealthCheckResponse.builder()
          .name(base.getName())
          .status(base.getStatus() == HealthCheckResponse.Status.UP)
          .withData("state", runtime.state().name())
          .withData("consecutive_failures", runtime.engineHealth().consecutiveFailures())
          .withData("failure_threshold", runtime.engineHealth().threshold())
          .build();
    };
  }

  private HealthCheckResponse describe(String name, boolean up) {
    HealthCheckResponseBuilder builder =
        HealthCheckResponse.named(name).status(up).withData("state", runtime.state().name());
    runtime
        .current()
        .ifPresent(
            loaded ->
                builder
                    .withData("model", loaded.manifest().name() + " " + loaded.manifest().version())
                    .withData("provider", loaded.engine().provider().name()));
    return builder.build();
  }
}
