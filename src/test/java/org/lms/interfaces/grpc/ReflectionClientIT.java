package org.lms.interfaces.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import io.grpc.CallOptions;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lms.testing.GrpcFixture;

/**
 * A generic client that knows nothing of the LMS but its address: it learns the services and their
 * message types through server reflection alone, then signs in with dynamically built messages, as
 * grpcurl does.
 */
@Timeout(60)
@ExtendWith(GrpcFixture.Shared.class)
class ReflectionClientIT {

  @Test
  void aClientWithOnlyReflectionListsTheServicesAndSignsIn(GrpcFixture api) throws Exception {
    try (var reflection = new Reflection(api)) {
      List<String> services =
          reflection
              .ask(ServerReflectionRequest.newBuilder().setListServices(""))
              .getListServicesResponse()
              .getServiceList()
              .stream()
              .map(ServiceResponse::getName)
              .toList();
      assertThat(services).contains("lms.v1.AuthService", "lms.v1.GradingService");

      FileDescriptor file = reflection.fileContaining("lms.v1.AuthService");
      MethodDescriptor login = file.findServiceByName("AuthService").findMethodByName("Login");
      Descriptor requestType = login.getInputType();
      DynamicMessage request =
          DynamicMessage.newBuilder(requestType)
              .setField(requestType.findFieldByName("username"), GrpcFixture.ADMIN)
              .setField(requestType.findFieldByName("password"), GrpcFixture.ADMIN_PASSWORD)
              .build();
      var method =
          io.grpc.MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName("lms.v1.AuthService/Login")
              .setRequestMarshaller(
                  ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(requestType)))
              .setResponseMarshaller(
                  ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(login.getOutputType())))
              .build();

      DynamicMessage response =
          ClientCalls.blockingUnaryCall(api.channel(), method, CallOptions.DEFAULT, request);

      String token = (String) response.getField(login.getOutputType().findFieldByName("token"));
      assertThat(token).isNotBlank();
    }
  }

  /** One reflection stream, asked one question at a time. */
  private static final class Reflection implements AutoCloseable {
    private final LinkedBlockingQueue<Object> answers = new LinkedBlockingQueue<>();
    private final StreamObserver<ServerReflectionRequest> requests;
    private final Map<String, FileDescriptorProto> protos = new HashMap<>();
    private final Map<String, FileDescriptor> built = new HashMap<>();

    Reflection(GrpcFixture api) {
      requests =
          ServerReflectionGrpc.newStub(api.channel())
              .serverReflectionInfo(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse value) {
                      answers.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                      answers.add(t);
                    }

                    @Override
                    public void onCompleted() {}
                  });
    }

    ServerReflectionResponse ask(ServerReflectionRequest.Builder request) throws Exception {
      requests.onNext(request.build());
      Object answer = answers.poll(10, TimeUnit.SECONDS);
      if (answer instanceof ServerReflectionResponse response) {
        assertThat(response.hasErrorResponse())
            .as(response.getErrorResponse().toString())
            .isFalse();
        return response;
      }
      throw new AssertionError("no reflection answer: " + answer);
    }

    FileDescriptor fileContaining(String symbol) throws Exception {
      var response = ask(ServerReflectionRequest.newBuilder().setFileContainingSymbol(symbol));
      FileDescriptorProto first = null;
      for (var bytes : response.getFileDescriptorResponse().getFileDescriptorProtoList()) {
        FileDescriptorProto proto = FileDescriptorProto.parseFrom(bytes);
        protos.putIfAbsent(proto.getName(), proto);
        first = first == null ? proto : first;
      }
      return build(first.getName());
    }

    private FileDescriptor build(String name) throws Exception {
      FileDescriptor done = built.get(name);
      if (done != null) {
        return done;
      }
      FileDescriptorProto proto = protos.get(name);
      if (proto == null) {
        var response = ask(ServerReflectionRequest.newBuilder().setFileByFilename(name));
        for (var bytes : response.getFileDescriptorResponse().getFileDescriptorProtoList()) {
          FileDescriptorProto p = FileDescriptorProto.parseFrom(bytes);
          protos.putIfAbsent(p.getName(), p);
        }
        proto = protos.get(name);
      }
      FileDescriptor[] dependencies = new FileDescriptor[proto.getDependencyCount()];
      for (int i = 0; i < dependencies.length; i++) {
        dependencies[i] = build(proto.getDependency(i));
      }
      FileDescriptor file = FileDescriptor.buildFrom(proto, dependencies);
      built.put(name, file);
      return file;
    }

    @Override
    public void close() {
      requests.onCompleted();
    }
  }
}
