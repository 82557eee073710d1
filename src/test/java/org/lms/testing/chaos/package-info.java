/**
 * Test tooling for the fault-injection suite (issue 4): the history of client operations (one JSON
 * line each), a linearizability checker for one register per key, cheap checks that explain
 * failures (lost writes, phantom and stale reads), and the workload whose gRPC clients produce such
 * histories against a running cluster. Only {@code *IT}s start a cluster; see {@code
 * docs/chaos.md}.
 */
package org.lms.testing.chaos;
