package dev.addressmatch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressmatch.testing.PackagedApp;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM under load, on the packaged application: readiness goes DOWN at once while requests are
 * still served, every request sent before the endpoint would be withdrawn is answered 200, requests
 * after that get a retryable status or no connection, and the process exits within its grace
 * period.
 */
class GracefulShutdownIT {

  private static final Duration DELAY = Duration.ofSeconds(3);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir Path dir;

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void sigtermUnderLoadLosesNoAcceptedRequest() throws Exception {
    int port = freePort();
    Process process =
        PackagedApp.start(
            Map.of(
                "QUARKUS_HTTP_PORT", Integer.toString(port),
                "QUARKUS_SHUTDOWN_DELAY", DELAY.toSeconds() + "s",
                "QUARKUS_SHUTDOWN_TIMEOUT", TIMEOUT.toSeconds() + "s"),
            dir.resolve("out.log"));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI base = URI.create("http://127.0.0.1:" + port);
    try {
      awaitReady(http, base);

      // Load: 8 clients in a loop, as a Knative pod sees it, until the endpoint is withdrawn.
      AtomicBoolean routing = new AtomicBoolean(true);
      Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
      AtomicLong okAfterSigterm = new AtomicLong();
      AtomicBoolean sigtermSent = new AtomicBoolean();
      ExecutorService clients = Executors.newFixedThreadPool(8);
      for (int c = 0; c < 8; c++) {
        int client = c;
        clients.submit(
            () -> {
              for (int i = 0; routing.get(); i++) {
                String outcome = compare(http, base, client, i);
                outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                if (outcome.equals("200") && sigtermSent.get()) {
                  okAfterSigterm.incrementAndGet();
                }
              }
            });
      }
      Thread.sleep(2_000);

      long sigterm = System.nanoTime();
      process.destroy();
      sigtermSent.set(true);
      boolean readinessDown = false;
      while (!readinessDown && System.nanoTime() - sigterm < DELAY.toNanos()) {
        readinessDown = status(http, base.resolve("/q/health/ready")) == 503;
      }
      assertTrue(readinessDown, "readiness did not go DOWN during the shutdown delay");

      // Kubernetes stops routing once readiness is DOWN; stop well before the delay ends.
      long withdrawAt = sigterm + DELAY.toNanos() - Duration.ofMillis(1_200).toNanos();
      while (System.nanoTime() < withdrawAt) {
        Thread.onSpinWait();
      }
      routing.set(false);
      clients.shutdown();
      assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS));

      // A straggler after the endpoint is gone gets a retryable answer or no connection.
      String late = compare(http, base, 99, 0);
      assertTrue(
          late.equals("503") || late.equals("refused") || late.equals("200"),
          "a late request got " + late);

      assertTrue(
          process.waitFor(DELAY.plus(TIMEOUT).plusSeconds(10).toSeconds(), TimeUnit.SECONDS),
          "the process outlived its grace period");
      assertEquals(
          Map.of("200", outcomes.get("200").get()), flatten(outcomes), outcomes.toString());
      assertTrue(okAfterSigterm.get() > 0, "no request was served after SIGTERM: " + outcomes);
    } finally {
      process.destroyForcibly();
    }
  }

  private static Map<String, Integer> flatten(Map<String, AtomicInteger> outcomes) {
    Map<String, Integer> plain = new ConcurrentHashMap<>();
    outcomes.forEach((k, v) -> plain.put(k, v.get()));
    return plain;
  }

  private static String compare(HttpClient http, URI base, int client, int i) {
    String body =
        "{\"address1\": \"北京市朝阳区建国路"
            + (client * 1000 + i)
            + "号\","
            + " \"address2\": \"北京朝阳建国路"
            + i
            + "号\"}";
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/compare"))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      return Integer.toString(
          http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
    } catch (ConnectException e) {
      return "refused";
    } catch (IOException e) {
      return "lost: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static int status(HttpClient http, URI uri) {
    try {
      return http.send(
              HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static void awaitReady(HttpClient http, URI base) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (status(http, base.resolve("/q/health/ready")) != 200) {
      assertTrue(System.nanoTime() < deadline, "the application did not become ready");
      Thread.sleep(200);
    }
  }
}
