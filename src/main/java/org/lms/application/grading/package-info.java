/** Grading with compare-and-set versions, releasing grades, gradebooks and grade history. */
package org.lms.application.grading;
