package dev.addressmatch.model.tokenizer;

import dev.addressmatch.model.ModelFiles;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The tokenizer takes any string, however hostile: unpaired surrogates, controls, zero-width and
 * combining marks, very long input. It never throws, never exceeds the length limit, and always
 * frames the ids with the special tokens.
 */
class TokenizerPropertiesTest {

  private static final WordPieceTokenizer TOKENIZER = ModelFiles.embeddedDefault().tokenizer();
  private static final int MAX = 64;

  @Provide
  Arbitrary<String> hostile() {
    Arbitrary<Character> anyChar = Arbitraries.chars().all();
    Arbitrary<Character> tricky =
        Arbitraries.of(
            '\uD800', '\uDFFF', '\u0000', '\u0007', '\u200B', '\u200D', '\u0301', '\uFEFF',
            '\uFFFD', '\u3000', '\u00A0', '\n', '\t', '路', '号', '#', '[', ']');
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, anyChar), net.jqwik.api.Tuple.of(2, tricky))
        .list()
        .ofMaxSize(400)
        .map(
            chars -> {
              StringBuilder s = new StringBuilder(chars.size());
              chars.forEach(s::append);
              return s.toString();
            });
  }

  @Property(tries = 500)
  void anyTextEncodesWithinTheLimit(@ForAll("hostile") String text) {
    check(TOKENIZER.encode(text, MAX));
  }

  @Property(tries = 500)
  void anyPairEncodesWithinTheLimit(@ForAll("hostile") String a, @ForAll("hostile") String b) {
    Encoding e = TOKENIZER.encodePair(a, b, MAX);
    check(e);
    int separators = 0;
    for (int id : e.ids()) {
      separators += id == e.ids()[e.length() - 1] ? 1 : 0;
    }
    if (separators < 2) {
      throw new AssertionError("a pair needs two [SEP] tokens");
    }
  }

  private static void check(Encoding e) {
    if (e.length() > MAX || e.length() < 2) {
      throw new AssertionError("length " + e.length());
    }
    if (e.ids().length != e.typeIds().length) {
      throw new AssertionError("ids and type ids differ in length");
    }
    for (int id : e.ids()) {
      if (id < 0 || id >= TOKENIZER.vocabularySize()) {
        throw new AssertionError("id out of the vocabulary: " + id);
      }
    }
  }
}
