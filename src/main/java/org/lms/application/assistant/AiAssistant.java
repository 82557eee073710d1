package org.lms.application.assistant;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lms.application.Access;
import org.lms.application.Actor;
import org.lms.application.UseCases;
import org.lms.application.port.BlobStore;
import org.lms.application.port.CourseKnowledge;
import org.lms.application.port.CourseKnowledge.Passage;
import org.lms.application.port.DocumentReader;
import org.lms.application.port.DocumentReader.PageText;
import org.lms.application.port.DocumentReader.UnreadableDocumentException;
import org.lms.application.port.LanguageModel;
import org.lms.application.port.LanguageModel.LanguageModelException;
import org.lms.application.question.QuestionService;
import org.lms.domain.command.AnswerQuestion;
import org.lms.domain.command.RecordFeedbackDraft;
import org.lms.domain.command.SetCourseAi;
import org.lms.domain.model.Answer;
import org.lms.domain.model.Assignment;
import org.lms.domain.model.Citation;
import org.lms.domain.model.Course;
import org.lms.domain.model.FeedbackDraft;
import org.lms.domain.model.Question;
import org.lms.domain.model.Question.Addressee;
import org.lms.domain.model.Question.QuestionStatus;
import org.lms.domain.model.Submission;
import org.lms.domain.state.Criterion;
import org.lms.domain.state.RejectedException;
import org.lms.domain.state.RejectionReason;

/**
 * The AI assistant's use cases. Each call that needs the model calls it once, here on the node that
 * accepted the request, and then commits what it said; when the model fails nothing of its reply is
 * committed and the user is told plainly (a question is passed on to the instructor).
 */
public final class AiAssistant {
  private static final Logger LOG = Logger.getLogger(AiAssistant.class.getName());

  /** How many passages a prompt quotes: enough to answer, few enough for a 2B model's context. */
  public static final int PASSAGES = 4;

  private static final Pattern CITATION = Pattern.compile("\\[(\\d{1,2})(?:\\s*,\\s*(\\d{1,2}))*]");
  private static final Pattern NUMBER = Pattern.compile("\\d{1,2}");

  private final UseCases useCases;
  private final QuestionService questions;
  private final LanguageModel model;
  private final CourseKnowledge knowledge;
  private final DocumentReader reader;
  private final BlobStore blobs;

  public AiAssistant(
      UseCases useCases,
      QuestionService questions,
      LanguageModel model,
      CourseKnowledge knowledge,
      DocumentReader reader,
      BlobStore blobs) {
    this.useCases = useCases;
    this.questions = questions;
    this.model = model;
    this.knowledge = knowledge;
    this.reader = reader;
    this.blobs = blobs;
  }

  /** A committed answer of the model, with the sources it cites. */
  public record AiAnswer(Question question, Answer answer, List<Citation> citations) {}

  /**
   * The model could not answer. The question (when there is one) is open for the instructor; the
   * message says so, for the user.
   */
  public static final class AssistantUnavailableException extends RuntimeException {
    private final transient LanguageModel.Failure failure;
    private final String questionId;

    AssistantUnavailableException(String message, LanguageModelException cause, String questionId) {
      super(message, cause);
      this.failure = cause.failure();
      this.questionId = questionId;
    }

    public LanguageModel.Failure failure() {
      return failure;
    }

    /** The question that stays open, or null for a feedback draft. */
    public String questionId() {
      return questionId;
    }
  }

  /**
   * A student asks the AI: the question is committed first (so it is never lost), then answered
   * from the course's material. Pieces of the reply go to {@code pieces} as the model writes them.
   *
   * @throws AssistantUnavailableException when the model gives no answer; the question has then
   *     been passed on to the instructor
   */
  public AiAnswer ask(Actor actor, String courseId, String text, Consumer<String> pieces) {
    return ask(actor, courseId, text, recorded -> {}, pieces);
  }

