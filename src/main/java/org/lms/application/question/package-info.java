/** Questions students ask in a course and the answers they get. */
package org.lms.application.question;
