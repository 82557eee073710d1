/**
 * Fixtures shared by every test (sample commands, builders); tests reuse them instead of copying.
 * Test code only: nothing in {@code main} may depend on it.
 */
package org.lms.testing;
