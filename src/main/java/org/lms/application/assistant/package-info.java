/**
 * The AI assistant: answers students' questions from the course's own material with citations, and
 * drafts feedback that instructors approve. The model is called here, outside the state machine,
 * once per request; its reply is committed as a command (with the model's name, the prompt's hash
 * and the sources), so every node shows the same answer and a replay never calls it. Student text
 * and document text enter a prompt only as quoted, escaped data ({@link
 * org.lms.application.assistant.PromptBuilder}).
 */
package org.lms.application.assistant;
