/**
 * The web portal's beans: the session cookie and the authentication mechanism that reads it, one
 * backing bean per page, and the one place where failures become Faces messages ({@link
 * org.lms.interfaces.web.portal.FacesErrors}). Every bean calls the use cases ({@code
 * LmsApplication}), so the portal and the gRPC API apply the same rules. Pages are in {@code
 * src/main/webapp}; see docs/portal.md.
 */
package org.lms.interfaces.web.portal;
