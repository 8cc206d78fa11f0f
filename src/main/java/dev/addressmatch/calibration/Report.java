package dev.addressmatch.calibration;

import dev.addressmatch.calibration.Calibrate.LabelledPair;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Finds the pair of thresholds that maximises macro-F1 on the calibration side and reports macro-F1
 * and per-class precision and recall on the evaluation side.
 */
final class Report {

  private static final String[] NAMES = {"not_match", "partial_match", "exact_match"};
  private static final int GRID = 300;

  private final List<LabelledPair> pairs;
  private final Split split;

  Report(List<LabelledPair> pairs, Split split) {
    this.pairs = pairs;
    this.split = split;
  }

  void write(PrintStream out, String title, double[] scores) {
    double[] grid = quantiles(scores, split.calibration());
    double bestF1 = -1;
    double bestPartial = 0;
    double bestExact = 0;
    for (int p = 0; p < grid.length; p++) {
      for (int e = p; e < grid.length; e++) {
        double f1 = confusion(scores, split.calibration(), grid[p], grid[e]).macroF1();
        if (f1 > bestF1) {
          bestF1 = f1;
          bestPartial = grid[p];
          bestExact = grid[e];
        }
      }
    }
    Confusion held = confusion(scores, split.evaluation(), bestPartial, bestExact);
    out.printf(Locale.ROOT, "### %s%n%n", title);
    out.printf(
        Locale.ROOT,
        "Thresholds calibrated: partial_match >= %.4f, exact_match >= %.4f (calibration"
            + " macro-F1 %.3f).%n%n",
        bestPartial,
        bestExact,
        bestF1);
    out.printf(Locale.ROOT, "Evaluation macro-F1: **%.3f**%n%n", held.macroF1());
    out.println("| class | precision | recall | F1 | support |");
    out.println("|---|---|---|---|---|");
    for (int c = 0; c < 3; c++) {
      out.printf(
          Locale.ROOT,
          "| %s | %.3f | %.3f | %.3f | %d |%n",
          NAMES[c],
          held.precision(c),
          held.recall(c),
          held.f1(c),
          held.support(c));
    }
    out.println();
  }

  private static double[] quantiles(double[] scores, int[] indexes) {
    double[] values = Arrays.stream(indexes).mapToDouble(i -> scores[i]).sorted().toArray();
    double[] grid = new double[GRID + 1];
    for (int q = 0; q <= GRID; q++) {
      grid[q] = values[(int) ((long) q * (values.length - 1) / GRID)];
    }
    return Arrays.stream(grid).distinct().toArray();
  }

  private Confusion confusion(double[] scores, int[] indexes, double partial, double exact) {
    Confusion confusion = new Confusion();
    for (int i : indexes) {
      int predicted = scores[i] >= exact ? 2 : scores[i] >= partial ? 1 : 0;
      confusion.add(pairs.get(i).label(), predicted);
    }
    return confusion;
  }

  /** Counts of (true label, predicted label). */
  static final class Confusion {
    private final long[][] counts = new long[3][3];

    void add(int truth, int predicted) {
      counts[truth][predicted]++;
    }

    long support(int c) {
      return counts[c][0] + counts[c][1] + counts[c][2];
    }

    double precision(int c) {
      long predicted = counts[0][c] + counts[1][c] + counts[2][c];
      return predicted == 0 ? 0 : (double) counts[c][c] / predicted;
    }

    double recall(int c) {
      long support = support(c);
      return support == 0 ? 0 : (double) counts[c][c] / support;
    }

    double f1(int c) {
      double p = precision(c);
      double r = recall(c);
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    double macroF1() {
      return (f1(0) + f1(1) + f1(2)) / 3;
    }
  }
}
