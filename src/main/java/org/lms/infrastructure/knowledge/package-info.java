/**
 * The AI assistant's course knowledge (issue 6): {@link
 * org.lms.infrastructure.knowledge.PdfAndTextReader} takes the text out of uploaded material
 * (PDFBox for PDF) and {@link org.lms.infrastructure.knowledge.LuceneCourseKnowledge} keeps an
 * in-memory Lucene index of its passages. The index is this node's own cache, derived from the
 * replicated materials and their blobs and rebuilt at every start; nothing here writes to the state
 * store or takes part in the log.
 */
package org.lms.infrastructure.knowledge;
