package dev.addressmatch.api;

import dev.addressmatch.observability.FailureReason;

/**
 * An error answer: its status, its JSON body and the reason it is counted under.
 *
 * @param status the HTTP status
 * @param error the JSON body
 * @param reason the failure metric's reason tag
 */
record Refusal(int status, ApiError error, FailureReason reason) {

  static Refusal of(int status, String code, String message, FailureReason reason) {
    return new Refusal(status, ApiError.of(code, message), reason);
  }

  /** Whether the caller should come back later: the answer then carries Retry-After. */
  boolean retryLater() {
    return status == 503;
  }

  /** Whether it is the service's fault, to be logged as an error with its cause. */
  boolean serverFault() {
    return status >= 500 && status != 503 && status != 504;
  }
}
