package dev.addressmatch.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.addressmatch.batch.OverloadedException;
import dev.addressmatch.batch.ShutdownException;
import dev.addressmatch.config.MatchConfig;
import dev.addressmatch.engine.InferenceException;
import dev.addressmatch.observability.FailureReason;
import dev.addressmatch.observability.ServiceMetrics;
import dev.addressmatch.scoring.InvalidInputException;
import dev.addressmatch.scoring.NotReadyException;
import dev.addressmatch.scoring.RequestTimeoutException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * What happens at the HTTP edge around the Funqy functions, on Vert.x routes that Funqy does not
 * own.
 *
 * <p>A screen runs before the functions on {@code POST /}, {@code /compare} and {@code
 * /compare-batch}: it refuses bodies announced over the size limit, unsupported content types, and
 * binary-mode CloudEvents that lack required attributes or carry an unknown type, each with a JSON
 * error. It also counts every request by entry point and outcome.
 *
 * <p>A failure handler turns whatever failed during a request into a JSON error with the right
 * status. Client mistakes get a 4xx that the Knative broker does not retry (never 404, 409 or 429,
 * which it does) and are logged at DEBUG only; overload and loading get 503 with {@code
 * Retry-After}; everything else is a 500 logged with its cause. Funqy's own log lines for client
 * mistakes are silenced in the configuration for that reason, since this handler reports every
 * failure.
 */
@ApplicationScoped
public class HttpEdge {

  private static final Logger LOG = Logger.getLogger(HttpEdge.class);
  private static final String JSON = "application/json";
  private static final String STRUCTURED = "application/cloudevents+json";
  private static final String ENTRY_POINT = "mgeo.entrypoint";
  private static final String FUNCTION = "mgeo.function";

  /** A future the screen completes when the caller's connection closes before the answer. */
  static final String CALLER_GONE = "mgeo.caller-gone";

  private static final Set<String> REQUIRED_CE =
      Set.of("ce-id", "ce-source", "ce-type", "ce-specversion");

  private final MatchConfig config;
  private final ServiceMetrics metrics;
  private final ObjectMapper mapper;

  public HttpEdge(MatchConfig config, ServiceMetrics metrics, ObjectMapper mapper) {
    this.config = config;
    this.metrics = metrics;
    this.mapper = mapper;
  }

  void install(@Observes Router router) {
    router.route().order(Integer.MIN_VALUE + 100).handler(this::screen);
    router.route().failureHandler(this::onFailure);
  }

  private void screen(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String path = request.path();
    boolean root = "/".equals(path);
    String function = functionOf(path);
    if (request.method() != HttpMethod.POST || (!root && function == null)) {
      ctx.next();
      return;
    }
    String contentType = mediaType(request.getHeader(HttpHeaders.CONTENT_TYPE));
    boolean structured = STRUCTURED.equals(contentType);
    boolean binary = request.headers().names().stream().anyMatch(HttpEdge::isCeHeader);
    String entryPoint = structured || binary ? "cloudevent" : "http";
    if (root && binary) {
      function = functionOfType(request.getHeader("ce-type"));
    }
    ctx.put(ENTRY_POINT, entryPoint);
    ctx.put(FUNCTION, function == null ? "unknown" : function);
    ctx.addEndHandler(done -> countRequest(ctx));
    CompletableFuture<Void> gone = new CompletableFuture<>();
    ctx.put(CALLER_GONE, gone);
    ctx.response().closeHandler(closed -> gone.complete(null));

    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    long limit = config.input().maxBodyBytes();
    if (length != null && parseLong(length) > limit) {
      reply(
          ctx,
          413,
          new ApiError(
              "payload_too_large",
              "the body is "
                  + length
                  + " bytes; the limit is "
                  + limit
                  + " (mgeo.input.max-body-bytes)",
              null,
              limit),
          FailureReason.PAYLOAD_TOO_LARGE);
      return;
    }
    if ("0".equals(length == null ? null : length.trim())) {
      boolean event = structured || binary;
      reply(
          ctx,
          400,
          ApiError.of(
              event ? "invalid_cloudevent" : "invalid_input",
              event
                  ? "the CloudEvent has no data; send the pair as JSON"
                  : "the request has no body; send the pair as JSON"),
          event ? FailureReason.INVALID_CLOUDEVENT : FailureReason.INVALID_INPUT);
      return;
    }
    if (structured && !root) {
      reply(
          ctx,
          415,
          ApiError.of(
              "unsupported_media_type",
              "structured CloudEvents are accepted on / only; " + path + " takes " + JSON),
          FailureReason.UNSUPPORTED_MEDIA_TYPE);
      return;
    }
    if (!structured && !JSON.equals(contentType)) {
      reply(
          ctx,
          415,
          ApiError.of(
              "unsupported_media_type",
              "content type '"
                  + contentType
                  + "' is not accepted; send "
                  + JSON
                  + (root ? " (binary CloudEvent) or " + STRUCTURED : "")),
          FailureReason.UNSUPPORTED_MEDIA_TYPE);
      return;
    }
    if (root && !structured && !binary) {
      reply(
          ctx,
          400,
          ApiError.of(
              "invalid_cloudevent",
              "POST / takes CloudEvents; send plain JSON to /compare or /compare-batch"),
          FailureReason.INVALID_CLOUDEVENT);
      return;
    }
    if (binary) {
      for (String attribute : REQUIRED_CE) {
        String value = request.getHeader(attribute);
        if (value == null || value.isBlank()) {
          reply(
              ctx,
              400,
              new ApiError(
                  "invalid_cloudevent",
                  "the CloudEvent lacks the required attribute "
                      + attribute.substring(3)
                      + " (header "
                      + attribute
                      + ")",
                  attribute,
                  null),
              FailureReason.INVALID_CLOUDEVENT);
          return;
        }
      }
      if (function == null) {
        reply(
            ctx,
            400,
            new ApiError(
                "invalid_cloudevent",
                "event type '"
                    + request.getHeader("ce-type")
                    + "' is not handled here; known types: "
                    + config.events().compareType()
                    + ", "
                    + config.events().compareBatchType(),
                "ce-type",
                null),
            FailureReason.INVALID_CLOUDEVENT);
        return;
      }
    }
    ctx.next();
  }

