package dev.addressmatch.model.tokenizer;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The text clean-up that BERT tokenizers apply before splitting, with the same switches and the
 * same character classes as the Hugging Face {@code BertNormalizer}.
 *
 * <p>Character classes follow the Rust definitions that the reference implementation uses, not the
 * Java ones where they differ: {@link Character#isWhitespace} for instance leaves out the no-break
 * spaces that Unicode's White_Space property includes.
 */
final class BertNormalizer {

  private final boolean cleanText;
  private final boolean handleChineseChars;
  private final boolean stripAccents;
  private final boolean lowercase;

  BertNormalizer(
      boolean cleanText, boolean handleChineseChars, boolean stripAccents, boolean lowercase) {
    this.cleanText = cleanText;
    this.handleChineseChars = handleChineseChars;
    this.stripAccents = stripAccents;
    this.lowercase = lowercase;
  }

  String normalize(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);

      if (cleanText) {
        if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
          continue;
        }
        if (isWhitespace(cp)) {
          out.append(' ');
          continue;
        }
      }
      if (handleChineseChars && isChineseChar(cp)) {
        out.append(' ').appendCodePoint(cp).append(' ');
      } else {
        out.appendCodePoint(cp);
      }
    }
    String result = out.toString();
    if (stripAccents) {
      result = removeNonSpacingMarks(Normalizer.normalize(result, Normalizer.Form.NFD));
    }
    if (lowercase) {
      result = result.toLowerCase(Locale.ROOT);
    }
    return result;
  }

  private static String removeNonSpacingMarks(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK)
        .forEach(out::appendCodePoint);
    return out.toString();
  }

  /** Unicode's White_Space property, which Rust's {@code char::is_whitespace} implements. */
  static boolean isWhitespace(int cp) {
    return (cp >= 0x09 && cp <= 0x0D)
        || cp == 0x20
        || cp == 0x85
        || cp == 0xA0
        || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200A)
        || cp == 0x2028
        || cp == 0x2029
        || cp == 0x202F
        || cp == 0x205F
        || cp == 0x3000;
  }

  /** Control and other "Other" categories, except the tab and line breaks kept as blanks. */
  private static boolean isControl(int cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r') {
      return false;
    }
    int type = Character.getType(cp);
    return type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.UNASSIGNED
        || type == Character.PRIVATE_USE
        || type == Character.SURROGATE;
  }

  /** The CJK ideograph blocks that BERT splits into one token per character. */
  static boolean isChineseChar(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF)
        || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x20000 && cp <= 0x2A6DF)
        || (cp >= 0x2A700 && cp <= 0x2B73F)
        || (cp >= 0x2B740 && cp <= 0x2B81F)
        || (cp >= 0x2B920 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF)
        || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }

  /** ASCII punctuation (which includes symbols such as {@code $} and {@code +}) and Unicode P*. */
  static boolean isPunctuation(int cp) {
    if ((cp >= 33 && cp <= 47)
        || (cp >= 58 && cp <= 64)
        || (cp >= 91 && cp <= 96)
        || (cp >= 123 && cp <= 126)) {
      return true;
    }
    switch (Character.getType(cp)) {
      case Character.CONNECTOR_PUNCTUATION:
      case Character.DASH_PUNCTUATION:
      case Character.START_PUNCTUATION:
      case Character.END_PUNCTUATION:
      case Character.INITIAL_QUOTE_PUNCTUATION:
      case Character.FINAL_QUOTE_PUNCTUATION:
      case Character.OTHER_PUNCTUATION:
        return true;
      default:
        return false;
    }
  }
}
