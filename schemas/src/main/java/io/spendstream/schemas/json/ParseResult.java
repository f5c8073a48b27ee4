package io.spendstream.schemas.json;

import io.spendstream.schemas.avro.LlmCall;
import java.util.List;

/** The outcome of reading one event: a valid call, or every problem found with it at once. */
public sealed interface ParseResult {
  record Valid(LlmCall call) implements ParseResult {}

  record Invalid(List<FieldError> errors) implements ParseResult {
    public Invalid {
      errors = List.copyOf(errors);
      if (errors.isEmpty()) {
        throw new IllegalArgumentException("an invalid result needs at least one error");
      }
    }
  }
}
