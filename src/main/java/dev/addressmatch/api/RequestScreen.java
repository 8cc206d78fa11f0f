package dev.addressmatch.api;

import dev.addressmatch.config.MatchConfig;
import dev.addressmatch.observability.FailureReason;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Locale;

/**
 * Looks at a request to the functions before Funqy reads it, from its method, path and headers
 * alone, and refuses what Funqy would mishandle: bodies announced over the size limit, empty
 * bodies, unsupported content types, plain JSON posted to the CloudEvents endpoint, and binary-mode
 * CloudEvents that lack a required attribute or carry an unknown type.
 */
final class RequestScreen {

  static final String JSON = "application/json";
  static final String STRUCTURED = "application/cloudevents+json";
  private static final List<String> REQUIRED_CE =
      List.of("ce-id", "ce-source", "ce-type", "ce-specversion");

  private final MatchConfig config;

  RequestScreen(MatchConfig config) {
    this.config = config;
  }

  /**
   * What the screen found.
   *
   * @param entryPoint {@code http} or {@code cloudevent}, for metrics
   * @param function the function addressed, or {@code unknown}
   * @param refusal the answer to give instead of calling the function; null to go on
   */
  record Verdict(String entryPoint, String function, Refusal refusal) {}

  /** Null when the request is not for a function (health, metrics, the REST resource). */
  Verdict screen(String method, String path, MultiMap headers) {
    boolean root = "/".equals(path);
    String function = functionOfPath(path);
    if (!"POST".equals(method) || (!root && function == null)) {
      return null;
    }
    String contentType = mediaType(headers.get("Content-Type"));
    boolean structured = STRUCTURED.equals(contentType);
    boolean binary = headers.names().stream().anyMatch(RequestScreen::isCeHeader);
    if (root && binary) {
      function = functionOfType(headers.get("ce-type"));
    }
    String entryPoint = structured || binary ? "cloudevent" : "http";
    Refusal refusal = refusal(headers, path, root, function, contentType, structured, binary);
    return new Verdict(entryPoint, function == null ? "unknown" : function, refusal);
  }

  private Refusal refusal(
      MultiMap headers,
      String path,
      boolean root,
      String function,
      String contentType,
      boolean structured,
      boolean binary) {
    String length = headers.get("Content-Length");
    long limit = config.input().maxBodyBytes();
    if (length != null && parseLong(length) > limit) {
      return new Refusal(
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
    }
    if (length != null && length.trim().equals("0")) {
      return structured || binary
          ? Refusal.of(
              400,
              "invalid_cloudevent",
              "the CloudEvent has no data; send the pair as" + " JSON",
              FailureReason.INVALID_CLOUDEVENT)
          : Refusal.of(
              400,
              "invalid_input",
              "the request has no body; send the pair as JSON",
              FailureReason.INVALID_INPUT);
    }
    if (structured && !root) {
      return Refusal.of(
          415,
          "unsupported_media_type",
          "structured CloudEvents are accepted on / only; " + path + " takes " + JSON,
          FailureReason.UNSUPPORTED_MEDIA_TYPE);
    }
    if (!structured && !JSON.equals(contentType)) {
      return Refusal.of(
          415,
          "unsupported_media_type",
          "content type '"
              + contentType
              + "' is not accepted; send "
              + JSON
              + (root ? " (binary CloudEvent) or " + STRUCTURED : ""),
          FailureReason.UNSUPPORTED_MEDIA_TYPE);
    }
    if (root && !structured && !binary) {
      return Refusal.of(
          400,
          "invalid_cloudevent",
          "POST / takes CloudEvents; send plain JSON to /compare or /compare-batch",
          FailureReason.INVALID_CLOUDEVENT);
    }
    if (binary) {
      for (String attribute : REQUIRED_CE) {
        String value = headers.get(attribute);
        if (value == null || value.isBlank()) {
          return new Refusal(
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
        }
      }
      if (function == null) {
        return new Refusal(
            400,
            new ApiError(
                "invalid_cloudevent",
                "event type '" + headers.get("ce-type") + "' is not handled here; " + knownTypes(),
                "ce-type",
                null),
            FailureReason.INVALID_CLOUDEVENT);
      }
    }
    return null;
  }

  String knownTypes() {
    return "known types: "
        + config.events().compareType()
        + ", "
        + config.events().compareBatchType();
  }

  private static String functionOfPath(String path) {
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
        .toLowerCase(Locale.ROOT);
  }

  private static long parseLong(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
