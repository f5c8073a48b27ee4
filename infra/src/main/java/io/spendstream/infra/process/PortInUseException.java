package io.spendstream.infra.process;

/** A component could not start because its configured port is taken. */
public final class PortInUseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PortInUseException(String component, int port) {
    super(component + " cannot listen on 127.0.0.1:" + port + ": the port is already in use."
        + " Stop what uses it (e.g. `ss -ltnp 'sport = :" + port + "'`) or choose another port.");
  }
}
