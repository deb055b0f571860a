package dev.courier.cli;

/** {@code --output}: lists default to {@code table}, single objects to {@code json}. */
public enum OutputFormat {
  json,
  table
}
