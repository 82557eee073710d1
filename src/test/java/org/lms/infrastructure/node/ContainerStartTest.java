package org.lms.infrastructure.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.core.StandardContext;
import org.junit.jupiter.api.Test;

class ContainerStartTest {

  @Test
  void aStackInsideTheContainersStartOfTheApplicationIsInProgress() {
    var inside =
        new StackTraceElement[] {
          new StackTraceElement("org.lms.infrastructure.node.LmsNode", "start", null, 1),
          new StackTraceElement("org.apache.catalina.core.StandardContext", "start", null, 2),
          new StackTraceElement("java.lang.Thread", "run", null, 3)
        };
    var elsewhere =
        new StackTraceElement[] {
          new StackTraceElement("org.apache.catalina.core.StandardContext", "stop", null, 1),
          new StackTraceElement("java.lang.Thread", "run", null, 2)
        };

    assertThat(ContainerStart.inProgress(inside)).isTrue();
    assertThat(ContainerStart.inProgress(elsewhere)).isFalse();
    assertThat(ContainerStart.inProgress(new StackTraceElement[0])).isFalse();
  }

  @Test
  void waitsUntilTheDeployThreadHasLeftTheContainersStart() throws Exception {
    var context = new StandardContext();
    // the deploy thread lives on after the start
    Thread deploy = deployThread(context, Duration.ofMinutes(1));
    try {
      CompletableFuture<Boolean> waited =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return ContainerStart.awaitFinished(deploy, Duration.ofSeconds(30))
                      && context.finished();
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              },
              r -> new Thread(r, "waiter").start());
      Thread.sleep(300);
      assertThat(waited).isNotDone();

      context.finish();

      assertThat(waited.get(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      deploy.interrupt();
    }
  }

  @Test
  void outsideAContainerThereIsNothingToWaitFor() throws Exception {
    assertThat(ContainerStart.awaitFinished(Thread.currentThread(), Duration.ofSeconds(1)))
        .isTrue();
  }

  @Test
  void givesUpAfterItsPatience() throws Exception {
    var context = new StandardContext();
    Thread deploy = deployThread(context, Duration.ZERO);
    try {
      assertThat(ContainerStart.awaitFinished(deploy, Duration.ofMillis(200))).isFalse();
    } finally {
      context.finish();
    }
  }

  /**
   * A daemon thread that runs {@code context.start()}, then lives on for {@code after}; returns
   * once it is inside the start.
   */
  private static Thread deployThread(StandardContext context, Duration after)
      throws InterruptedException {
    Thread deploy =
        new Thread(
            () -> {
              try {
                context.start();
                Thread.sleep(after.toMillis());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "deploy");
    deploy.setDaemon(true);
    deploy.start();
    context.awaitEntered();
    return deploy;
  }
}
