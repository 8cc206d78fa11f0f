package dev.addressmatch.scoring;

/** The model is still loading or warming up: the caller should retry shortly. */
public class NotReadyException extends RuntimeException {

  public NotReadyException(String message) {
    super(message, null, false, false);
  }
}
