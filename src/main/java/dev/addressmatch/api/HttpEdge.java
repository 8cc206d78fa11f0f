package dev.addressmatch.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.addressmatch.config.MatchConfig;
import dev.addressmatch.observability.FailureReason;
import dev.addressmatch.observability.ServiceMetrics;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * The HTTP edge around the Funqy functions, on Vert.x routes that Funqy does not own.
 *
 * <p>Before the functions, the {@link RequestScreen} refuses what Funqy would mishandle, every
 * function request is counted by entry point and outcome, and a caller that hangs up is signalled
 * so that its pairs are dropped. After a failure, the {@link FailureClassifier} decides the JSON
 * error and its status. Client mistakes are logged at DEBUG only, server faults at ERROR with their
 * cause; Funqy's own log lines for client mistakes are silenced in the configuration for that
 * reason, since this class reports every failure.
 */
@ApplicationScoped
public class HttpEdge {

  private static final Logger LOG = Logger.getLogger(HttpEdge.class);
  private static final String VERDICT = "mgeo.verdict";

  /** A future that completes when the caller's connection closes before the answer. */
  static final String CALLER_GONE = "mgeo.caller-gone";

  private final RequestScreen screen;
  private final FailureClassifier classifier;
  private final ServiceMetrics metrics;
  private final ObjectMapper mapper;

  public HttpEdge(MatchConfig config, ServiceMetrics metrics, ObjectMapper mapper) {
    this.screen = new RequestScreen(config);
    this.classifier = new FailureClassifier(screen);
    this.metrics = metrics;
    this.mapper = mapper;
  }

  void install(@Observes Router router) {
    router.route().order(Integer.MIN_VALUE + 100).handler(this::screen);
    router.route().failureHandler(this::onFailure);
  }

  private void screen(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    RequestScreen.Verdict verdict =
        screen.screen(request.method().name(), request.path(), request.headers());
    if (verdict == null) {
      ctx.next();
      return;
    }
    ctx.put(VERDICT, verdict);
    ctx.addEndHandler(done -> countRequest(ctx, verdict));
    CompletableFuture<Void> gone = new CompletableFuture<>();
    ctx.put(CALLER_GONE, gone);
    ctx.response().closeHandler(closed -> gone.complete(null));
    if (verdict.refusal() != null) {
      reply(ctx, verdict.refusal());
      return;
    }
    ctx.next();
  }

  private void onFailure(RoutingContext ctx) {
    RequestScreen.Verdict verdict = ctx.get(VERDICT);
    boolean cloudEvent = verdict != null && "cloudevent".equals(verdict.entryPoint());
    HttpServerRequest request = ctx.request();
    Refusal refusal =
        classifier.classify(
            ctx.failure(), ctx.statusCode(), cloudEvent, request.method().name(), request.path());
    if (refusal == null) {
      LOG.debug("request abandoned by its caller");
      metrics.failure(FailureReason.CALLER_GONE);
      return;
    }
    if (refusal.serverFault()) {
      LOG.errorf(
          ctx.failure(),
          "%s %s failed with %d",
          request.method(),
          request.path(),
          refusal.status());
    }
    reply(ctx, refusal);
  }

  private void reply(RoutingContext ctx, Refusal refusal) {
    metrics.failure(refusal.reason());
    if (ctx.response().ended()) {
      return;
    }
    LOG.debugf(
        "%s %s answered %d: %s",
        ctx.request().method(), ctx.request().path(), refusal.status(), refusal.error().message());
    if (refusal.retryLater()) {
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
    }
    String body;
    try {
      body = mapper.writeValueAsString(refusal.error());
    } catch (JsonProcessingException e) {
      body = "{\"error\":\"" + refusal.error().error() + "\"}";
    }
    ctx.response()
        .setStatusCode(refusal.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, RequestScreen.JSON)
        .end(body);
  }

  private void countRequest(RoutingContext ctx, RequestScreen.Verdict verdict) {
    int status = ctx.response().getStatusCode();
    String outcome;
    if (status < 400) {
      outcome = "success";
    } else if (status == 503) {
      outcome = "rejected";
    } else if (status < 500) {
      outcome = "client_error";
    } else {
      outcome = "server_error";
    }
    metrics.request(verdict.entryPoint(), verdict.function(), outcome);
  }
}
