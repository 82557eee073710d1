package org.lms.interfaces.web;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a JAX-RS resource or method for the cluster's operator only: the request must carry the
 * cluster secret in {@value OperatorAccessFilter#HEADER} ({@link OperatorAccessFilter}). For the
 * node-level operations {@code ./lms} runs (backup, membership changes), which concern the cluster
 * rather than any LMS user; people use the portal and the gRPC API with their own accounts.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface OperatorOnly {}
