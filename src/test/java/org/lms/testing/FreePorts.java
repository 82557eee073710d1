package org.lms.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;

/**
 * Ports a test picks at run time, never fixed ones. All sockets of one call are held open together,
 * so the ports it returns are distinct.
 */
public final class FreePorts {
  private FreePorts() {}

  /** {@code count} distinct free ports on the loopback interface. */
  public static int[] loopback(int count) {
    var sockets = new ArrayList<ServerSocket>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // the port is free again either way
        }
      }
    }
  }
}
