package dev.addressmatch.model;

/** Two addresses to compare, already checked against the input limits. */
public record AddressPair(String address1, String address2) {}
