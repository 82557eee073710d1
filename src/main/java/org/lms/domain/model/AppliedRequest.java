package org.lms.domain.model;

/**
 * A client request the state machine has applied, kept for a while so that the same request
 * committed a second time is not applied again. Raft clients retry a proposal under the same
 * request id; when leadership moves while the first attempt is in the log, the retry can be
 * appended and committed too. Applying it twice could undo a later write (an old title written
 * again over a newer one), so the second copy only answers the first one's result.
 *
 * @param id the request id (the Raft client's id and the call id)
 * @param index the log index at which the request was applied
 * @param rejectionReason the reason it was refused, or empty when it was accepted
 * @param rejectionField the field the refusal named, or empty
 * @param rejectionMessage the refusal's message, or empty
 */
public record AppliedRequest(
    String id, long index, String rejectionReason, String rejectionField, String rejectionMessage)
    implements Entity {}
