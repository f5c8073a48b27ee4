package io.spendstream.schemas.json;

/**
 * One problem with one input field, as returned to the sender.
 *
 * @param field dotted path of the field, e.g. {@code usage.input_tokens}; {@code $} for the whole event
 * @param error what is wrong and what is expected; never echoes raw prompt text
 */
public record FieldError(String field, String error) {
  @Override
  public String toString() {
    return field + ": " + error;
  }
}
