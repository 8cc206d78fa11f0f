package dev.addressmatch.reliability;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Generated hostile input against the HTTP and CloudEvents entry points. The invariant: never a
 * 5xx, never a hang, never a stack trace in an answer, and a normal request still works after each
 * round.
 */
@QuarkusTest
class HostileInputTest {

  private static final int SAMPLES = 150;

  /**
   * Samples are drawn from a fixed seed so that a build is repeatable; run with {@code
   * -Dhostile.seed=N} to explore other inputs.
   */
  private static final long SEED = Long.getLong("hostile.seed", 20261203L);

  private static <T> List<T> sample(Arbitrary<T> arbitrary, int count) {
    // Sampling outside a property draws from jqwik's per-thread source of randomness.
    net.jqwik.engine.SourceOfRandomness.create(Long.toString(SEED));
    return arbitrary.sampleStream().limit(count).toList();
  }

  private static final RestAssuredConfig PATIENCE =
      RestAssured.config()
          .httpClient(
              HttpClientConfig.httpClientConfig()
                  .setParam("http.socket.timeout", 15_000)
                  .setParam("http.connection.timeout", 5_000));

  @BeforeEach
  void ready() {
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> given().get("/q/health/ready").statusCode() == 200);
  }

  @AfterEach
  void stillServesNormalRequests() {
    given()
        .contentType("application/json")
        .body("{\"address1\": \"北京市朝阳区建国路88号\", \"address2\": \"北京市朝阳区建国路88号\"}")
        .post("/compare")
        .then()
        .statusCode(200);
  }

  /** Strings of any UTF-16 units, unpaired surrogates and controls included. */
  private static Arbitrary<String> hostileText() {
    Arbitrary<Character> tricky =
        Arbitraries.of(
            '\uD800', '\uDC00', '\u0000', '\u001F', '\u200B', '\u200D', '\u0301', '\uFEFF',
            '\uFFFF', '"', '\\', '路', '８');
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, Arbitraries.chars().all()), net.jqwik.api.Tuple.of(2, tricky))
        .list()
        .ofMaxSize(300)
        .map(
            chars -> {
              StringBuilder s = new StringBuilder();
              chars.forEach(s::append);
              return s.toString();
            });
  }

  /** A JSON string literal with every non-ASCII unit escaped, so lone surrogates survive. */
  private static String jsonString(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    return out.append('"').toString();
  }

  private static void assertSafe(Response response, String input) {
    int status = response.statusCode();
    String body = response.asString();
    assertTrue(status < 500, () -> "status " + status + " for " + input + ": " + body);
    assertFalse(body.contains("\tat ") || body.contains("Exception"), () -> body);
  }

  private static RequestSpecification json() {
    return given().config(PATIENCE).contentType("application/json");
  }

  @Test
  void randomUnicodeAddressesNeverBreakTheService() {
    List<String> texts = sample(hostileText(), SAMPLES);
    for (int i = 0; i + 1 < texts.size(); i += 2) {
      String body =
          "{\"address1\": "
              + jsonString(texts.get(i))
              + ", \"address2\": "
              + jsonString(texts.get(i + 1))
              + "}";
      Response r = json().body(body).post("/compare");
      assertSafe(r, body);
      assertTrue(r.statusCode() == 200 || r.statusCode() == 400, () -> body);
    }
  }

  @Test
  void randomBodiesAreRefusedCleanly() {
    for (String body : sample(hostileText(), SAMPLES)) {
      assertSafe(json().body(body).post("/compare"), body);
      assertSafe(json().body(body).post("/compare-batch"), body);
    }
  }

  @Test
  void bodiesThatAreNotTextAreRefused() {
    byte[][] bodies = {
      {0, 0, 0, ' ', 0, 0, 0, '{'},
      {0, 0, 0, (byte) 0xB7, (byte) 0xAE, (byte) 0xCD, (byte) 0xA1, 0},
      {(byte) 0xFF, (byte) 0xFE, 0, 0, '{', 0, 0, 0},
      {(byte) 0xC3, (byte) 0x28, '{', '}'},
    };
    for (byte[] body : bodies) {
      Response r = json().body(body).post("/compare");
      assertSafe(r, java.util.Arrays.toString(body));
      assertEquals(400, r.statusCode(), java.util.Arrays.toString(body));
    }
  }

  @Test
  void wrongTypesAndDuplicateKeysAreRefused() {
    List<String> bodies =
        List.of(
            "{\"address1\": \"a\", \"address1\": \"b\", \"address2\": \"c\"}",
            "{\"address1\": {\"x\": 1}, \"address2\": \"c\"}",
            "{\"address1\": [\"a\"], \"address2\": \"c\"}",
            "{\"address1\": 1e999, \"address2\": \"c\"}",
            "{\"pairs\": [[\"a\", \"b\"]]}",
            "true",
            "\"just a string\"",
            "null");
    for (String body : bodies) {
      Response r = json().body(body).post("/compare");
      assertSafe(r, body);
      assertEquals(400, r.statusCode(), body);
    }
  }

  @Test
  void deeplyNestedAndHugeJsonAreRefused() {
    String nested = "[".repeat(5_000) + "]".repeat(5_000);
    assertSafe(json().body(nested).post("/compare"), "nested arrays");
    String nestedObject = "{\"a\":".repeat(3_000) + "1" + "}".repeat(3_000);
    assertSafe(json().body(nestedObject).post("/compare-batch"), "nested objects");
    String huge = "{\"address1\": \"" + "路".repeat(60_000) + "\", \"address2\": \"x\"}";
    Response r = json().body(huge).post("/compare");
    assertSafe(r, "huge");
    assertEquals(413, r.statusCode());
  }

  @Test
  void oversizedHeadersAreRefused() {
    Response r = json().header("X-Padding", "x".repeat(20_000)).body("{}").post("/compare");
    assertEquals(431, r.statusCode());
  }

  @Test
  void hostileCloudEventsNeverBreakTheService() {
    List<String> texts = sample(Arbitraries.strings().ascii().ofMaxLength(60), SAMPLES);
    for (String text : texts) {
      String header = text.replaceAll("[\\r\\n]", "");
      Response r =
          json()
              .header("ce-id", header.isEmpty() ? "x" : header)
              .header("ce-source", header)
              .header("ce-type", header.isEmpty() ? "dev.addressmatch.compare.request" : header)
              .header("ce-specversion", header.length() % 2 == 0 ? "1.0" : header)
              .body("{\"address1\": " + jsonString(text) + ", \"address2\": \"x\"}")
              .post("/");
      assertSafe(r, text);
      int status = r.statusCode();
      assertFalse(status == 404 || status == 409 || status == 429, "retried status " + status);
      String structured =
          "{\"specversion\": \"1.0\", \"id\": "
              + jsonString(text)
              + ", \"source\": \"/t\","
              + " \"type\": "
              + jsonString(text)
              + ", \"data\": "
              + jsonString(text)
              + "}";
      Response s =
          given()
              .config(PATIENCE)
              .contentType("application/cloudevents+json")
              .body(structured)
              .post("/");
      assertSafe(s, structured);
      assertFalse(s.statusCode() == 404 || s.statusCode() == 409, structured);
    }
  }
}
