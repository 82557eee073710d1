/**
 * The LMS's entities as immutable records: what the state machine stores. Every instant has
 * millisecond precision (the log encodes epoch milliseconds), every id is chosen before the command
 * is proposed.
 */
package org.lms.domain.model;
