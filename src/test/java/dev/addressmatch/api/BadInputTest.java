package dev.addressmatch.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad input gets a 4xx with a JSON body that names the problem, over HTTP and as a
 * CloudEvent, and none of them gets a status the Knative broker would retry.
 */
@QuarkusTest
class BadInputTest {

  static final String OK_ADDRESS = "北京市朝阳区建国路88号";

  private final List<java.util.logging.LogRecord> loud =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final java.util.logging.Handler capture =
      new java.util.logging.Handler() {
        @Override
        public void publish(java.util.logging.LogRecord record) {
          if (record.getLevel().intValue() > java.util.logging.Level.FINE.intValue()
              && record.getLoggerName() != null
              && record.getLoggerName().startsWith("dev.addressmatch")) {
            loud.add(record);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void awaitModel() {
    ServiceReady.await();
    java.util.logging.Logger.getLogger("").addHandler(capture);
  }

  @org.junit.jupiter.api.AfterEach
  void noClientMistakeIsLoggedAboveDebug() {
    java.util.logging.Logger.getLogger("").removeHandler(capture);
    org.junit.jupiter.api.Assertions.assertEquals(
        List.of(), loud.stream().map(java.util.logging.LogRecord::getMessage).toList());
  }

  static ValidatableResponse postJson(String path, String body) {
    return given().contentType(ContentType.JSON).body(body).when().post(path).then();
  }

  static RequestSpecification binaryEvent(String type) {
    return given()
        .contentType(ContentType.JSON)
        .header("ce-id", "evt-1")
        .header("ce-source", "/tests")
        .header("ce-type", type)
        .header("ce-specversion", "1.0");
  }

  static void assertError(ValidatableResponse response, int status, String code) {
    response
        .statusCode(status)
        .contentType(ContentType.JSON)
        .body("error", equalTo(code))
        .body("message", not(containsString("Exception")))
        .body("message", not(containsString("\tat ")));
  }

  @Test
  void missingAddressIsNamed() {
    ValidatableResponse r = postJson("/compare", "{\"address1\": \"" + OK_ADDRESS + "\"}");
    assertError(r, 400, "invalid_input");
    r.body("field", equalTo("address2")).body("message", containsString("address2 is required"));
  }

  @Test
  void blankAddressIsNamed() {
    ValidatableResponse r =
        postJson("/compare", "{\"address1\": \"  \\t \", \"address2\": \"" + OK_ADDRESS + "\"}");
    assertError(r, 400, "invalid_input");
    r.body("field", equalTo("address1"));
  }

  @Test
  void addressOverTheLengthLimitNamesFieldAndLimit() {
    String tooLong = "路".repeat(257);
    ValidatableResponse r =
        postJson(
            "/compare",
            "{\"address1\": \"" + OK_ADDRESS + "\", \"address2\": \"" + tooLong + "\"}");
    assertError(r, 400, "invalid_input");
    r.body("field", equalTo("address2"))
        .body("limit", equalTo(256))
        .body("message", containsString("257 characters"))
        .body("message", containsString("mgeo.input.max-chars"));
  }

  @Test
  void addressAtTheLengthLimitIsAccepted() {
    String atLimit = "路".repeat(256);
    postJson(
            "/compare", "{\"address1\": \"" + OK_ADDRESS + "\", \"address2\": \"" + atLimit + "\"}")
        .statusCode(200);
  }

  @Test
  void wrongJsonTypesAreNamed() {
    assertError(
        postJson("/compare", "{\"address1\": 12, \"address2\": \"x\"}"), 400, "invalid_input");
    postJson("/compare", "{\"address1\": 12, \"address2\": \"x\"}")
        .body("field", equalTo("address1"))
        .body("message", containsString("must be a string, not a number"));
    assertError(postJson("/compare", "[\"a\", \"b\"]"), 400, "invalid_input");
    assertError(
        postJson("/compare-batch", "{\"pairs\": {\"address1\": \"a\"}}"), 400, "invalid_input");
    postJson(
            "/compare-batch",
            "{\"pairs\": [{\"address1\": \"a\", \"address2\": \"b\"}, "
                + "{\"address1\": \"a\", \"address2\": [1]}]}")
        .statusCode(400)
        .body("field", equalTo("pairs[1].address2"));
  }

  @Test
  void malformedJsonIsRefused() {
    assertError(postJson("/compare", "{\"address1\": \"a\", "), 400, "malformed_json");
    assertError(postJson("/compare-batch", "{pairs: []}"), 400, "malformed_json");
  }

  @Test
  void oversizedBatchNamesTheLimit() {
    List<Map<String, String>> pairs = new ArrayList<>();
    for (int i = 0; i < 65; i++) {
      pairs.add(CompareHttpTest.pair(OK_ADDRESS, OK_ADDRESS + i));
    }
    ValidatableResponse r =
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("pairs", pairs))
            .when()
            .post("/compare-batch")
            .then();
    assertError(r, 413, "payload_too_large");
    r.body("field", equalTo("pairs"))
        .body("limit", equalTo(64))
        .body("message", containsString("mgeo.input.max-batch-pairs"));
  }

  @Test
  void emptyBatchIsRefused() {
    assertError(postJson("/compare-batch", "{\"pairs\": []}"), 400, "invalid_input");
  }

  @Test
  void oversizedBodyIsRefusedBeforeItIsRead() {
    String body = "{\"address1\": \"" + "a".repeat(70_000) + "\", \"address2\": \"b\"}";
    ValidatableResponse r = postJson("/compare", body);
    assertError(r, 413, "payload_too_large");
    r.body("limit", equalTo(65536)).body("message", containsString("mgeo.input.max-body-bytes"));
  }

  @Test
  void unsupportedContentTypeIsRefused() {
    ValidatableResponse r =
        given().contentType("text/plain").body("北京 上海").when().post("/compare").then();
    assertError(r, 415, "unsupported_media_type");
    assertError(
        given().contentType("application/xml").body("<a/>").when().post("/").then(),
        415,
        "unsupported_media_type");
  }

  @Test
  void cloudEventMissingAnAttributeIsRefusedWithoutRetry() {
    ValidatableResponse r =
        given()
            .contentType(ContentType.JSON)
            .header("ce-id", "evt-2")
            .header("ce-specversion", "1.0")
            .header("ce-type", CloudEventsTest.COMPARE)
            .body(Map.of("address1", OK_ADDRESS, "address2", OK_ADDRESS))
            .when()
            .post("/")
            .then();
    assertError(r, 400, "invalid_cloudevent");
    r.body("field", equalTo("ce-source"));

    String noType =
        "{\"specversion\": \"1.0\", \"id\": \"e\", \"source\": \"/t\","
            + " \"datacontenttype\": \"application/json\", \"data\": {}}";
    assertError(
        given().contentType("application/cloudevents+json").body(noType).when().post("/").then(),
        400,
        "invalid_cloudevent");
  }

  @Test
  void cloudEventOfUnknownTypeIsRefusedWithoutRetry() {
    assertError(
        binaryEvent("com.example.unknown").body("{}").when().post("/").then(),
        400,
        "invalid_cloudevent");
    String unknown =
        "{\"specversion\": \"1.0\", \"id\": \"e\", \"source\": \"/t\","
            + " \"type\": \"com.example.unknown\", \"datacontenttype\": \"application/json\","
            + " \"data\": {}}";
    assertError(
        given().contentType("application/cloudevents+json").body(unknown).when().post("/").then(),
        400,
        "invalid_cloudevent");
  }

  @Test
  void cloudEventWithUnusableDataIsRefusedWithoutRetry() {
    assertError(
        binaryEvent(CloudEventsTest.COMPARE).when().post("/").then(), 400, "invalid_cloudevent");
    assertError(
        binaryEvent(CloudEventsTest.COMPARE).body("{\"address1\": true}").when().post("/").then(),
        400,
        "invalid_input");
    assertError(
        binaryEvent(CloudEventsTest.COMPARE).body("{not json").when().post("/").then(),
        400,
        "malformed_json");
    assertError(
        binaryEvent(CloudEventsTest.COMPARE_BATCH).body("{\"pairs\": 3}").when().post("/").then(),
        400,
        "invalid_input");
  }

  @Test
  void plainJsonPostedToTheEventEndpointIsRefused() {
    assertError(
        postJson("/", "{\"address1\": \"a\", \"address2\": \"b\"}"), 400, "invalid_cloudevent");
  }
}
