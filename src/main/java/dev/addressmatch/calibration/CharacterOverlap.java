package dev.addressmatch.calibration;

import dev.addressmatch.scoring.AddressText;
import java.util.HashSet;
import java.util.Set;

/** The plain baseline: how many characters two addresses share, ignoring order and blanks. */
final class CharacterOverlap {

  private CharacterOverlap() {}

  /** Jaccard similarity of the two addresses' sets of non-blank characters. */
  static double jaccard(String a, String b) {
    Set<Integer> left = characters(a);
    Set<Integer> right = characters(b);
    if (left.isEmpty() && right.isEmpty()) {
      return 1.0;
    }
    Set<Integer> union = new HashSet<>(left);
    union.addAll(right);
    left.retainAll(right);
    return (double) left.size() / union.size();
  }

  private static Set<Integer> characters(String text) {
    Set<Integer> set = new HashSet<>();
    AddressText.normalize(text)
        .codePoints()
        .filter(cp -> !Character.isWhitespace(cp))
        .forEach(set::add);
    return set;
  }
}
