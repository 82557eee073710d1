package org.lms.interfaces.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import java.util.List;
import java.util.stream.Stream;
import org.lms.interfaces.grpc.v1.AssignmentServiceGrpc;
import org.lms.interfaces.grpc.v1.AuthServiceGrpc;
import org.lms.interfaces.grpc.v1.ClusterServiceGrpc;
import org.lms.interfaces.grpc.v1.CourseServiceGrpc;
import org.lms.interfaces.grpc.v1.GradingServiceGrpc;
import org.lms.interfaces.grpc.v1.MaterialServiceGrpc;
import org.lms.interfaces.grpc.v1.QuestionServiceGrpc;
import org.lms.interfaces.grpc.v1.SubmissionServiceGrpc;
import org.lms.interfaces.grpc.v1.UserServiceGrpc;

/**
 * The services of the public gRPC port as generated descriptors, for the tests that reach every rpc
 * without listing it (a new rpc is covered once its service is here). One list, so that a new
 * service cannot be added to one such test and forgotten in another.
 */
final class ApiServices {
  /** The LMS's own services (lms.v1): every rpc but Login needs a token. */
  static final List<ServiceDescriptor> LMS =
      List.of(
          AuthServiceGrpc.getServiceDescriptor(),
          UserServiceGrpc.getServiceDescriptor(),
          CourseServiceGrpc.getServiceDescriptor(),
          MaterialServiceGrpc.getServiceDescriptor(),
          AssignmentServiceGrpc.getServiceDescriptor(),
          SubmissionServiceGrpc.getServiceDescriptor(),
          GradingServiceGrpc.getServiceDescriptor(),
          QuestionServiceGrpc.getServiceDescriptor(),
          ClusterServiceGrpc.getServiceDescriptor());

  /** {@link #LMS} and the standard health and (v1) reflection services served beside them. */
  static final List<ServiceDescriptor> LMS_AND_STANDARD =
      Stream.concat(
              LMS.stream(),
              Stream.of(
                  HealthGrpc.getServiceDescriptor(), ServerReflectionGrpc.getServiceDescriptor()))
          .toList();

  private ApiServices() {}

  /** Every rpc of {@code services}, service by service in their order. */
  static List<MethodDescriptor<?, ?>> methods(List<ServiceDescriptor> services) {
    return services.stream().<MethodDescriptor<?, ?>>flatMap(s -> s.getMethods().stream()).toList();
  }
}
