package dev.addressmatch.observability;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every metric of this service that the alert rules and the dashboard query is exported by the
 * running service, so that a renamed metric breaks the build rather than an alert.
 */
@QuarkusTest
class MonitoredMetricsTest {

  private static final Pattern NAME =
      Pattern.compile("\\b(mgeo_[a-z_]+|http_server_requests_seconds_[a-z]+)\\b");

  private static Set<String> namesIn(Path file) throws IOException {
    Set<String> names = new TreeSet<>();
    Matcher m = NAME.matcher(Files.readString(file));
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  @Test
  void everyMetricTheRulesAndDashboardUseIsExported() throws IOException {
    // Some gauges appear once the model is loaded; then exercise the function and a failure.
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .until(() -> given().get("/q/health/ready").statusCode() == 200);
    given()
        .contentType(ContentType.JSON)
        .body("{\"address1\": \"北京市朝阳区建国路88号\", \"address2\": \"北京朝阳建国路88号\"}")
        .post("/compare");
    given().contentType(ContentType.JSON).body("{\"address1\": 1}").post("/compare");
    String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
    Set<String> exported = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)").matcher(scrape);
    while (m.find()) {
      exported.add(m.group(1));
    }

    Set<String> used = new TreeSet<>();
    used.addAll(namesIn(Path.of("knative/monitoring/rules.yaml")));
    used.addAll(namesIn(Path.of("knative/monitoring/grafana-dashboard.json")));
    assertTrue(used.size() >= 5, "the rules and dashboard name too few metrics: " + used);
    Set<String> missing = new TreeSet<>(used);
    missing.removeAll(exported);
    assertTrue(missing.isEmpty(), "used by rules or dashboard but not exported: " + missing);
  }
}
