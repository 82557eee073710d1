/**
 * The replicated state machine: the handler table, the typed rejections, and the store port through
 * which it reads and writes. Deterministic and idempotent by log index.
 */
package org.lms.domain.state;
