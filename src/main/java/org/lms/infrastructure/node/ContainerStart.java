package org.lms.infrastructure.node;

import java.time.Duration;

/**
 * Tells when the web container has finished starting this application. GlassFish's (and so
 * Payara's) {@code StandardContext.start} closes the application's jar files as its very last step;
 * a thread loading a class from them at that instant fails with "zip file closed" (a {@code
 * LinkageError} when it happens while linking a lambda). Threads that load many classes right away,
 * such as a Raft server catching up, are started after the deploy thread has left that method.
 */
final class ContainerStart {

  /** The class and method whose end closes the jars. */
  static final String CONTEXT_CLASS = "org.apache.catalina.core.StandardContext";

  static final String CONTEXT_START = "start";

  private static final long POLL_MILLIS = 20;

  private ContainerStart() {}

  /** Whether {@code stack} is inside the container's start of a web application. */
  static boolean inProgress(StackTraceElement[] stack) {
    for (StackTraceElement frame : stack) {
      if (CONTEXT_CLASS.equals(frame.getClassName())
          && CONTEXT_START.equals(frame.getMethodName())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Waits until {@code deployThread} is no longer inside the container's start (at once when it
   * never was, as outside a web container), or {@code patience} has passed; returns whether the
   * start was seen to finish.
   */
  static boolean awaitFinished(Thread deployThread, Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (deployThread.isAlive() && inProgress(deployThread.getStackTrace())) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(POLL_MILLIS);
    }
    return true;
  }
}
