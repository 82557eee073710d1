package org.lms.interfaces.grpc;

import static org.lms.interfaces.grpc.BearerTokenInterceptor.actor;

import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.function.Consumer;
import org.lms.application.assistant.AiAssistant;
import org.lms.application.port.CommandGateway;
import org.lms.application.question.QuestionService;
import org.lms.interfaces.grpc.v1.AnswerQuestionRequest;
import org.lms.interfaces.grpc.v1.AnswerQuestionResponse;
import org.lms.interfaces.grpc.v1.AskAiRequest;
import org.lms.interfaces.grpc.v1.AskAiResponse;
import org.lms.interfaces.grpc.v1.AskQuestionRequest;
import org.lms.interfaces.grpc.v1.AskQuestionResponse;
import org.lms.interfaces.grpc.v1.EndorseAnswerRequest;
import org.lms.interfaces.grpc.v1.EndorseAnswerResponse;
import org.lms.interfaces.grpc.v1.ListAnswersRequest;
import org.lms.interfaces.grpc.v1.ListAnswersResponse;
import org.lms.interfaces.grpc.v1.ListQuestionsRequest;
import org.lms.interfaces.grpc.v1.ListQuestionsResponse;
import org.lms.interfaces.grpc.v1.QuestionServiceGrpc;
import org.lms.interfaces.grpc.v1.ReferQuestionRequest;
import org.lms.interfaces.grpc.v1.ReferQuestionResponse;

/** lms.v1.QuestionService over {@link QuestionService} and the {@link AiAssistant}. */
final class QuestionGrpcService extends QuestionServiceGrpc.QuestionServiceImplBase {
  private final QuestionService questions;
  private final AiAssistant assistant;
  private final CommandGateway gateway;
  private final ReadBarrier reads;

  QuestionGrpcService(
      QuestionService questions, AiAssistant assistant, CommandGateway gateway, ReadBarrier reads) {
    this.questions = questions;
    this.assistant = assistant;
    this.gateway = gateway;
    this.reads = reads;
  }

  /**
   * Streams the AI's answer. A caller that goes away mid-answer stops receiving pieces, but the
   * answer is still committed: the question is recorded, and the model was already paid for.
   */
  @Override
  public void askAi(AskAiRequest request, StreamObserver<AskAiResponse> responses) {
    var call = (ServerCallStreamObserver<AskAiResponse>) responses;
    call.setOnCancelHandler(() -> {});
    Consumer<AskAiResponse> send =
        event -> {
          synchronized (call) {
            if (!call.isCancelled()) {
              call.onNext(event);
            }
          }
        };
    try {
      if (Context.current().isCancelled()) {
        throw ErrorMapper.callEnded();
      }
      var actor = actor();
      String courseId = ProtoMapper.id("course_id", request.getCourseId());
      var result =
          assistant.ask(
              actor,
              courseId,
              request.getText(),
              question ->
                  send.accept(
                      AskAiResponse.newBuilder()
                          .setQuestion(ProtoMapper.question(question))
                          .setLogIndex(gateway.appliedIndex())
                          .build()),
              piece -> send.accept(AskAiResponse.newBuilder().setPiece(piece).build()));
      send.accept(
          AskAiResponse.newBuilder()
              .setAnswer(ProtoMapper.answer(result.answer(), result.citations()))
              .setLogIndex(gateway.appliedIndex())
              .build());
    } catch (Exception e) {
      if (!call.isCancelled()) {
        call.onError(ErrorMapper.toStatusException(e));
      }
      return;
    }
    if (!call.isCancelled()) {
      call.onCompleted();
    }
  }

  @Override
  public void referQuestion(
      ReferQuestionRequest request, StreamObserver<ReferQuestionResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          var question =
              questions.refer(actor(), ProtoMapper.id("question_id", request.getQuestionId()));
          return ReferQuestionResponse.newBuilder()
              .setQuestion(ProtoMapper.question(question))
              .setLogIndex(gateway.appliedIndex())
              .build();
        });
  }

  @Override
  public void endorseAnswer(
      EndorseAnswerRequest request, StreamObserver<EndorseAnswerResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          var actor = actor();
          var answer =
              questions.endorse(
                  actor, ProtoMapper.id("answer_id", request.getAnswerId()), request.getEndorsed());
          return EndorseAnswerResponse.newBuilder()
              .setAnswer(ProtoMapper.answer(answer, questions.citations(actor, answer.id())))
              .setLogIndex(gateway.appliedIndex())
              .build();
        });
  }

  @Override
  public void askQuestion(
      AskQuestionRequest request, StreamObserver<AskQuestionResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          var question =
              questions.ask(
                  actor(),
                  ProtoMapper.id("course_id", request.getCourseId()),
                  ProtoMapper.addressee("addressee", request.getAddressee()),
                  request.getText());
          return AskQuestionResponse.newBuilder()
              .setQuestion(ProtoMapper.question(question))
              .setLogIndex(gateway.appliedIndex())
              .build();
        });
  }

  @Override
  public void answerQuestion(
      AnswerQuestionRequest request, StreamObserver<AnswerQuestionResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          var answer =
              questions.answer(
                  actor(),
                  ProtoMapper.id("question_id", request.getQuestionId()),
                  request.getText());
          return AnswerQuestionResponse.newBuilder()
              .setAnswer(ProtoMapper.answer(answer))
              .setLogIndex(gateway.appliedIndex())
              .build();
        });
  }

  @Override
  public void listQuestions(
      ListQuestionsRequest request, StreamObserver<ListQuestionsResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          String courseId = ProtoMapper.id("course_id", request.getCourseId());
          reads.await(request.getReadOptions());
          var page =
              Pages.of(
                  questions.list(actor(), courseId),
                  request.getPageSize(),
                  request.getPageToken(),
                  "ListQuestions",
                  courseId);
          return ListQuestionsResponse.newBuilder()
              .addAllQuestions(page.items().stream().map(ProtoMapper::question).toList())
              .setNextPageToken(page.nextPageToken())
              .build();
        });
  }

  @Override
  public void listAnswers(
      ListAnswersRequest request, StreamObserver<ListAnswersResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          String questionId = ProtoMapper.id("question_id", request.getQuestionId());
          reads.await(request.getReadOptions());
          var page =
              Pages.of(
                  questions.citedAnswers(actor(), questionId),
                  request.getPageSize(),
                  request.getPageToken(),
                  "ListAnswers",
                  questionId);
          return ListAnswersResponse.newBuilder()
              .addAllAnswers(
                  page.items().stream()
                      .map(a -> ProtoMapper.answer(a.answer(), a.citations()))
                      .toList())
              .setNextPageToken(page.nextPageToken())
              .build();
        });
  }
}
