package dev.addressmatch.model;

import dev.addressmatch.engine.EngineOutput;
import dev.addressmatch.engine.InferenceEngine;
import dev.addressmatch.engine.InferenceException;
import dev.addressmatch.engine.TokenBatch;
import dev.addressmatch.model.tokenizer.Encoding;
import dev.addressmatch.model.tokenizer.WordPieceTokenizer;
import java.util.ArrayList;
import java.util.List;

/** A pair classifier such as MGeo: both addresses in one sequence, softmax over the logits. */
final class CrossEncoderModel implements PairModel {

  private final ModelManifest manifest;
  private final WordPieceTokenizer tokenizer;
  private final InferenceEngine engine;

  CrossEncoderModel(ModelFiles files, InferenceEngine engine) {
    this.manifest = files.manifest();
    this.tokenizer = files.tokenizer();
    this.engine = engine;
  }

  /** One {@code [CLS] a [SEP] b [SEP]} sequence. */
  private record Prepared(Encoding encoding) implements PreparedPair {
    @Override
    public int rows() {
      return 1;
    }

    @Override
    public int maxLength() {
      return encoding.length();
    }

    @Override
    public int tokens() {
      return encoding.length();
    }
  }

  @Override
  public PreparedPair prepare(AddressPair pair) {
    return new Prepared(
        tokenizer.encodePair(pair.address1(), pair.address2(), manifest.maxSequenceLength()));
  }

  @Override
  public PairScore scoreWithoutModel(PreparedPair pair) {
    throw new IllegalStateException("a pair classifier always needs the model");
  }

  @Override
  public List<PairScore> scoreBatch(List<PreparedPair> pairs) throws InferenceException {
    List<Encoding> encodings = new ArrayList<>(pairs.size());
    for (PreparedPair pair : pairs) {
      encodings.add(((Prepared) pair).encoding());
    }
    EngineOutput out = engine.run(TokenBatch.pad(encodings, tokenizer.padId()));
    return fromLogits(out, manifest.labels(), pairs.size());
  }

  /** Softmax of each row, re-ordered from the model's label order into match-level order. */
  static List<PairScore> fromLogits(EngineOutput out, List<MatchLevel> labels, int rows) {
    int width = out.lastDimension();
    List<PairScore> scores = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < width; c++) {
        max = Math.max(max, out.values()[r * width + c]);
      }
      double sum = 0;
      double[] exp = new double[width];
      for (int c = 0; c < width; c++) {
        exp[c] = Math.exp(out.values()[r * width + c] - max);
        sum += exp[c];
      }
      double[] probabilities = new double[MatchLevel.values().length];
      for (int c = 0; c < width; c++) {
        probabilities[labels.get(c).ordinal()] = exp[c] / sum;
      }
      scores.add(PairScore.ofProbabilities(probabilities));
    }
    return scores;
  }

  @Override
  public ModelManifest manifest() {
    return manifest;
  }
}
