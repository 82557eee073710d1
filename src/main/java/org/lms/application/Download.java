package org.lms.application;

import java.io.InputStream;

/**
 * A stored file opened for a reader who may see it: its record (what it is) and its bytes, found
 * and authorized once. The caller closes {@code content}.
 */
public record Download<T>(T record, InputStream content) {}
