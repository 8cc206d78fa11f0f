package dev.addressmatch.reliability;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressmatch.testing.TestSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An engine that fails or stalls on demand: failures stay with their batch and are answered with a
 * retryable 5xx, repeated failures turn liveness DOWN, slow inference times requests out cleanly,
 * and the service answers normally afterwards.
 */
@QuarkusTest
@TestProfile(FaultyEngineProfile.class)
class FailureIsolationTest {

  private static final Map<String, String> PAIR =
      Map.of("address1", "北京市朝阳区建国路88号", "address2", "北京朝阳建国路88号");

  @BeforeEach
  void ready() {
    FaultyEngineFactory.reset();
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> given().get("/q/health/ready").statusCode() == 200);
  }

  @AfterEach
  void heal() {
    FaultyEngineFactory.reset();
    // One good batch resets the failure run, so tests do not leak a DOWN liveness.
    given().contentType(ContentType.JSON).body(PAIR).post("/compare").then().statusCode(200);
  }

  private static double failures(String reason) {
    return TestSupport.metric("mgeo_failures_total{reason=\"" + reason + "\"}");
  }

  @Test
  void aFailedBatchFailsItsRequestsWithARetryableStatusAndOnlyThose() {
    double before = failures("inference");
    FaultyEngineFactory.failuresToInject.set(1);
    given()
        .contentType(ContentType.JSON)
        .body(PAIR)
        .post("/compare")
        .then()
        .statusCode(500)
        .body("error", equalTo("inference_failed"));
    given()
        .contentType(ContentType.JSON)
        .body(PAIR)
        .post("/compare")
        .then()
        .statusCode(200)
        .body("match_level", equalTo("exact_match"));
    assertEquals(before + 1, failures("inference"));
  }

  private static io.restassured.response.Response sendEvent(String id) {
    return given()
        .contentType(ContentType.JSON)
        .header("ce-id", id)
        .header("ce-source", "/tests")
        .header("ce-type", "dev.addressmatch.compare.request")
        .header("ce-specversion", "1.0")
        .body(PAIR)
        .post("/");
  }

  @Test
  void aFailedBatchAnswersACloudEventWithAStatusTheBrokerRetries() {
    FaultyEngineFactory.failuresToInject.set(1);
    sendEvent("retry-me").then().statusCode(500);
    // The broker's retry of the same event is scored afresh, not answered with the failure.
    sendEvent("retry-me").then().statusCode(200);
  }

  @Test
  void repeatedFailuresTurnLivenessDownAndASuccessBringsItBack() {
    given().get("/q/health/live").then().statusCode(200);
    FaultyEngineFactory.failuresToInject.set(3);
    for (int i = 0; i < 3; i++) {
      given().contentType(ContentType.JSON).body(PAIR).post("/compare").then().statusCode(500);
    }
    given()
        .get("/q/health/live")
        .then()
        .statusCode(503)
        .body("checks.find { it.name == 'model-runtime' }.data.consecutive_failures", equalTo(3));
    given().contentType(ContentType.JSON).body(PAIR).post("/compare").then().statusCode(200);
    given().get("/q/health/live").then().statusCode(200);
  }

  @Test
  void slowInferenceTimesOutCleanlyAndTheBatcherRecovers() {
    FaultyEngineFactory.stallMillis.set(1_500);
    long start = System.nanoTime();
    given()
        .contentType(ContentType.JSON)
        .body(PAIR)
        .post("/compare")
        .then()
        .statusCode(504)
        .body("error", equalTo("timeout"))
        .time(lessThan(1_400L));
    // A request queued behind the stalled batch is past its deadline before it can run: it
    // is dropped, not scored late.
    int runsBefore = FaultyEngineFactory.runs.get();
    given().contentType(ContentType.JSON).body(PAIR).post("/compare").then().statusCode(504);
    assertTrue((System.nanoTime() - start) / 1e9 < 5);
    FaultyEngineFactory.stallMillis.set(0);
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                given().contentType(ContentType.JSON).body(PAIR).post("/compare").statusCode()
                    == 200);
    assertTrue(
        FaultyEngineFactory.runs.get() - runsBefore <= 3,
        "timed-out requests must not all be scored late");
  }

  @Test
  void aRequestWhoseCallerHangsUpIsNotScored() throws Exception {
    FaultyEngineFactory.stallMillis.set(600);
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.URI uri = java.net.URI.create("http://localhost:" + RestAssured.port + "/compare");
    String body = "{\"address1\": \"上海市浦东新区世纪大道100号\", \"address2\": \"浦东世纪大道\"}";
    int runsBefore = FaultyEngineFactory.runs.get();
    // The first request occupies the engine; the second waits behind it and its caller gives
    // up after 150 ms, long before the engine is free.
    java.util.concurrent.CompletableFuture<?> first =
        http.sendAsync(
            request(uri, body, 5_000), java.net.http.HttpResponse.BodyHandlers.discarding());
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> FaultyEngineFactory.runs.get() > runsBefore);
    java.util.concurrent.CompletableFuture<?> second =
        http.sendAsync(
            request(uri, body.replace("100", "200"), 150),
            java.net.http.HttpResponse.BodyHandlers.discarding());
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(second::isDone);
    first.get(10, java.util.concurrent.TimeUnit.SECONDS);
    FaultyEngineFactory.stallMillis.set(0);
    given().contentType(ContentType.JSON).body(PAIR).post("/compare").then().statusCode(200);
    // The first request and the check request ran; the abandoned one never reached the engine.
    assertEquals(runsBefore + 2, FaultyEngineFactory.runs.get());
  }

  private static java.net.http.HttpRequest request(java.net.URI uri, String body, long timeoutMs) {
    return java.net.http.HttpRequest.newBuilder(uri)
        .timeout(Duration.ofMillis(timeoutMs))
        .header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
        .build();
  }
}
