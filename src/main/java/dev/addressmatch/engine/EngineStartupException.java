package dev.addressmatch.engine;

/** The runtime or the requested execution provider could not start. */
public class EngineStartupException extends RuntimeException {

  public EngineStartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
