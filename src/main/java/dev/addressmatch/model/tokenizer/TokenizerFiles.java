package dev.addressmatch.model.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link WordPieceTokenizer} from the files a model ships: a Hugging Face {@code
 * tokenizer.json}, or a BERT {@code vocab.txt} with an optional {@code tokenizer_config.json}
 * beside it.
 */
public final class TokenizerFiles {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TokenizerFiles() {}

  /** Reads a {@code tokenizer.json}; only the WordPiece model with a BERT normalizer is known. */
  public static WordPieceTokenizer fromTokenizerJson(InputStream in, String source)
      throws IOException {
    JsonNode root = JSON.readTree(in);
    JsonNode model = root.path("model");
    if (!"WordPiece".equals(model.path("type").asText())) {
      throw new IllegalArgumentException(
          source
              + ": model.type is '"
              + model.path("type").asText()
              + "'; only WordPiece is supported");
    }
    JsonNode norm = root.path("normalizer");
    if (!norm.isMissingNode()
        && !norm.isNull()
        && !"BertNormalizer".equals(norm.path("type").asText())) {
      throw new IllegalArgumentException(
          source
              + ": normalizer.type is '"
              + norm.path("type").asText()
              + "'; only BertNormalizer is supported");
    }
    boolean lowercase = norm.path("lowercase").asBoolean(true);
    JsonNode strip = norm.path("strip_accents");
    boolean stripAccents = strip.isBoolean() ? strip.asBoolean() : lowercase;
    BertNormalizer normalizer =
        new BertNormalizer(
            norm.path("clean_text").asBoolean(true),
            norm.path("handle_chinese_chars").asBoolean(true),
            stripAccents,
            lowercase);

    Map<String, Integer> vocab = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = model.path("vocab").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      vocab.put(e.getKey(), e.getValue().asInt());
    }
    List<String> added = new ArrayList<>();
    for (JsonNode token : root.path("added_tokens")) {
      String content = token.path("content").asText();
      if (!content.isEmpty() && vocab.containsKey(content)) {
        added.add(content);
      }
    }
    JsonNode special = root.path("post_processor").path("special_tokens");
    String cls =
        special.has("[CLS]")
            ? "[CLS]"
            : root.path("post_processor").path("cls").path(0).asText("[CLS]");
    String sep =
        special.has("[SEP]")
            ? "[SEP]"
            : root.path("post_processor").path("sep").path(0).asText("[SEP]");
    return new WordPieceTokenizer(
        vocab,
        normalizer,
        added,
        model.path("unk_token").asText("[UNK]"),
        model.path("continuing_subword_prefix").asText("##"),
        model.path("max_input_chars_per_word").asInt(100),
        cls,
        sep,
        "[PAD]");
  }

  /** Reads a {@code tokenizer.json} file. */
  public static WordPieceTokenizer fromTokenizerJson(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return fromTokenizerJson(in, file.toString());
    }
  }

  /**
   * Reads a BERT {@code vocab.txt} (one token a line, the id is the line number). Settings come
   * from {@code tokenizer_config.json} in the same directory when present; otherwise the BERT
   * defaults apply: lower-casing on, Chinese characters split.
   */
  public static WordPieceTokenizer fromVocabTxt(Path vocabFile) throws IOException {
    Map<String, Integer> vocab = new HashMap<>();
    List<String> lines = Files.readAllLines(vocabFile, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      vocab.putIfAbsent(lines.get(i).strip(), i);
    }
    JsonNode config = JSON.createObjectNode();
    Path configFile = vocabFile.resolveSibling("tokenizer_config.json");
    if (Files.isRegularFile(configFile)) {
      config = JSON.readTree(configFile.toFile());
    }
    boolean lowercase = config.path("do_lower_case").asBoolean(true);
    JsonNode strip = config.path("strip_accents");
    BertNormalizer normalizer =
        new BertNormalizer(
            true,
            config.path("tokenize_chinese_chars").asBoolean(true),
            strip.isBoolean() ? strip.asBoolean() : lowercase,
            lowercase);
    List<String> special = new ArrayList<>();
    for (String token : List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")) {
      if (vocab.containsKey(token)) {
        special.add(token);
      }
    }
    return new WordPieceTokenizer(
        vocab, normalizer, special, "[UNK]", "##", 100, "[CLS]", "[SEP]", "[PAD]");
  }
}
