package dev.addressmatch.api;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * Waits, as Kubernetes would, until readiness reports UP: the model loads and warms up on its own
 * thread after the HTTP server starts.
 */
final class ServiceReady {

  private ServiceReady() {}

  static void await() {
    Awaitility.await("readiness UP")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> given().get("/q/health/ready").statusCode() == 200);
  }
}
