package org.lms.interfaces.grpc;

import static org.lms.interfaces.grpc.BearerTokenInterceptor.actor;

import io.grpc.stub.StreamObserver;
import org.lms.application.port.CommandGateway;
import org.lms.application.question.QuestionService;
import org.lms.interfaces.grpc.v1.AnswerQuestionRequest;
import org.lms.interfaces.grpc.v1.AnswerQuestionResponse;
import org.lms.interfaces.grpc.v1.AskQuestionRequest;
import org.lms.interfaces.grpc.v1.AskQuestionResponse;
import org.lms.interfaces.grpc.v1.ListAnswersRequest;
import org.lms.interfaces.grpc.v1.ListAnswersResponse;
import org.lms.interfaces.grpc.v1.ListQuestionsRequest;
import org.lms.interfaces.grpc.v1.ListQuestionsResponse;
import org.lms.interfaces.grpc.v1.QuestionServiceGrpc;

/** lms.v1.QuestionService over {@link QuestionService}. */
final class QuestionGrpcService extends QuestionServiceGrpc.QuestionServiceImplBase {
  private final QuestionService questions;
  private final CommandGateway gateway;
  private final ReadBarrier reads;

  QuestionGrpcService(QuestionService questions, CommandGateway gateway, ReadBarrier reads) {
    this.questions = questions;
    this.gateway = gateway;
    this.reads = reads;
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
                  questions.answers(actor(), questionId),
                  request.getPageSize(),
                  request.getPageToken(),
                  "ListAnswers",
                  questionId);
          return ListAnswersResponse.newBuilder()
              .addAllAnswers(page.items().stream().map(ProtoMapper::answer).toList())
              .setNextPageToken(page.nextPageToken())
              .build();
        });
  }
}
