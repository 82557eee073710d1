/**
 * Benchmark drivers. They run outside the test suite (tests never assert timings) and write their
 * numbers to {@code bench/results/}.
 */
package org.lms.bench;
