package dev.addressmatch.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The JSON body of every error answer.
 *
 * @param error a stable machine-readable code, e.g. {@code invalid_input}
 * @param message what was wrong and what to change, for a person
 * @param field the offending field, e.g. {@code pairs[2].address1}, when there is one
 * @param limit the limit that was exceeded, when there is one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String message, String field, Long limit) {

  static ApiError of(String error, String message) {
    return new ApiError(error, message, null, null);
  }
}
