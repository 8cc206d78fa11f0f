package dev.addressmatch.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * The answer of the single-pair function.
 *
 * @param result the decision
 * @param model the model that decided
 * @param requestId the id of the CloudEvent being answered, for correlation; absent over HTTP
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CompareAnswer(
    @JsonUnwrapped PairAnswer result,
    ModelRef model,
    @JsonProperty("request_id") String requestId) {}
