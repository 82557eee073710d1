package org.lms.interfaces.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Serves the JAX-RS resources of this WAR under {@code /api}, away from the Faces pages. */
@ApplicationPath("api")
public class LmsRestApplication extends Application {}
