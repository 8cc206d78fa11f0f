package dev.addressmatch.api;

import com.fasterxml.jackson.core.JacksonException;
import dev.addressmatch.batch.OverloadedException;
import dev.addressmatch.batch.ShutdownException;
import dev.addressmatch.engine.InferenceException;
import dev.addressmatch.observability.FailureReason;
import dev.addressmatch.scoring.InvalidInputException;
import dev.addressmatch.scoring.NotReadyException;
import dev.addressmatch.scoring.RequestTimeoutException;
import io.quarkus.funqy.runtime.ApplicationException;
import java.io.CharConversionException;
import java.nio.charset.CharacterCodingException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Decides the answer to a request that failed, from what it failed with (or the bare status Funqy
 * failed it with). Client mistakes become a 4xx that the Knative broker does not retry: never 404,
 * 409 or 429, which it does. Overload and loading become 503, deadlines 504, and anything else a
 * 500.
 */
final class FailureClassifier {

  private final RequestScreen screen;

  FailureClassifier(RequestScreen screen) {
    this.screen = screen;
  }

  /**
   * The answer to give; null when there is nobody left to answer (the caller hung up).
   *
   * @param failure what the request failed with, or null when Funqy gave only a status
   * @param status the status the request was failed with
   * @param cloudEvent whether the request was a CloudEvent
   */
  Refusal classify(Throwable failure, int status, boolean cloudEvent, String method, String path) {
    Throwable f = unwrap(failure);
    if (f instanceof InvalidInputException e) {
      boolean tooLarge = e.status() == 413;
      return new Refusal(
          e.status(),
          new ApiError(
              tooLarge ? "payload_too_large" : "invalid_input",
              e.getMessage(),
              e.field(),
              e.limit()),
          tooLarge ? FailureReason.PAYLOAD_TOO_LARGE : FailureReason.INVALID_INPUT);
    }
    if (f instanceof OverloadedException e) {
      return Refusal.of(503, "overloaded", e.getMessage(), FailureReason.OVERLOADED);
    }
    if (f instanceof NotReadyException e) {
      return Refusal.of(503, "not_ready", e.getMessage(), FailureReason.NOT_READY);
    }
    if (f instanceof ShutdownException e) {
      return Refusal.of(503, "shutting_down", e.getMessage(), FailureReason.SHUTTING_DOWN);
    }
    if (f instanceof RequestTimeoutException e) {
      return Refusal.of(504, "timeout", e.getMessage(), FailureReason.TIMEOUT);
    }
    if (f instanceof CancellationException) {
      return null;
    }
    if (f instanceof InferenceException) {
      return Refusal.of(
          500,
          "inference_failed",
          "the model failed on this request's batch; retry",
          FailureReason.INFERENCE);
    }
    if (jsonProblem(f) != null || undecodable(f) || (f == null && status == 400)) {
      return Refusal.of(
          400,
          "malformed_json",
          "the body is not well-formed JSON of the expected shape"
              + (f == null ? "" : ": " + parserMessage(f)),
          FailureReason.MALFORMED_JSON);
    }
    if (f == null && (status == 406 || status == 415)) {
      return Refusal.of(
          415,
          "unsupported_media_type",
          "the content type or the event's datacontenttype is not " + RequestScreen.JSON,
          FailureReason.UNSUPPORTED_MEDIA_TYPE);
    }
    if (cloudEvent && f == null && (status == 404 || status == 409)) {
      return Refusal.of(
          400,
          "invalid_cloudevent",
          "the event's type is not handled here; " + screen.knownTypes(),
          FailureReason.INVALID_CLOUDEVENT);
    }
    if (cloudEvent && f != null && !raisedByThisService(f)) {
      // Funqy could not read the envelope (a missing attribute, say) before any code of this
      // service ran: the sender's mistake. Funqy consumes the body, so the screen cannot see it.
      return Refusal.of(
          400,
          "invalid_cloudevent",
          "the CloudEvent cannot be read; it needs id, source, type, specversion and JSON data",
          FailureReason.INVALID_CLOUDEVENT);
    }
    if (f == null && status == 404) {
      return Refusal.of(404, "not_found", "no function at " + path, FailureReason.NOT_FOUND);
    }
    if (f == null && status == 405) {
      return Refusal.of(
          405,
          "method_not_allowed",
          method + " is not allowed on " + path,
          FailureReason.METHOD_NOT_ALLOWED);
    }
    if (f == null && status == 413) {
      return Refusal.of(
          413,
          "payload_too_large",
          "the body is over the size limit (quarkus.http.limits.max-body-size)",
          FailureReason.PAYLOAD_TOO_LARGE);
    }
    return Refusal.of(500, "internal_error", "the service failed; retry", FailureReason.INTERNAL);
  }

  /** Strips the wrappers that Funqy and futures put around what a function failed with. */
  static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while (t != null
        && t.getCause() != null
        && t.getCause() != t
        && (t instanceof ApplicationException
            || t instanceof CompletionException
            || t instanceof ExecutionException)) {
      t = t.getCause();
    }
    return t;
  }

  private static JacksonException jsonProblem(Throwable failure) {
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof JacksonException e) {
        return e;
      }
    }
    return null;
  }

  /** Bytes that are not text in any encoding the JSON parser detects, e.g. a NUL-led body. */
  private static boolean undecodable(Throwable failure) {
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof CharConversionException || t instanceof CharacterCodingException) {
        return true;
      }
    }
    return false;
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
  private static String parserMessage(Throwable t) {
    JacksonException json = jsonProblem(t);
    String message = String.valueOf(json != null ? json.getOriginalMessage() : t.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
