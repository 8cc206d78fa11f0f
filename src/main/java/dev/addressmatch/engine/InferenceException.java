package dev.addressmatch.engine;

/** The runtime failed to execute a batch; the requests in that batch fail, others do not. */
public class InferenceException extends Exception {

  public InferenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