  /**
   * As {@link #ask(Actor, String, String, Consumer)}, telling {@code recorded} the committed
   * question before the model is called (a stream shows it first).
   */
  public AiAnswer ask(
      Actor actor,
      String courseId,
      String text,
      Consumer<Question> recorded,
      Consumer<String> pieces) {
    Question question = questions.ask(actor, courseId, Addressee.AI, text);
    recorded.accept(question);
    return answer(actor, question, pieces);
  }

  /**
   * Answers a question for the AI that is still open (its first attempt failed before it was passed
   * on, or the node that took it stopped), as its student or an instructor of the course.
   */
  public AiAnswer retry(Actor actor, String questionId, Consumer<String> pieces) {
    Question question = questions.get(actor, questionId);
    if (question.addressee() != Addressee.AI) {
      throw new RejectedException(
          RejectionReason.QUESTION_NOT_FOR_AI,
          "questionId",
          "the question is addressed to the instructor");
    }
    return answer(actor, question, pieces);
  }

  private AiAnswer answer(Actor actor, Question question, Consumer<String> pieces) {
    Course course =
        useCases.require(Course.class, question.courseId(), RejectionReason.UNKNOWN_COURSE);
    List<Passage> passages = knowledge.search(course.id(), question.text(), PASSAGES);
    Prompt prompt = PromptBuilder.forQuestion(course.title(), passages, question.text());
    String reply;
    try {
      reply = model.chat(prompt.messages(), pieces);
    } catch (LanguageModelException e) {
      LOG.log(
          Level.WARNING,
          "AI answer to question {0} failed ({1}): {2}",
          new Object[] {question.id(), e.failure(), e.getMessage()});
      throw new AssistantUnavailableException(
          passOn(actor, question)
              ? e.getMessage() + " Your question has been passed on to your instructor."
              : e.getMessage() + " The question stays open for the instructor.",
          e,
          question.id());
    }
    if (reply.isBlank()) {
      reply = "(The assistant gave an empty answer. Please ask your instructor.)";
    }
    Answer answer =
        questions.recordModelAnswer(
            actor, question.id(), model.name(), prompt.sha256(), reply, cited(reply, passages));
    return new AiAnswer(
        useCases.require(Question.class, question.id(), RejectionReason.UNKNOWN_QUESTION),
        answer,
        questions.citations(actor, answer.id()));
  }

  /** The asker passes an unanswered question on; false if that is not possible (kept open). */
  private boolean passOn(Actor actor, Question question) {
    if (!question.askedBy().equals(actor.userId())) {
      return false;
    }
    try {
      questions.refer(actor, question.id());
      return true;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not pass question " + question.id() + " on", e);
      return false;
    }
  }

  /**
   * The passages the reply cites by number, with the numbers the reply uses; all passages when it
   * cites none (it was given nothing else), none when there were none.
   */
  static List<AnswerQuestion.Source> cited(String reply, List<Passage> passages) {
    var numbers = new TreeSet<Integer>();
    Matcher m = CITATION.matcher(reply);
    while (m.find()) {
      Matcher n = NUMBER.matcher(m.group());
      while (n.find()) {
        int number = Integer.parseInt(n.group());
        if (number >= 1 && number <= passages.size()) {
          numbers.add(number);
        }
      }
    }
    if (numbers.isEmpty()) {
      for (int i = 1; i <= passages.size(); i++) {
        numbers.add(i);
      }
    }
    var sources = new ArrayList<AnswerQuestion.Source>();
    for (int number : numbers) {
      Passage p = passages.get(number - 1);
      sources.add(
          new AnswerQuestion.Source(
              number,
              p.materialId(),
              clip(p.materialTitle()),
              p.page(),
              p.section() == null ? null : clip(p.section())));
    }
    return sources;
  }

  private static String clip(String line) {
    String one = line.replaceAll("\\s+", " ").strip();
    return one.length() > 200 ? one.substring(0, 200) : one;
  }

