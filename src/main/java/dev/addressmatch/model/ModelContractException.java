package dev.addressmatch.model;

/**
 * A model directory that does not satisfy the model contract. The message names the file and the
 * field at fault and is meant to be shown to the operator as it is.
 */
public class ModelContractException extends RuntimeException {

  public ModelContractException(String message) {
    super(message);
  }

  public ModelContractException(String message, Throwable cause) {
    super(message, cause);
  }
}
