package dev.addressmatch.scoring;

/** A request was not scored within its deadline; it is dropped, not scored late. */
public class RequestTimeoutException extends RuntimeException {

  public RequestTimeoutException(String message) {
    super(message, null, false, false);
  }
}
