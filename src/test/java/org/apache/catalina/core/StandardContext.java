package org.apache.catalina.core;

import java.util.concurrent.CountDownLatch;

/**
 * Stands in, in tests only, for the method of the web container whose end {@code
 * org.lms.infrastructure.node.ContainerStart} waits for: same class and method name, so a thread
 * inside {@link #start} looks to it like a container starting an application.
 */
public final class StandardContext {
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch finish = new CountDownLatch(1);
  private volatile boolean finished;

  /** Blocks until {@link #finish} is called, as a container's start takes its time. */
  public void start() throws InterruptedException {
    entered.countDown();
    finish.await();
    finished = true;
  }

  /** Waits until a thread is inside {@link #start}. */
  public void awaitEntered() throws InterruptedException {
    entered.await();
  }

  public void finish() {
    finish.countDown();
  }

  public boolean finished() {
    return finished;
  }
}
