/** Signing in and out, sessions, passwords, and the administration of accounts. */
package org.lms.application.account;
