package dev.addressmatch.batch;

/** The service is full: the caller should retry later. */
public class OverloadedException extends RuntimeException {

  public OverloadedException(String message) {
    super(message, null, false, false);
  }
}
