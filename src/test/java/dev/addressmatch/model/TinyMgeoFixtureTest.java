package dev.addressmatch.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.addressmatch.engine.EngineOutput;
import dev.addressmatch.engine.EngineSettings;
import dev.addressmatch.engine.ExecutionProvider;
import dev.addressmatch.engine.OnnxEngine;
import dev.addressmatch.engine.TokenBatch;
import dev.addressmatch.model.tokenizer.Encoding;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tiny MGeo fixture made by {@code scripts/export_mgeo_onnx.py --tiny}: a randomly initialised
 * model of MGeo's own class and input signature, exported the way real MGeo is. Its {@code
 * reference-logits.json} holds, for each sample pair, the token ids of the Python tokenizer and the
 * logits of PyTorch. This checks that the Java tokenizer gives the same ids (but for one known
 * difference in tied truncation), that ONNX Runtime in Java gives the same logits within {@value
 * #LOGIT_TOLERANCE}, that the cross-encoder maps logits onto match levels in the manifest's label
 * order, and that the fp16 and int8 variants agree with fp32 on the labels as the export script
 * requires.
 *
 * <p>Regenerate with {@code scripts/export_mgeo_onnx.py --tiny --out
 * src/test/resources/models/tiny-mgeo}; check with its {@code --check-fixture}.
 */
class TinyMgeoFixtureTest {

  /** PyTorch against ONNX Runtime, both fp32; the export script uses the same bound. */
  private static final double LOGIT_TOLERANCE = 1e-4;

  /** Softmax moves by less than the logits do. */
  private static final double PROBABILITY_TOLERANCE = 1e-4;

  private static final ObjectMapper JSON = new ObjectMapper();

  private static ModelFiles files;
  private static OnnxEngine engine;
  private static List<ReferencePair> reference;

  /**
   * One sample pair as the export script recorded it: the token ids of the tokenizer MGeo's
   * pipeline uses, PyTorch's logits for them, and where Hugging Face's Rust tokenizer cuts the pair
   * differently, its ids too (else the same ids).
   */
  private record ReferencePair(
      String address1,
      String address2,
      String note,
      int[] inputIds,
      int[] tokenTypeIds,
      int[] fastInputIds,
      int[] fastTokenTypeIds,
      float[] logits) {

    AddressPair pair() {
      return new AddressPair(address1, address2);
    }

    Encoding encoding() {
      return new Encoding(inputIds, tokenTypeIds);
    }

    boolean tokenizersAgree() {
      return Arrays.equals(inputIds, fastInputIds) && Arrays.equals(tokenTypeIds, fastTokenTypeIds);
    }
  }

  @BeforeAll
  static void openFixture() throws Exception {
    Path dir = fixture("tiny-mgeo");
    files = ModelFiles.fromDirectory(dir);
    engine = OnnxEngine.open(files, cpu());
    reference = readReference(dir.resolve("reference-logits.json"));
  }

  @AfterAll
  static void closeEngine() {
    if (engine != null) {
      engine.close();
    }
  }

  private static EngineSettings cpu() {
    return new EngineSettings(ExecutionProvider.CPU, 0, 1);
  }

  private static Path fixture(String name) throws URISyntaxException {
    URL manifest =
        TinyMgeoFixtureTest.class.getClassLoader().getResource("models/" + name + "/manifest.json");
    assertNotNull(manifest, "models/" + name + " is not on the test class path");
    return Path.of(manifest.toURI()).getParent();
  }

  private static List<ReferencePair> readReference(Path file) throws IOException {
    JsonNode root = JSON.readTree(file.toFile());
    List<ReferencePair> pairs = new ArrayList<>();
    for (JsonNode p : root.path("pairs")) {
      int[] ids = ints(p.path("input_ids"));
      int[] types = ints(p.path("token_type_ids"));
      pairs.add(
          new ReferencePair(
              p.path("address1").asText(),
              p.path("address2").asText(),
              p.path("note").asText(),
              ids,
              types,
              p.has("fast_input_ids") ? ints(p.path("fast_input_ids")) : ids,
              p.has("fast_token_type_ids") ? ints(p.path("fast_token_type_ids")) : types,
              floats(p.path("logits"))));
    }
    assertEquals(
        root.path("max_sequence_length").asInt(),
        files.manifest().maxSequenceLength(),
        "reference and manifest disagree on the sequence length");
    return pairs;
  }

  private static int[] ints(JsonNode array) {
    int[] values = new int[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asInt();
    }
    return values;
  }

  private static float[] floats(JsonNode array) {
    float[] values = new float[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) array.get(i).asDouble();
    }
    return values;
  }

  private static Encoding encode(ReferencePair p) {
    return files
        .tokenizer()
        .encodePair(p.address1(), p.address2(), files.manifest().maxSequenceLength());
  }

  /** The recorded token ids of every pair, padded into one batch as the service pads them. */
  private static EngineOutput runRecordedIds(OnnxEngine onnx) throws Exception {
    List<Encoding> encodings = reference.stream().map(ReferencePair::encoding).toList();
    return onnx.run(TokenBatch.pad(encodings, files.tokenizer().padId()));
  }

  private static int argmax(float[] values, int offset, int width) {
    int best = 0;
    for (int c = 1; c < width; c++) {
      if (values[offset + c] > values[offset + best]) {
        best = c;
      }
    }
    return best;
  }

  private static double[] softmax(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v);
    }
    double[] exp = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      exp[i] = Math.exp(logits[i] - max);
      sum += exp[i];
    }
    for (int i = 0; i < exp.length; i++) {
      exp[i] /= sum;
    }
    return exp;
  }

  @Test
  void fixtureCoversEveryKindOfPair() {
    assertTrue(reference.size() >= 20, "only " + reference.size() + " reference pairs");
    int max = files.manifest().maxSequenceLength();
    long truncated = reference.stream().filter(p -> p.inputIds().length == max).count();
    assertTrue(truncated >= 3, "only " + truncated + " pairs reach the sequence limit");
    assertEquals(
        List.of(MatchLevel.NOT_MATCH, MatchLevel.PARTIAL_MATCH, MatchLevel.EXACT_MATCH),
        files.manifest().labels());
  }

  @Test
  void javaTokenizerGivesThePythonTokenIds() {
    int checked = 0;
    for (int i = 0; i < reference.size(); i++) {
      ReferencePair p = reference.get(i);
      if (!p.tokenizersAgree()) {
        continue;
      }
      Encoding encoding = encode(p);
      String which = "pair " + i + " (" + p.note() + ")";
      assertArrayEquals(p.inputIds(), encoding.ids(), which + ": input ids");
      assertArrayEquals(p.tokenTypeIds(), encoding.typeIds(), which + ": token type ids");
      checked++;
    }
    assertTrue(checked >= 20, "only " + checked + " pairs checked");
  }

  /**
   * A known difference, kept visible: when both addresses are cut and the budget left is odd,
   * Hugging Face's Python tokenizer (which MGeo's ModelScope pipeline uses unless the model asks
   * for the fast one) keeps the extra token in the first address, its Rust tokenizer in the second.
   * The Java tokenizer follows the Rust one. One token at the cut of a 128-token pair differs. When
   * the Java tokenizer is changed to follow the pipeline, this test fails and should be folded into
   * the one above.
   */
  @Test
  void tiedTruncationFollowsTheRustTokenizerNotThePipeline() {
    List<ReferencePair> tied = reference.stream().filter(p -> !p.tokenizersAgree()).toList();
    assertEquals(1, tied.size(), "pairs cut differently by the two Hugging Face tokenizers");
    for (ReferencePair p : tied) {
      Encoding encoding = encode(p);
      assertArrayEquals(p.fastInputIds(), encoding.ids(), p.note());
      assertArrayEquals(p.fastTokenTypeIds(), encoding.typeIds(), p.note());
      assertFalse(Arrays.equals(p.inputIds(), encoding.ids()), p.note());
    }
  }

  @Test
  void onnxRuntimeGivesThePyTorchLogitsInOnePaddedBatch() throws Exception {
    EngineOutput out = runRecordedIds(engine);
    assertArrayEquals(new long[] {reference.size(), 3}, out.shape());
    for (int i = 0; i < reference.size(); i++) {
      for (int c = 0; c < 3; c++) {
        assertEquals(
            reference.get(i).logits()[c],
            out.values()[i * 3 + c],
            LOGIT_TOLERANCE,
            "pair " + i + " (" + reference.get(i).note() + "), logit " + c);
      }
    }
  }

  @Test
  void eachPairAloneGivesTheSameLogitsAsInTheBatch() throws Exception {
    for (ReferencePair p : reference) {
      EngineOutput alone =
          engine.run(TokenBatch.pad(List.of(p.encoding()), files.tokenizer().padId()));
      assertArrayEquals(p.logits(), alone.values(), (float) LOGIT_TOLERANCE, p.note());
    }
  }

  @Test
  void probabilitiesFollowTheManifestLabelOrder() throws Exception {
    assertProbabilitiesFollowLabels(files, engine);
  }

  @Test
  void reorderedManifestLabelsMoveTheProbabilities(@TempDir Path dir) throws Exception {
    Path source = fixture("tiny-mgeo");
    for (String name : List.of("model.onnx", "vocab.txt", "tokenizer_config.json")) {
      Files.copy(source.resolve(name), dir.resolve(name));
    }
    ObjectNode manifest = (ObjectNode) JSON.readTree(source.resolve("manifest.json").toFile());
    ArrayNode reversed = JSON.createArrayNode();
    reversed.add("exact_match").add("partial_match").add("not_match");
    manifest.set("labels", reversed);
    JSON.writeValue(dir.resolve("manifest.json").toFile(), manifest);

    ModelFiles reordered = ModelFiles.fromDirectory(dir);
    assertEquals(MatchLevel.EXACT_MATCH, reordered.manifest().labels().get(0));
    try (OnnxEngine onnx = OnnxEngine.open(reordered, cpu())) {
      assertProbabilitiesFollowLabels(reordered, onnx);
    }
  }

  /**
   * The probability of each match level is the softmax at that level's position in the labels.
   * Scored from the addresses, so only the pairs both tokenizers cut alike are compared.
   */
  private static void assertProbabilitiesFollowLabels(ModelFiles model, OnnxEngine onnx)
      throws Exception {
    List<ReferencePair> agreed = reference.stream().filter(ReferencePair::tokenizersAgree).toList();
    List<AddressPair> pairs = agreed.stream().map(ReferencePair::pair).toList();
    List<PairScore> scores = PairModel.of(model, onnx).score(pairs);
    List<MatchLevel> labels = model.manifest().labels();
    for (int i = 0; i < agreed.size(); i++) {
      double[] expected = softmax(agreed.get(i).logits());
      double[] actual = scores.get(i).probabilities();
      for (int c = 0; c < labels.size(); c++) {
        assertEquals(
            expected[c],
            actual[labels.get(c).ordinal()],
            PROBABILITY_TOLERANCE,
            "pair " + i + ", " + labels.get(c).label() + " at logit " + c);
      }
    }
  }

  @Test
  void fp16VariantAgreesWithFp32OnEveryLabel() throws Exception {
    assertVariantAgrees("tiny-mgeo-fp16", 2e-2, 1.0);
  }

  @Test
  void int8VariantAgreesWithFp32OnNineLabelsInTen() throws Exception {
    assertVariantAgrees("tiny-mgeo-int8", 0.5, 0.9);
  }

  /** The bounds are those of {@code scripts/optimize_onnx.py} for the variant. */
  private static void assertVariantAgrees(String name, double maxDiff, double minAgreement)
      throws Exception {
    ModelFiles variant = ModelFiles.fromDirectory(fixture(name));
    assertEquals(files.manifest().labels(), variant.manifest().labels());
    try (OnnxEngine onnx = OnnxEngine.open(variant, cpu())) {
      EngineOutput out = runRecordedIds(onnx);
      int agree = 0;
      double largest = 0;
      for (int i = 0; i < reference.size(); i++) {
        float[] expected = reference.get(i).logits();
        if (argmax(expected, 0, 3) == argmax(out.values(), i * 3, 3)) {
          agree++;
        }
        for (int c = 0; c < 3; c++) {
          largest = Math.max(largest, Math.abs(expected[c] - out.values()[i * 3 + c]));
        }
      }
      double agreement = (double) agree / reference.size();
      assertTrue(
          agreement >= minAgreement,
          name + ": labels agree on " + agree + " of " + reference.size() + " pairs");
      assertTrue(
          largest <= maxDiff,
          name + ": largest logit difference " + largest + " exceeds " + maxDiff);
    }
  }
}
