package org.lms.application;

import java.time.Clock;
import java.time.Duration;
import org.lms.application.account.AccountService;
import org.lms.application.assignment.AssignmentService;
import org.lms.application.assistant.AiAssistant;
import org.lms.application.course.CourseService;
import org.lms.application.grading.GradingService;
import org.lms.application.port.BlobStore;
import org.lms.application.port.CommandGateway;
import org.lms.application.port.CourseKnowledge;
import org.lms.application.port.DocumentReader;
import org.lms.application.port.LanguageModel;
import org.lms.application.port.PasswordHasher;
import org.lms.application.question.QuestionService;
import org.lms.domain.state.LmsStateMachine;
import org.lms.domain.state.StateStore;

/**
 * All use cases of one node, built from its ports. The container wiring and the tests construct it
 * the same way; the interfaces (gRPC, portal) reach use cases only through it.
 */
public final class LmsApplication {
  private final AccountService accounts;
  private final CourseService courses;
  private final AssignmentService assignments;
  private final GradingService grading;
  private final QuestionService questions;
  private final AiAssistant assistant;
  private final long maxUploadBytes;

  public LmsApplication(
      CommandGateway gateway,
      StateStore store,
      LmsStateMachine stateMachine,
      BlobStore blobs,
      PasswordHasher hasher,
      Clock clock,
      Duration sessionTtl,
      long maxUploadBytes,
      LanguageModel model,
      CourseKnowledge knowledge,
      DocumentReader reader) {
    var useCases = new UseCases(gateway, store, stateMachine, clock);
    this.accounts = new AccountService(useCases, hasher, sessionTtl);
    this.courses = new CourseService(useCases, blobs, maxUploadBytes);
    this.assignments = new AssignmentService(useCases, blobs, maxUploadBytes);
    this.grading = new GradingService(useCases);
    this.questions = new QuestionService(useCases);
    this.assistant = new AiAssistant(useCases, questions, model, knowledge, reader, blobs);
    this.maxUploadBytes = maxUploadBytes;
  }

  public AccountService accounts() {
    return accounts;
  }

  public CourseService courses() {
    return courses;
  }

  public AssignmentService assignments() {
    return assignments;
  }

  public GradingService grading() {
    return grading;
  }

  public QuestionService questions() {
    return questions;
  }

  public AiAssistant assistant() {
    return assistant;
  }

  /** The largest file an upload may carry, in bytes; interfaces bound their buffering by it. */
  public long maxUploadBytes() {
    return maxUploadBytes;
  }
}
