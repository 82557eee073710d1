package org.lms.domain.command;

import java.time.Instant;

/** A state change, proposed to the Raft log and applied on every node. */
public sealed interface Command
    permits BootstrapAdmin,
        RegisterUser,
        SetUserDisabled,
        SetPassword,
        OpenSession,
        CloseSession,
        ExpireSessions,
        CreateCourse,
        AssignInstructor,
        EnrolStudent,
        UnenrolStudent,
        AddMaterial,
        RemoveMaterial,
        CreateAssignment,
        UpdateAssignment,
        SubmitAssignment,
        GradeSubmission,
        ReleaseGrade,
        ReleaseAssignmentGrades,
        AskQuestion,
        AnswerQuestion,
        ReferQuestion,
        EndorseAnswer,
        SetCourseAi,
        RecordFeedbackDraft {

  /** The user on whose behalf the command was proposed ({@link #SYSTEM} for the cluster itself). */
  String actorId();

  /** When the accepting node received the request; the state machine's only notion of time. */
  Instant issuedAt();

  /** The actor id of commands the cluster proposes by itself (bootstrap, session expiry). */
  String SYSTEM = "system";
}
