package dev.addressmatch.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** The three answers the service gives, in the label order MGeo was trained with. */
public enum MatchLevel {
  NOT_MATCH("not_match"),
  PARTIAL_MATCH("partial_match"),
  EXACT_MATCH("exact_match");

  private final String label;

  MatchLevel(String label) {
    this.label = label;
  }

  @JsonValue
  public String label() {
    return label;
  }

  public static MatchLevel fromLabel(String label) {
    for (MatchLevel level : values()) {
      if (level.label.equals(label)) {
        return level;
      }
    }
    return null;
  }
}
