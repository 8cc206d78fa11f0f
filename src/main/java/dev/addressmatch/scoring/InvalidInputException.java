package dev.addressmatch.scoring;

/**
 * A request the service will not score because of what it carries. Answered with a 4xx naming the
 * field; never logged above DEBUG.
 */
public class InvalidInputException extends RuntimeException {

  private final int status;
  private final String field;
  private final Long limit;

  public InvalidInputException(int status, String field, String message, Long limit) {
    super(message, null, false, false);
    this.status = status;
    this.field = field;
    this.limit = limit;
  }

  public static InvalidInputException badField(String field, String message) {
    return new InvalidInputException(400, field, message, null);
  }

  public static InvalidInputException overLimit(
      int status, String field, String message, long limit) {
    return new InvalidInputException(status, field, message, limit);
  }

  /** HTTP status: 400, or 413 for a request over a size limit. */
  public int status() {
    return status;
  }

  /** The offending field, e.g. {@code pairs[3].address2}; null when it is the whole body. */
  public String field() {
    return field;
  }

  /** The limit that was exceeded, when one was. */
  public Long limit() {
    return limit;
  }
}
