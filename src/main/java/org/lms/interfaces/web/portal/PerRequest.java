package org.lms.interfaces.web.portal;

import jakarta.faces.context.FacesContext;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a view-scoped page bean has read in the current request. Faces calls a getter many times in
 * one request (every {@code rendered} attribute, every table row, each phase of a postback), and
 * each call would be a round of store reads; the next request reads afresh. An action that changes
 * the state calls {@link #clear()}, so the page it renders shows the change. Nothing of it is kept
 * with the view.
 */
final class PerRequest implements Serializable {

  private static final long serialVersionUID = 1L;

  private transient Map<String, Object> values;
  private transient Object request;

  /** The value read under {@code key} in this request, read by {@code read} the first time. */
  @SuppressWarnings("unchecked")
  <T> T get(String key, Supplier<T> read) {
    Object now = FacesContext.getCurrentInstance();
    if (values == null || request != now) {
      values = new HashMap<>();
      request = now;
    }
    if (values.containsKey(key)) {
      return (T) values.get(key);
    }
    T value = read.get();
    values.put(key, value);
    return value;
  }

  /** Forgets what was read: the state changed. */
  void clear() {
    values = null;
  }
}
