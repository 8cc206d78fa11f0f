package dev.addressmatch.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The answer of the batch function: one result per pair, in request order.
 *
 * @param results the decisions, in the order of the request's pairs
 * @param model the model that decided
 * @param requestId the id of the CloudEvent being answered, for correlation; absent over HTTP
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchAnswer(
    List<PairAnswer> results, ModelRef model, @JsonProperty("request_id") String requestId) {}
