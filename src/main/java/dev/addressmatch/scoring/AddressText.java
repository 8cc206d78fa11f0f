package dev.addressmatch.scoring;

import java.text.Normalizer;

/** The one normalisation every address gets before a model sees it. */
public final class AddressText {

  private AddressText() {}

  /**
   * NFKC-folds and trims an address. Full-width digits, letters and blanks are common in typed
   * Chinese addresses and mean the same as their ASCII forms; folding them lets the model see one
   * spelling.
   */
  public static String normalize(String address) {
    return Normalizer.normalize(address, Normalizer.Form.NFKC).strip();
  }
}
