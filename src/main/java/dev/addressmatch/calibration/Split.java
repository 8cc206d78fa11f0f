package dev.addressmatch.calibration;

import dev.addressmatch.calibration.Calibrate.LabelledPair;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * A split of pair indexes by query: a query's pairs all land on one side. The side is decided by a
 * hash of the query text, so the split is the same on every run and machine.
 */
record Split(int[] calibration, int[] evaluation, int calibrationQueries, int evaluationQueries) {

  int queries() {
    return calibrationQueries + evaluationQueries;
  }

  static Split byQuery(List<LabelledPair> pairs) {
    Set<String> calibrationQueries = new LinkedHashSet<>();
    Set<String> evaluationQueries = new LinkedHashSet<>();
    for (LabelledPair p : pairs) {
      (inCalibration(p.query()) ? calibrationQueries : evaluationQueries).add(p.query());
    }
    int[] calibration =
        IntStream.range(0, pairs.size()).filter(i -> inCalibration(pairs.get(i).query())).toArray();
    int[] evaluation =
        IntStream.range(0, pairs.size())
            .filter(i -> !inCalibration(pairs.get(i).query()))
            .toArray();
    return new Split(calibration, evaluation, calibrationQueries.size(), evaluationQueries.size());
  }

  /** Half the queries, by a stable hash (FNV-1a over the UTF-16 units). */
  private static boolean inCalibration(String query) {
    int hash = 0x811C9DC5;
    for (int i = 0; i < query.length(); i++) {
      hash ^= query.charAt(i);
      hash *= 0x01000193;
    }
    return (hash & 1) == 0;
  }
}
