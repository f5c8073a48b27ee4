package io.spendstream.stream.errors;

import io.spendstream.ops.Failures;
import io.spendstream.schemas.registry.RegistryAuthException;
import io.spendstream.schemas.registry.RegistryRequestException;
import io.spendstream.schemas.registry.RegistryUnavailableException;
import io.spendstream.schemas.serde.PoisonRecordException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Which failures belong to the record (dead-letter it, go on) and which to the infrastructure (fail, so
 * the record is retried from the last commit and never skipped): an unreachable registry or broker is
 * never the record's fault.
 */
final class Faults {
  private Faults() {}

  static boolean infrastructure(Throwable e) {
    if (Failures.causedBy(e, PoisonRecordException.class)) {
      return false; // e.g. an unknown schema id: the record's bytes, even when the registry was asked
    }
    return Failures.causedBy(e, RegistryUnavailableException.class) || Failures.causedBy(e, RegistryAuthException.class)
        || Failures.causedBy(e, RegistryRequestException.class) || Failures.causedBy(e, RetriableException.class)
        || Failures.causedBy(e, InterruptedException.class);
  }

  static String describe(Throwable e) {
    return e.getClass().getSimpleName() + ": " + Failures.rootMessage(e);
  }
}
