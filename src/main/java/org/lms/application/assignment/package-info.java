/** Assignments and the versioned submissions students hand in. */
package org.lms.application.assignment;
