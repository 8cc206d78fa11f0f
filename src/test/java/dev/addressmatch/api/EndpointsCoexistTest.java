package dev.addressmatch.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Funqy owns {@code /} and {@code /{function}}; the REST resource, health and metrics live beside
 * it. All of them answer in one application.
 */
@QuarkusTest
class EndpointsCoexistTest {

  private static final String HTTP_COMPARE =
      "mgeo_requests_total{entrypoint=\"http\",function=\"compare\",";

  @BeforeEach
  void awaitModel() {
    ServiceReady.await();
  }

  @Test
  void functionsRestHealthAndMetricsAllAnswer() {
    given()
        .contentType(ContentType.JSON)
        .body(CompareHttpTest.pair("上海市浦东新区世纪大道100号", "上海市浦东新区世纪大道100号"))
        .when()
        .post("/compare")
        .then()
        .statusCode(200);
    given()
        .header("ce-id", "coexist-1")
        .header("ce-source", "/tests")
        .header("ce-type", CloudEventsTest.COMPARE)
        .header("ce-specversion", "1.0")
        .contentType(ContentType.JSON)
        .body(CompareHttpTest.pair("上海市浦东新区世纪大道100号", "上海市浦东新区世纪大道100号"))
        .when()
        .post("/")
        .then()
        .statusCode(200)
        .header("ce-type", "dev.addressmatch.compare.result");
    given().when().get("/model").then().statusCode(200).body("state", equalTo("ready"));
    for (String health : new String[] {"/q/health/live", "/q/health/ready", "/q/health/started"}) {
      given().when().get(health).then().statusCode(200).body("status", equalTo("UP"));
    }
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .body(
            "checks.find { it.name == 'model' }.data.model", containsString("bge-small-zh-v1.5-q"))
        .body("checks.find { it.name == 'model' }.data.provider", equalTo("CPU"));
  }

  @Test
  void metricsShowRequestsMatchLevelsInferenceAndFailures() {
    given()
        .contentType(ContentType.JSON)
        .body(CompareHttpTest.pair("上海市浦东新区世纪大道100号", "上海市浦东新区世纪大道100号"))
        .when()
        .post("/compare")
        .then()
        .statusCode(200);
    given()
        .contentType(ContentType.JSON)
        .body("{\"address1\": 1}")
        .when()
        .post("/compare")
        .then()
        .statusCode(400);
    String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    org.junit.jupiter.api.Assertions.assertAll(
        () -> assertHas(metrics, HTTP_COMPARE + "outcome=\"success\"}"),
        () -> assertHas(metrics, HTTP_COMPARE + "outcome=\"client_error\"}"),
        () -> assertHas(metrics, "mgeo_match_level_total{level=\"exact_match\"}"),
        () -> assertHas(metrics, "mgeo_inference_seconds_bucket"),
        () -> assertHas(metrics, "http_server_requests_seconds_bucket"),
        () -> assertHas(metrics, "mgeo_failures_total{reason=\"invalid_input\"}"),
        () ->
            assertHas(
                metrics,
                "mgeo_execution_provider{model=\"bge-small-zh-v1.5-q\",provider=\"cpu\"} 1.0"));
  }

  private static void assertHas(String metrics, String line) {
    org.junit.jupiter.api.Assertions.assertTrue(
        metrics.contains(line), () -> "/q/metrics lacks " + line);
  }
}
