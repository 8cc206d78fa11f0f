package dev.addressmatch.observability;

import java.util.Locale;

/** The fixed set of reasons a request can fail for, used as a metric tag. */
public enum FailureReason {
  INVALID_INPUT,
  PAYLOAD_TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE,
  MALFORMED_JSON,
  INVALID_CLOUDEVENT,
  NOT_FOUND,
  METHOD_NOT_ALLOWED,
  NOT_READY,
  OVERLOADED,
  SHUTTING_DOWN,
  TIMEOUT,
  CALLER_GONE,
  INFERENCE,
  INTERNAL;

  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
