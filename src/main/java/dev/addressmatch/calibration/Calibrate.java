package dev.addressmatch.calibration;

import dev.addressmatch.engine.EngineSettings;
import dev.addressmatch.engine.ExecutionProvider;
import dev.addressmatch.engine.InferenceException;
import dev.addressmatch.engine.OnnxEngine;
import dev.addressmatch.model.AddressPair;
import dev.addressmatch.model.ModelFiles;
import dev.addressmatch.model.ModelKind;
import dev.addressmatch.model.PairModel;
import dev.addressmatch.model.PairScore;
import dev.addressmatch.scoring.AddressText;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Calibrates the two similarity thresholds of an embedding model on labelled address pairs and
 * reports its accuracy on pairs it did not calibrate on, next to a character-overlap baseline
 * calibrated the same way.
 *
 * <p>The dataset is a tab-separated file of {@code query, candidate, label} lines with labels 0
 * (not_match), 1 (partial_match) and 2 (exact_match). It is split by query, so that no query has
 * pairs on both sides. The file is only read, never copied.
 *
 * <p>Usage: {@code Calibrate DATASET [MODEL_DIR]}; without a model directory the embedded default
 * is calibrated.
 */
public final class Calibrate {

  private static final int BATCH = 32;

  private Calibrate() {}

  public static void main(String[] args) throws IOException, InferenceException {
    if (args.length < 1 || args[0].equals("--help")) {
      System.err.println("usage: Calibrate DATASET.tsv [MODEL_DIR]");
      System.exit(args.length < 1 ? 2 : 0);
    }
    List<LabelledPair> pairs = LabelledPair.read(Path.of(args[0]));
    ModelFiles files =
        args.length > 1 ? ModelFiles.fromDirectory(Path.of(args[1])) : ModelFiles.embeddedDefault();
    if (files.manifest().kind() != ModelKind.EMBEDDING) {
      throw new IllegalArgumentException("only embedding models have thresholds to calibrate");
    }
    int threads = Runtime.getRuntime().availableProcessors();
    double[] model;
    long start = System.nanoTime();
    try (OnnxEngine engine =
        OnnxEngine.open(files, new EngineSettings(ExecutionProvider.CPU, 0, threads))) {
      model = similarities(PairModel.of(files, engine), pairs);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double[] overlap = new double[pairs.size()];
    for (int i = 0; i < pairs.size(); i++) {
      overlap[i] = CharacterOverlap.jaccard(pairs.get(i).query(), pairs.get(i).candidate());
    }

    Split split = Split.byQuery(pairs);
    Report report = new Report(pairs, split);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    out.printf(
        Locale.ROOT,
        "Dataset: %s: %d pairs, %d queries; calibration %d pairs (%d queries), evaluation %d"
            + " pairs (%d queries). Model scored in %.0f s.%n%n",
        args[0],
        pairs.size(),
        split.queries(),
        split.calibration().length,
        split.calibrationQueries(),
        split.evaluation().length,
        split.evaluationQueries(),
        seconds);
    report.write(out, files.manifest().name() + " (cosine similarity)", model);
    report.write(out, "character overlap (Jaccard of character sets)", overlap);
  }

  private static double[] similarities(PairModel model, List<LabelledPair> pairs)
      throws InferenceException {
    double[] scores = new double[pairs.size()];
    for (int from = 0; from < pairs.size(); from += BATCH) {
      int to = Math.min(pairs.size(), from + BATCH);
      List<AddressPair> batch = new ArrayList<>(to - from);
      for (LabelledPair p : pairs.subList(from, to)) {
        batch.add(
            new AddressPair(
                AddressText.normalize(p.query()), AddressText.normalize(p.candidate())));
      }
      List<PairScore> result = model.score(batch);
      for (int i = 0; i < result.size(); i++) {
        scores[from + i] = result.get(i).similarity();
      }
    }
    return scores;
  }

  /** Reads the dataset file. */
  record LabelledPair(String query, String candidate, int label) {

    static List<LabelledPair> read(Path file) throws IOException {
      List<LabelledPair> pairs = new ArrayList<>();
      int lineNumber = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        String[] fields = line.split("\t");
        if (fields.length != 3 || !fields[2].strip().matches("[012]")) {
          throw new IllegalArgumentException(
              file + ":" + lineNumber + ": expected query<TAB>candidate<TAB>label(0|1|2)");
        }
        pairs.add(new LabelledPair(fields[0], fields[1], Integer.parseInt(fields[2].strip())));
      }
      return pairs;
    }
  }
}
