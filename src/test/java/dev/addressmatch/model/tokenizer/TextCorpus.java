package dev.addressmatch.model.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates varied test strings from a seed: Chinese addresses, full-width forms, digits, Latin
 * letters with and without accents, ASCII and CJK punctuation, emoji, every kind of blank, control
 * and zero-width characters, literal special tokens, long words and very long text.
 */
final class TextCorpus {

  private static final String[] PLACES = {
    "北京市", "朝阳区", "建国路", "88号", "上海市浦东新区", "世纪大道", "广东省深圳市南山区",
    "科技园", "杭州市余杭区文一西路", "成都市武侯区", "人民南路四段", "小区", "3号楼", "2单元",
    "501室", "菜鸟驿站", "万达广场", "东门", "巩义市", "桐和街"
  };
  private static final String[] PIECES = {
    "ＡＢＣ１２３",
    "１０８号",
    "Ｂ座",
    "SOHO",
    "Tower",
    "café",
    "naïve",
    "Ünïcödé",
    "ÅSTRÖM",
    "room#12",
    "No.5",
    "A-3",
    "(东区)",
    "【自提点】",
    "《测试》",
    "，",
    "。",
    "、",
    "；",
    "：",
    "“引号”",
    "「括号」",
    "…",
    "—",
    "~",
    "$99",
    "+86",
    "<b>",
    "1/2",
    "50%",
    "@home",
    "^_^",
    "😀",
    "🏠🚚",
    "👨‍👩‍👧",
    "𠀀𠀁",
    "𪜀",
    "𫝀",
    "㐀",
    "豈",
    "丽",
    "\t",
    "\n",
    "\r\n",
    " ",
    "　",
    "\u00A0",
    "\u2003",
    "\u200B",
    "\u200D",
    "\u0301",
    "e\u0301",
    "\u0000",
    "\u0007",
    "\uFFFD",
    "\uE000",
    "[SEP]",
    "[CLS]",
    "[UNK]",
    "[MASK]",
    "[PAD]",
    "##",
    "ﬁ",
    "Ⅻ",
    "①",
    "㎡",
    "ｶﾀｶﾅ",
    "カタカナ",
    "한국어",
    "русский",
    "عربى",
    "ελληνικά",
    "x" + "y".repeat(120),
    "1234567890123456789012345"
  };

  private TextCorpus() {}

  static List<String> generate(int count, long seed) {
    Random random = new Random(seed);
    List<String> texts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      StringBuilder text = new StringBuilder();
      int parts = random.nextInt(10) == 0 ? 40 + random.nextInt(40) : 1 + random.nextInt(8);
      for (int p = 0; p < parts; p++) {
        int pick = random.nextInt(10);
        if (pick < 5) {
          text.append(PLACES[random.nextInt(PLACES.length)]);
        } else if (pick < 9) {
          text.append(PIECES[random.nextInt(PIECES.length)]);
        } else {
          text.appendCodePoint(randomCodePoint(random));
        }
      }
      texts.add(text.toString());
    }
    texts.set(0, "");
    texts.set(1, "   ");
    return texts;
  }

  /** A code point from the Basic Multilingual Plane or a CJK extension, never a lone surrogate. */
  private static int randomCodePoint(Random random) {
    while (true) {
      int cp = random.nextInt(4) == 0 ? 0x20000 + random.nextInt(0xB000) : random.nextInt(0x10000);
      if (Character.isDefined(cp) && !Character.isSurrogate((char) cp)) {
        return cp;
      }
    }
  }
}
