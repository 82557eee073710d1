/** Courses, enrolment, rosters and course material (files through the blob store). */
package org.lms.application.course;
