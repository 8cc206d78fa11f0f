package dev.addressmatch.scoring;

/**
 * A pair as the caller sent it, before any check: either address may be null or too long.
 *
 * @param address1 first address as sent
 * @param address2 second address as sent
 */
public record PairInput(String address1, String address2) {}
