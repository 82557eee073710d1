package org.lms.interfaces.grpc;

import io.grpc.Context;
import io.grpc.stub.StreamObserver;

/** How every unary rpc answers: run the body unless the caller gave up, map any failure once. */
final class Calls {
  private Calls() {}

  /** A unary rpc's work: parse, call one use case, render. */
  @FunctionalInterface
  interface Body<T> {
    T run() throws Exception;
  }

  static <T> void unary(StreamObserver<T> responses, Body<T> body) {
    T response;
    try {
      // a caller that cancelled or ran out of time gets nothing done on its behalf
      if (Context.current().isCancelled()) {
        throw ErrorMapper.callEnded();
      }
      response = body.run();
    } catch (Exception e) {
      responses.onError(ErrorMapper.toStatusException(e));
      return;
    }
    responses.onNext(response);
    responses.onCompleted();
  }
}
