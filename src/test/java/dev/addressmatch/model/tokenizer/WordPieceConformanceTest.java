package dev.addressmatch.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the hand-written tokenizer id for id against the Hugging Face tokenizer (through DJL), on
 * the embedded model's tokenizer.json and on a lower-casing variant of it, over generated strings
 * and pairs of every kind that shows up in typed addresses and in hostile input.
 */
class WordPieceConformanceTest {

  private static final int MAX_LENGTH = 64;
  private static final int CASES = 1_500;

  @TempDir static Path dir;

  private static Path cased;
  private static Path lowercased;
  private static HuggingFaceTokenizer referenceCased;
  private static HuggingFaceTokenizer referenceLowercased;

  @BeforeAll
  static void writeTokenizerFiles() throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root;
    try (InputStream in =
        WordPieceConformanceTest.class
            .getClassLoader()
            .getResourceAsStream("bge-small-zh-v1.5-q-tokenizer.json")) {
      root = (ObjectNode) json.readTree(in);
    }
    cased = Files.createDirectories(dir.resolve("cased")).resolve("tokenizer.json");
    json.writeValue(cased.toFile(), root);
    ((ObjectNode) root.get("normalizer")).put("lowercase", true);
    lowercased = Files.createDirectories(dir.resolve("lower")).resolve("tokenizer.json");
    json.writeValue(lowercased.toFile(), root);

    // The same vocabulary as a BERT vocab.txt with do_lower_case, to check that loader too.
    Map<Integer, String> byId = new TreeMap<>();
    for (Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it =
            root.path("model").path("vocab").fields();
        it.hasNext(); ) {
      Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e = it.next();
      byId.put(e.getValue().asInt(), e.getKey());
    }
    Files.write(dir.resolve("lower").resolve("vocab.txt"), byId.values(), StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("lower").resolve("tokenizer_config.json"), "{\"do_lower_case\": true}");

    referenceCased = reference(cased);
    referenceLowercased = reference(lowercased);
  }

  private static HuggingFaceTokenizer reference(Path file) throws IOException {
    return HuggingFaceTokenizer.builder()
        .optTokenizerPath(file)
        .optAddSpecialTokens(true)
        .optTruncation(true)
        .optMaxLength(MAX_LENGTH)
        .optPadding(false)
        .build();
  }

  @AfterAll
  static void close() {
    referenceCased.close();
    referenceLowercased.close();
  }

  @Test
  void singleTextsMatchTheReference() throws IOException {
    WordPieceTokenizer ours = TokenizerFiles.fromTokenizerJson(cased);
    List<String> texts = TextCorpus.generate(CASES, 7);
    for (String text : texts) {
      assertSame(referenceCased.encode(text), ours.encode(text, MAX_LENGTH), text);
    }
  }

  @Test
  void pairsMatchTheReferenceIncludingTruncation() throws IOException {
    WordPieceTokenizer ours = TokenizerFiles.fromTokenizerJson(cased);
    List<String> texts = TextCorpus.generate(CASES * 2, 11);
    int truncated = 0;
    for (int i = 0; i < texts.size(); i += 2) {
      String a = texts.get(i);
      String b = texts.get(i + 1);
      Encoding encoding = ours.encodePair(a, b, MAX_LENGTH);
      truncated += encoding.length() == MAX_LENGTH ? 1 : 0;
      assertSame(referenceCased.encode(a, b), encoding, a + " | " + b);
    }
    assertTrue(
        truncated > 50, "the corpus must exercise truncation; it did " + truncated + " times");
  }

  @Test
  void lowercasingTokenizerJsonMatchesTheReference() throws IOException {
    WordPieceTokenizer ours = TokenizerFiles.fromTokenizerJson(lowercased);
    for (String text : TextCorpus.generate(CASES, 13)) {
      assertSame(referenceLowercased.encode(text), ours.encode(text, MAX_LENGTH), text);
    }
  }

  @Test
  void vocabTxtWithLowerCasingMatchesTheReference() throws IOException {
    WordPieceTokenizer ours = TokenizerFiles.fromVocabTxt(lowercased.resolveSibling("vocab.txt"));
    List<String> texts = TextCorpus.generate(CASES, 17);
    for (int i = 0; i + 1 < texts.size(); i += 2) {
      String a = texts.get(i);
      String b = texts.get(i + 1);
      assertSame(
          referenceLowercased.encode(a, b), ours.encodePair(a, b, MAX_LENGTH), a + " | " + b);
    }
  }

  private static void assertSame(
      ai.djl.huggingface.tokenizers.Encoding expected, Encoding actual, String input) {
    long[] ids = Arrays.stream(actual.ids()).asLongStream().toArray();
    long[] types = Arrays.stream(actual.typeIds()).asLongStream().toArray();
    assertArrayEquals(expected.getIds(), ids, () -> "ids differ for " + escape(input));
    assertArrayEquals(expected.getTypeIds(), types, () -> "type ids differ for " + escape(input));
  }

  private static String escape(String s) {
    StringBuilder out = new StringBuilder();
    s.codePoints()
        .forEach(
            cp -> {
              if (cp < 0x20 || cp > 0x7E) {
                out.append(String.format("\\u{%X}", cp));
              } else {
                out.appendCodePoint(cp);
              }
            });
    return out.toString();
  }
}
