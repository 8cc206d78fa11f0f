package dev.addressmatch.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.addressmatch.testing.TestSupport;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CloudEvents face of the functions, driven by the CloudEvents Java SDK as a real client in
 * binary and structured mode, as a Knative broker would deliver them.
 */
@QuarkusTest
class CloudEventsTest {

  static final String COMPARE = "dev.addressmatch.compare.request";
  static final String COMPARE_BATCH = "dev.addressmatch.compare-batch.request";
  static final ObjectMapper JSON = new ObjectMapper();

  @TestHTTPResource("/")
  URL root;

  @BeforeEach
  void awaitModel() {
    ServiceReady.await();
  }

  /** A reply: the HTTP status and the CloudEvent read back from it (null when not 200). */
  record Reply(int status, CloudEvent event, String body) {
    JsonNode data() throws IOException {
      return JSON.readTree(event.getData().toBytes());
    }
  }

  static CloudEvent event(String id, String type, Object data) throws IOException {
    return CloudEventBuilder.v1()
        .withId(id)
        .withSource(URI.create("/tests/orders"))
        .withType(type)
        .withDataContentType("application/json")
        .withData(JSON.writeValueAsBytes(data))
        .build();
  }

  Reply send(CloudEvent event, boolean structured) throws IOException, InterruptedException {
    Map<String, String> headers = new LinkedHashMap<>();
    byte[][] body = new byte[1][];
    var writer = HttpMessageFactory.createWriter(headers::put, bytes -> body[0] = bytes);
    if (structured) {
      writer.writeStructured(event, JsonFormat.CONTENT_TYPE);
    } else {
      writer.writeBinary(event);
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(root.toString()))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body[0]));
    headers.forEach(request::header);
    HttpResponse<byte[]> response =
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    CloudEvent reply = null;
    if (response.statusCode() == 200) {
      reply =
          HttpMessageFactory.createReaderFromMultimap(response.headers().map(), response.body())
              .toEvent();
    }
    return new Reply(response.statusCode(), reply, new String(response.body()));
  }

  @Test
  void binaryEventGetsACorrelatedBinaryReply() throws Exception {
    Reply reply =
        send(
            event("order-17", COMPARE, CompareHttpTest.pair("上海市浦东新区世纪大道100号", "上海市浦东新区世纪大道100号")),
            false);
    assertEquals(200, reply.status(), reply.body());
    assertEquals("dev.addressmatch.compare.result", reply.event().getType());
    assertEquals(URI.create("address-match-function"), reply.event().getSource());
    assertNotEquals("order-17", reply.event().getId());
    assertEquals("order-17", reply.data().path("request_id").asText());
    assertEquals("exact_match", reply.data().path("match_level").asText());
  }

  @Test
  void structuredEventGetsACorrelatedStructuredReply() throws Exception {
    Reply reply =
        send(
            event("order-18", COMPARE, CompareHttpTest.pair("北京市朝阳区建国路88号", "广东省广州市天河区天河路385号太古汇")),
            true);
    assertEquals(200, reply.status(), reply.body());
    assertEquals("dev.addressmatch.compare.result", reply.event().getType());
    assertEquals(URI.create("address-match-function"), reply.event().getSource());
    assertEquals("order-18", reply.data().path("request_id").asText());
    assertEquals("not_match", reply.data().path("match_level").asText());
  }

  @Test
  void batchEventAnswersInOrderInBothModes() throws Exception {
    Map<String, Object> data =
        Map.of(
            "pairs",
            List.of(
                CompareHttpTest.pair("上海市浦东新区世纪大道100号", "上海市浦东新区世纪大道100号"),
                CompareHttpTest.pair("北京市朝阳区建国路88号", "广东省广州市天河区天河路385号太古汇")));
    for (boolean structured : new boolean[] {false, true}) {
      Reply reply = send(event("batch-" + structured, COMPARE_BATCH, data), structured);
      assertEquals(200, reply.status(), reply.body());
      assertEquals("dev.addressmatch.compare-batch.result", reply.event().getType());
      assertEquals("batch-" + structured, reply.data().path("request_id").asText());
      JsonNode results = reply.data().path("results");
      assertEquals(2, results.size());
      assertEquals("exact_match", results.get(0).path("match_level").asText());
      assertEquals("not_match", results.get(1).path("match_level").asText());
    }
  }

  private static double duplicatesCounted() {
    return TestSupport.metric("mgeo_duplicate_events_total");
  }

  @Test
  void aRedeliveredEventGetsTheSameAnswerWithoutBeingScoredAgain() throws Exception {
    CloudEvent event =
        event(
            "redelivered-1", COMPARE, CompareHttpTest.pair("浙江省杭州市西湖区文三路90号", "杭州市西湖区文三路90号东部软件园"));
    Reply first = send(event, false);
    double before = duplicatesCounted();
    Reply again = send(event, true);
    assertEquals(200, again.status(), again.body());
    assertEquals(first.data(), again.data());
    assertEquals(before + 1, duplicatesCounted());
    // Another id with the same data is a new event, scored as such.
    Reply other =
        send(event("redelivered-2", COMPARE, JSON.readTree(event.getData().toBytes())), false);
    assertEquals("redelivered-2", other.data().path("request_id").asText());
    assertEquals(before + 1, duplicatesCounted());
  }
}
