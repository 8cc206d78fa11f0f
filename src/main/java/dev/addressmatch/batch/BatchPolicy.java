package dev.addressmatch.batch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decides, from the queue and the time, which pairs form the next model batch and when. Pure: no
 * threads, no clock of its own, so its rules are tested with made-up times.
 *
 * <p>The rules:
 *
 * <ul>
 *   <li>The oldest waiting pair is always in the next batch, so no pair starves.
 *   <li>The rest of the batch is filled with the pairs closest to the oldest one in token length,
 *       to keep padding small, while the batch holds at most {@code maxSize} pairs and its padded
 *       size (rows times longest row) stays within {@code tokenBudget}. A single pair over the
 *       budget still runs, alone.
 *   <li>The batch runs at once when it is full: at {@code maxSize}, or when pairs are left over
 *       that did not fit. Otherwise it runs when the oldest pair has waited {@code maxDelayNanos}.
 * </ul>
 *
 * @param maxSize most pairs in one batch
 * @param maxDelayNanos longest wait of the oldest pair for company, in nanoseconds
 * @param tokenBudget most padded tokens (rows times longest row) in one batch
 */
public record BatchPolicy(int maxSize, long maxDelayNanos, int tokenBudget) {

  /** What the policy needs to know of a queued pair. */
  public interface Item {
    long enqueuedNanos();

    int rows();

    int maxLength();
  }

  /**
   * The decision.
   *
   * @param batch pairs to run now, oldest first; empty when the worker should wait
   * @param waitNanos how long to wait before asking again when {@code batch} is empty; negative
   *     means until something arrives
   */
  public record Decision<T extends Item>(List<T> batch, long waitNanos) {}

  /** Decides over the queue, given oldest first, at time {@code nowNanos}. */
  public <T extends Item> Decision<T> decide(List<T> queue, long nowNanos) {
    if (queue.isEmpty()) {
      return new Decision<>(List.of(), -1);
    }
    T oldest = queue.get(0);
    List<T> candidates = new ArrayList<>(queue.subList(1, queue.size()));
    int anchor = oldest.maxLength();
    candidates.sort(Comparator.comparingInt(c -> Math.abs(c.maxLength() - anchor)));

    List<T> batch = new ArrayList<>(Math.min(queue.size(), maxSize));
    batch.add(oldest);
    int rows = oldest.rows();
    int longest = oldest.maxLength();
    for (T candidate : candidates) {
      if (batch.size() == maxSize) {
        break;
      }
      int newRows = rows + candidate.rows();
      int newLongest = Math.max(longest, candidate.maxLength());
      if ((long) newRows * newLongest <= tokenBudget) {
        batch.add(candidate);
        rows = newRows;
        longest = newLongest;
      }
    }

    boolean full = batch.size() == maxSize || batch.size() < queue.size();
    long waited = nowNanos - oldest.enqueuedNanos();
    if (full || waited >= maxDelayNanos) {
      batch.sort(Comparator.comparingLong(Item::enqueuedNanos));
      return new Decision<>(batch, 0);
    }
    return new Decision<>(List.of(), maxDelayNanos - waited);
  }
}
