package io.spendstream.infra.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Loopback port checks, so a taken port is a clear error instead of a hang or a cryptic bind failure. */
public final class Ports {
  private Ports() {}

  /** Throws {@link PortInUseException} naming the component when the loopback port cannot be bound. */
  public static void requireFree(int port, String component) {
    if (!isFree(port)) {
      throw new PortInUseException(component, port);
    }
  }

  public static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true); // as servers do: sockets in TIME_WAIT do not make a port busy
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A port the OS just handed out on loopback; free at the time of the call. */
  public static int ephemeral() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("could not get a free loopback port", e);
    }
  }
}