  private void onFailure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status = ctx.statusCode();
    failure = unwrap(failure);
    boolean cloudEvent = "cloudevent".equals(ctx.get(ENTRY_POINT));

    if (failure instanceof InvalidInputException e) {
      reply(
          ctx,
          e.status(),
          new ApiError(
              e.status() == 413 ? "payload_too_large" : "invalid_input",
              e.getMessage(),
              e.field(),
              e.limit()),
          e.status() == 413 ? FailureReason.PAYLOAD_TOO_LARGE : FailureReason.INVALID_INPUT);
    } else if (failure instanceof OverloadedException e) {
      retryLater(ctx, "overloaded", e.getMessage(), FailureReason.OVERLOADED);
    } else if (failure instanceof NotReadyException e) {
      retryLater(ctx, "not_ready", e.getMessage(), FailureReason.NOT_READY);
    } else if (failure instanceof ShutdownException e) {
      retryLater(ctx, "shutting_down", e.getMessage(), FailureReason.SHUTTING_DOWN);
    } else if (failure instanceof RequestTimeoutException e) {
      LOG.debugf("timed out: %s", e.getMessage());
      reply(ctx, 504, ApiError.of("timeout", e.getMessage()), FailureReason.TIMEOUT);
    } else if (failure instanceof java.util.concurrent.CancellationException) {
      // The caller went away and its pairs were dropped; nobody is left to answer.
      LOG.debug("request abandoned by its caller");
      metrics.failure(FailureReason.CALLER_GONE);
    } else if (failure instanceof InferenceException e) {
      LOG.error("inference failed", e);
      reply(
          ctx,
          500,
          ApiError.of("inference_failed", "the model failed on this request's batch; retry"),
          FailureReason.INFERENCE);
    } else if (isJsonProblem(failure) || (failure == null && status == 400)) {
      LOG.debugf(
          "malformed JSON: %s", failure == null ? "rejected by the binder" : failure.getMessage());
      reply(
          ctx,
          400,
          ApiError.of(
              "malformed_json",
              "the body is not well-formed JSON of the expected shape"
                  + (failure == null ? "" : ": " + firstLine(failure))),
          FailureReason.MALFORMED_JSON);
    } else if (failure == null && (status == 406 || status == 415)) {
      reply(
          ctx,
          415,
          ApiError.of(
              "unsupported_media_type",
              "the content type or the event's datacontenttype is not " + JSON),
          FailureReason.UNSUPPORTED_MEDIA_TYPE);
    } else if (cloudEvent && failure == null && (status == 404 || status == 409)) {
      reply(
          ctx,
          400,
          ApiError.of(
              "invalid_cloudevent",
              "the event's type is not handled here; known types: "
                  + config.events().compareType()
                  + ", "
                  + config.events().compareBatchType()),
          FailureReason.INVALID_CLOUDEVENT);
    } else if (cloudEvent && failure != null && !raisedByThisService(failure)) {
      // The CloudEvent envelope could not be read (a missing attribute, for instance) before
      // any code of this service ran: that is the sender's mistake, not ours.
      LOG.debugf("unreadable CloudEvent: %s", failure);
      reply(
          ctx,
          400,
          ApiError.of(
              "invalid_cloudevent",
              "the CloudEvent cannot be read; it needs id, source, type, specversion"
                  + " and JSON data"),
          FailureReason.INVALID_CLOUDEVENT);
    } else if (failure == null && status == 404) {
      reply(
          ctx,
          404,
          ApiError.of("not_found", "no function at " + ctx.request().path()),
          FailureReason.NOT_FOUND);
    } else if (failure == null && status == 405) {
      reply(
          ctx,
          405,
          ApiError.of(
              "method_not_allowed",
              ctx.request().method() + " is not allowed on " + ctx.request().path()),
          FailureReason.METHOD_NOT_ALLOWED);
    } else if (failure == null && status == 413) {
      long limit = config.input().maxBodyBytes();
      reply(
          ctx,
          413,
          new ApiError(
              "payload_too_large",
              "the body is over the limit of " + limit + " bytes (mgeo.input.max-body-bytes)",
              null,
              limit),
          FailureReason.PAYLOAD_TOO_LARGE);
    } else {
      LOG.errorf(failure, "request to %s failed with status %d", ctx.request().path(), status);
      reply(
          ctx,
          500,
          ApiError.of("internal_error", "the service failed; retry"),
          FailureReason.INTERNAL);
    }
  }

  private void retryLater(RoutingContext ctx, String code, String message, FailureReason reason) {
    LOG.debugf("refused with 503: %s", message);
    ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
    reply(ctx, 503, ApiError.of(code, message), reason);
  }

  private void reply(RoutingContext ctx, int status, ApiError error, FailureReason reason) {
    metrics.failure(reason);
    if (ctx.response().ended()) {
      return;
    }
    if (status < 500) {
      LOG.debugf(
          "%s %s refused with %d: %s",
          ctx.request().method(), ctx.request().path(), status, error.message());
    }
    String body;
    try {
      body = mapper.writeValueAsString(error);
    } catch (JsonProcessingException e) {
      body = "{\"error\":\"" + error.error() + "\"}";
    }
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body);
  }

  private void countRequest(RoutingContext ctx) {
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
    metrics.request(ctx.get(ENTRY_POINT), ctx.get(FUNCTION), outcome);
  }

  private String functionOf(String path) {
    if (("/" + CompareFunctions.COMPARE).equals(path)) {
      return CompareFunctions.COMPARE;
    }
    if (("/" + CompareFunctions.COMPARE_BATCH).equals(path)) {
      return CompareFunctions.COMPARE_BATCH;
    }
    return null;
  }

  private String functionOfType(String type) {
    if (config.events().compareType().equals(type)) {
      return CompareFunctions.COMPARE;
    }
    if (config.events().compareBatchType().equals(type)) {
      return CompareFunctions.COMPARE_BATCH;
    }
    return null;
  }

  private static boolean isCeHeader(String name) {
    return name.regionMatches(true, 0, "ce-", 0, 3);
  }

  private static String mediaType(String header) {
    if (header == null) {
      return "";
    }
    int semicolon = header.indexOf(';');
    return (semicolon < 0 ? header : header.substring(0, semicolon))
        .trim()
        .toLowerCase(java.util.Locale.ROOT);
  }

  private static long parseLong(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Strips the wrappers that Funqy and futures put around what a function failed with. */
  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while (t != null
        && t.getCause() != null
        && t.getCause() != t
        && (t instanceof io.quarkus.funqy.runtime.ApplicationException
            || t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)) {
      t = t.getCause();
    }
    return t;
  }

  private static boolean isJsonProblem(Throwable failure) {
    return jsonProblem(failure) != null;
  }

  private static com.fasterxml.jackson.core.JacksonException jsonProblem(Throwable failure) {
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof com.fasterxml.jackson.core.JacksonException e) {
        return e;
      }
    }
    return null;
  }

  private static boolean raisedByThisService(Throwable failure) {
    for (StackTraceElement frame : failure.getStackTrace()) {
      if (frame.getClassName().startsWith("dev.addressmatch.")) {
        return true;
      }
    }
    return false;
  }

  /** The parser's own words, without exception class names or source excerpts. */
  private static String firstLine(Throwable t) {
    com.fasterxml.jackson.core.JacksonException json = jsonProblem(t);
    String message = String.valueOf(json != null ? json.getOriginalMessage() : t.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