  /**
   * An instructor asks for a feedback draft on a submission: its file's text against the
   * assignment's description and points. The draft is committed (every node shows it) but is
   * feedback only once the instructor approves it through grading.
   *
   * @throws AssistantUnavailableException when the model gives no draft
   */
  public FeedbackDraft draftFeedback(Actor actor, String submissionId, Consumer<String> pieces) {
    Submission submission = submissionForInstructor(actor, submissionId);
    Assignment assignment =
        useCases.require(
            Assignment.class, submission.assignmentId(), RejectionReason.UNKNOWN_ASSIGNMENT);
    String draftId = useCases.newId();
    // refused early (AI off, not an instructor) before the file is read or the model is called;
    // the prompt's hash is not known yet, as an upload's is not before its bytes arrive
    useCases.check(
        new RecordFeedbackDraft(
            draftId,
            submissionId,
            model.name(),
            UseCases.PENDING_SHA256,
            "-",
            actor.userId(),
            useCases.now()));
    List<PageText> text = readSubmission(submission);
    Prompt prompt =
        PromptBuilder.forFeedback(
            assignment.title(),
            assignment.description(),
            assignment.maxPoints(),
            submission.fileName(),
            text);
    String reply;
    try {
      reply = model.chat(prompt.messages(), pieces);
    } catch (LanguageModelException e) {
      throw new AssistantUnavailableException(
          e.getMessage() + " No draft was made; you can write the feedback yourself.", e, null);
    }
    useCases.propose(
        new RecordFeedbackDraft(
            draftId,
            submissionId,
            model.name(),
            prompt.sha256(),
            reply.isBlank() ? "(The assistant gave an empty draft.)" : reply,
            actor.userId(),
            useCases.now()));
    return useCases.require(FeedbackDraft.class, draftId, RejectionReason.UNKNOWN_DRAFT);
  }

  private List<PageText> readSubmission(Submission submission) {
    if (!reader.canRead(submission.fileName(), submission.mediaType())) {
      throw new RejectedException(
          RejectionReason.INVALID_FIELD,
          "submissionId",
          "the assistant can read PDF, plain text and Markdown files, not "
              + submission.fileName());
    }
    try (InputStream in = blobs.open(submission.sha256())) {
      return reader.read(submission.fileName(), submission.mediaType(), in);
    } catch (UnreadableDocumentException e) {
      throw new RejectedException(RejectionReason.INVALID_FIELD, "submissionId", e.getMessage());
    } catch (IOException e) {
      throw new BlobStore.BlobUnavailableException(
          "the submitted file could not be read: " + e.getMessage());
    }
  }

  /**
   * The submission, for an instructor of its course; anyone else but its student hears it does not
   * exist, its student that only instructors may do this.
   */
  private Submission submissionForInstructor(Actor actor, String submissionId) {
    Submission submission =
        useCases.require(Submission.class, submissionId, RejectionReason.UNKNOWN_SUBMISSION);
    Course course =
        useCases.require(Course.class, submission.courseId(), RejectionReason.UNKNOWN_COURSE);
    Access.requireOwnerOrInstructor(actor, submission, course);
    Access.requireInstructor(actor, course);
    return submission;
  }

  /** The drafts of a submission, newest first, for the course's instructors. */
  public List<FeedbackDraft> drafts(Actor actor, String submissionId) {
    Submission submission = submissionForInstructor(actor, submissionId);
    return useCases
        .store()
        .find(FeedbackDraft.class, Criterion.eq("submissionId", submissionId))
        .stream()
        .sorted(Comparator.comparing(FeedbackDraft::createdAt).reversed())
        .toList();
  }

  /** An instructor of the course or an admin switches the assistant on or off for a course. */
  public Course setEnabled(Actor actor, String courseId, boolean enabled) {
    useCases.propose(new SetCourseAi(courseId, enabled, actor.userId(), useCases.now()));
    return useCases.require(Course.class, courseId, RejectionReason.UNKNOWN_COURSE);
  }

  /** Whether the question is one the assistant could still answer: for the AI and open. */
  public static boolean awaitsModel(Question q) {
    return q.addressee() == Addressee.AI && q.status() == QuestionStatus.OPEN;
  }

  /** The model server as this node sees it. */
  public LanguageModel.Health health() {
    return model.health();
  }

  /** The model's name, as recorded with answers. */
  public String modelName() {
    return model.name();
  }
}
