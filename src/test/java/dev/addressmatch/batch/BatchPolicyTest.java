package dev.addressmatch.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The batch-forming rules, on made-up queues and times. */
class BatchPolicyTest {

  private static final long MS = 1_000_000;

  record Item(String name, long enqueuedNanos, int rows, int maxLength)
      implements BatchPolicy.Item {}

  private static Item item(String name, long atMs, int length) {
    return new Item(name, atMs * MS, 1, length);
  }

  private static List<String> names(BatchPolicy.Decision<Item> d) {
    return d.batch().stream().map(Item::name).toList();
  }

  private final BatchPolicy policy = new BatchPolicy(4, 2 * MS, 1_000);

  @Test
  void emptyQueueWaitsForArrivals() {
    BatchPolicy.Decision<Item> d = policy.decide(List.of(), 0);
    assertTrue(d.batch().isEmpty());
    assertTrue(d.waitNanos() < 0);
  }

  @Test
  void aLonePairWaitsForCompanyUntilTheDelay() {
    List<Item> queue = List.of(item("a", 10, 20));
    BatchPolicy.Decision<Item> early = policy.decide(queue, 10 * MS + MS / 2);
    assertTrue(early.batch().isEmpty());
    assertEquals(MS + MS / 2, early.waitNanos());
    assertEquals(List.of("a"), names(policy.decide(queue, 12 * MS)));
  }

  @Test
  void aFullBatchRunsAtOnce() {
    List<Item> queue =
        List.of(item("a", 10, 20), item("b", 10, 20), item("c", 10, 20), item("d", 10, 20));
    assertEquals(List.of("a", "b", "c", "d"), names(policy.decide(queue, 10 * MS)));
  }

  @Test
  void leftoverWorkMeansTheBatchIsFullAndRunsAtOnce() {
    List<Item> queue = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      queue.add(item("p" + i, 10, 20));
    }
    BatchPolicy.Decision<Item> d = policy.decide(queue, 10 * MS);
    assertEquals(4, d.batch().size());
  }

  @Test
  void theTokenBudgetSplitsBatchesOfLongPairs() {
    // 3 rows of 300 tokens fit in 1000; a fourth would not.
    List<Item> queue =
        List.of(item("a", 10, 300), item("b", 10, 300), item("c", 10, 300), item("d", 10, 300));
    assertEquals(List.of("a", "b", "c"), names(policy.decide(queue, 10 * MS)));
  }

  @Test
  void aSinglePairOverTheBudgetStillRunsAlone() {
    List<Item> queue = List.of(item("huge", 10, 2_000), item("b", 10, 20));
    assertEquals(List.of("huge"), names(policy.decide(queue, 10 * MS)));
  }

  @Test
  void pairsOfSimilarLengthAreGroupedWithTheOldest() {
    BatchPolicy budget = new BatchPolicy(3, 2 * MS, 3 * 30);
    List<Item> queue =
        List.of(
            item("old", 1, 28),
            item("long1", 2, 200),
            item("near1", 3, 30),
            item("long2", 4, 190),
            item("near2", 5, 25));
    assertEquals(List.of("old", "near1", "near2"), names(budget.decide(queue, 5 * MS)));
  }

  @Test
  void theOldestPairIsAlwaysInTheNextBatch() {
    BatchPolicy small = new BatchPolicy(2, 2 * MS, 10_000);
    List<Item> queue =
        List.of(item("old-long", 1, 120), item("s1", 2, 20), item("s2", 3, 20), item("s3", 4, 20));
    assertTrue(names(small.decide(queue, 4 * MS)).contains("old-long"));
  }
}
