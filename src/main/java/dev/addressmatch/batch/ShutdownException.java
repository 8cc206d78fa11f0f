package dev.addressmatch.batch;

/** The batcher stopped before the request could be scored; a retry reaches another pod. */
public class ShutdownException extends RuntimeException {

  public ShutdownException(String message) {
    super(message, null, false, false);
  }
}
