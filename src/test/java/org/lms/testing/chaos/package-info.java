/**
 * Test tooling for the fault-injection suite (issue 4): the history of client operations (one JSON
 * line each), a linearizability checker for one register per key, and cheap checks that explain
 * failures (lost writes, phantom and stale reads). Nothing here starts a process or a cluster; see
 * {@code docs/chaos.md}.
 */
package org.lms.testing.chaos;
