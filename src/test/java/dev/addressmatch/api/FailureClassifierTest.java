package dev.addressmatch.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressmatch.batch.OverloadedException;
import dev.addressmatch.engine.InferenceException;
import dev.addressmatch.scoring.InvalidInputException;
import dev.addressmatch.scoring.RequestTimeoutException;
import dev.addressmatch.testing.TestSupport;
import io.quarkus.funqy.runtime.ApplicationException;
import java.util.Set;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** How failures become answers, and that no client mistake gets a status the broker retries. */
class FailureClassifierTest {

  private static final Set<Integer> BROKER_RETRIES = Set.of(404, 408, 409, 429);

  private final FailureClassifier classifier =
      new FailureClassifier(new RequestScreen(TestSupport.defaultConfig()));

  private Refusal event(Throwable failure, int status) {
    return classifier.classify(failure, status, true, "POST", "/");
  }

  /** A failure raised inside Funqy while it read the envelope, before any code of ours. */
  private static Throwable fromFunqy(Throwable t) {
    t.setStackTrace(
        new StackTraceElement[] {
          new StackTraceElement(
              "io.quarkus.funqy.runtime.bindings.knative.events.VertxRequestHandler",
              "processCloudEvent",
              null,
              1)
        });
    return t;
  }

  @Test
  void clientMistakesInEventsNeverGetAStatusTheBrokerRetries() {
    Throwable[] mistakes = {
      InvalidInputException.badField("address1", "address1 is blank"),
      new ApplicationException(InvalidInputException.badField("pairs", "pairs is empty")),
      new com.fasterxml.jackson.core.JsonParseException(null, "Unexpected character"),
      fromFunqy(new NullPointerException("no type attribute")),
      new java.io.CharConversionException("Invalid UTF-32 character 0xb7aecda1"),
    };
    for (Throwable mistake : mistakes) {
      Refusal r = event(mistake, 500);
      assertTrue(r.status() >= 400 && r.status() < 500, mistake + " gave " + r.status());
      assertTrue(!BROKER_RETRIES.contains(r.status()), mistake + " gave " + r.status());
    }
    for (int funqyStatus : new int[] {400, 404, 406, 409}) {
      Refusal r = event(null, funqyStatus);
      assertTrue(r.status() < 500 && !BROKER_RETRIES.contains(r.status()), "" + funqyStatus);
    }
  }

  @Test
  void invalidInputNamesItsField() {
    Refusal r =
        classifier.classify(
            new ApplicationException(InvalidInputException.badField("pairs[2].address1", "x")),
            500,
            false,
            "POST",
            "/compare-batch");
    assertEquals(400, r.status());
    assertEquals("pairs[2].address1", r.error().field());
  }

  @Test
  void serviceStatesMapToRetryableStatuses() {
    Refusal overloaded = event(new OverloadedException("full"), 500);
    assertEquals(503, overloaded.status());
    assertTrue(overloaded.retryLater());
    assertEquals(504, event(new RequestTimeoutException("late"), 500).status());
    Refusal inference = event(new InferenceException("lost", new IllegalStateException()), 500);
    assertEquals(500, inference.status());
    assertTrue(inference.serverFault());
  }

  @Test
  void aBugInThisServiceIsAServerFaultEvenForEvents() {
    NullPointerException ours = new NullPointerException("bug");
    ours.setStackTrace(
        new StackTraceElement[] {
          new StackTraceElement("dev.addressmatch.scoring.ScoringService", "score", null, 1)
        });
    Refusal r = event(ours, 500);
    assertEquals(500, r.status());
    assertTrue(r.serverFault());
  }

  @Test
  void aCallerThatHungUpGetsNoAnswer() {
    assertNull(event(new CancellationException(), 500));
  }
}
