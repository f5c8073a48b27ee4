package io.spendstream.schemas.registry;

/** HTTP 409: the registry's compatibility rule for the subject refused the schema. */
public final class IncompatibleSchemaException extends RegistryException {
  private static final long serialVersionUID = 1L;
  private final String subject;

  public IncompatibleSchemaException(String subject, String registryMessage) {
    super("schema for subject '" + subject + "' is incompatible with its earlier versions under the registry's"
        + " compatibility rule: " + registryMessage, null);
    this.subject = subject;
  }

  public String subject() {
    return subject;
  }
}
