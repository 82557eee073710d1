package org.lms.infrastructure.mongo;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bson.Document;
import org.eclipse.jnosql.communication.semistructured.CommunicationEntity;
import org.eclipse.jnosql.communication.semistructured.Element;
import org.lms.domain.model.Answer;
import org.lms.domain.model.AppliedRequest;
import org.lms.domain.model.Assignment;
import org.lms.domain.model.Citation;
import org.lms.domain.model.Course;
import org.lms.domain.model.Entity;
import org.lms.domain.model.FeedbackDraft;
import org.lms.domain.model.Grade;
import org.lms.domain.model.GradeEvent;
import org.lms.domain.model.Material;
import org.lms.domain.model.Question;
import org.lms.domain.model.Session;
import org.lms.domain.model.Submission;
import org.lms.domain.model.User;

/**
 * Maps the LMS's entity records to MongoDB documents and back, by reflection over the record
 * components: a component's name is the field name, except {@code id} which is {@code _id}.
 * Instants are stored as int64 epoch milliseconds so that they compare as numbers; enums by name. A
 * boolean component absent from a document reads as false: flags added to a record later (a
 * course's {@code aiDisabled}, a question's {@code shared}) are false in documents written before.
 */
final class RecordDocuments {

  static final String ID = "_id";

  /** Entity types and their collections, in the fixed order snapshots and digests use. */
  private static final Map<Class<? extends Entity>, String> COLLECTIONS = collections();

  private static final List<String> COLLECTION_NAMES = List.copyOf(COLLECTIONS.values());

  private static final List<String> DATA_COLLECTION_NAMES =
      COLLECTION_NAMES.stream()
          .filter(n -> !n.equals(COLLECTIONS.get(AppliedRequest.class)))
          .toList();

  private static final ClassValue<Shape> SHAPES =
      new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
          return Shape.of(type);
        }
      };

  private RecordDocuments() {}

  private static Map<Class<? extends Entity>, String> collections() {
    var table = new LinkedHashMap<Class<? extends Entity>, String>();
    table.put(User.class, "users");
    table.put(Session.class, "sessions");
    table.put(Course.class, "courses");
    table.put(Material.class, "materials");
    table.put(Assignment.class, "assignments");
    table.put(Submission.class, "submissions");
    table.put(Grade.class, "grades");
    table.put(GradeEvent.class, "grade_events");
    table.put(Question.class, "questions");
    table.put(Answer.class, "answers");
    table.put(Citation.class, "citations");
    table.put(FeedbackDraft.class, "feedback_drafts");
    table.put(AppliedRequest.class, "applied_requests");
    return java.util.Collections.unmodifiableMap(table);
  }

  /** The collection names of all LMS entities, in their fixed order. */
  static List<String> collectionNames() {
    return COLLECTION_NAMES;
  }

  /**
   * The collections that hold the LMS's data, which the state digest covers: all but the state
   * machine's own bookkeeping of applied requests, which (like the applied index) moves with every
   * command, refused ones too, and is compared through the snapshots instead.
   */
  static List<String> dataCollectionNames() {
    return DATA_COLLECTION_NAMES;
  }

  static String collectionOf(Class<? extends Entity> type) {
    String name = COLLECTIONS.get(type);
    if (name == null) {
      throw new IllegalArgumentException("no collection for " + type.getName());
    }
    return name;
  }

  /** The document field that stores record component {@code component} of {@code type}. */
  static String fieldOf(Class<? extends Entity> type, String component) {
    if (!SHAPES.get(type).byName.containsKey(component)) {
      throw new IllegalArgumentException(type.getSimpleName() + " has no field " + component);
    }
    return field(component);
  }

  private static String field(String component) {
    return "id".equals(component) ? ID : component;
  }

  /** {@code entity} as a document: {@code _id} first, then the components in declaration order. */
  static Document toDocument(Entity entity) {
    Shape shape = SHAPES.get(entity.getClass());
    var document = new Document();
    document.put(ID, Objects.requireNonNull(entity.id(), "entity id"));
    for (int i = 0; i < shape.components.length; i++) {
      if (!shape.fields[i].equals(ID)) {
        document.put(shape.fields[i], toStored(read(shape.components[i], entity)));
      }
    }
    return document;
  }

  /** A Java value (component or criterion value) as MongoDB stores it. */
  static Object toStored(Object value) {
    if (value instanceof Instant instant) {
      return instant.toEpochMilli();
    }
    if (value instanceof Enum<?> constant) {
      return constant.name();
    }
    if (value instanceof Collection<?> list) {
      return new ArrayList<>(list);
    }
    return value;
  }

  /** Rebuilds a record from an entity read through JNoSQL (null fields are absent there). */
  static <T extends Entity> T fromEntity(Class<T> type, CommunicationEntity entity) {
    var values = new HashMap<String, Object>();
    for (Element element : entity.elements()) {
      values.put(element.name(), element.get());
    }
    return fromValues(type, values);
  }

  static <T extends Entity> T fromValues(Class<T> type, Map<String, ?> values) {
    Shape shape = SHAPES.get(type);
    Object[] arguments = new Object[shape.components.length];
    for (int i = 0; i < arguments.length; i++) {
      arguments[i] = fromStored(shape.components[i], values.get(shape.fields[i]));
    }
    try {
      return type.cast(shape.constructor.newInstance(arguments));
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("cannot rebuild " + type.getSimpleName(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot rebuild " + type.getSimpleName(), e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object fromStored(RecordComponent component, Object stored) {
    Class<?> type = component.getType();
    if (stored == null) {
      if (type == boolean.class) {
        return false;
      }
      if (type.isPrimitive()) {
        throw new IllegalStateException("missing value for " + component);
      }
      return List.class.equals(type) ? List.of() : null;
    }
    if (type == String.class) {
      return stored.toString();
    }
    if (type == int.class || type == Integer.class) {
      return ((Number) stored).intValue();
    }
    if (type == long.class || type == Long.class) {
      return ((Number) stored).longValue();
    }
    if (type == double.class || type == Double.class) {
      return ((Number) stored).doubleValue();
    }
    if (type == boolean.class || type == Boolean.class) {
      return stored;
    }
    if (type == Instant.class) {
      if (stored instanceof java.util.Date date) {
        return date.toInstant();
      }
      return Instant.ofEpochMilli(((Number) stored).longValue());
    }
    if (type.isEnum()) {
      return Enum.valueOf((Class<? extends Enum>) type, stored.toString());
    }
    if (List.class.equals(type) && component.getGenericType() instanceof ParameterizedType p) {
      if (p.getActualTypeArguments()[0] != String.class) {
        throw new IllegalStateException("unsupported list type of " + component);
      }
      var list = new ArrayList<String>();
      for (Object item : (Iterable<?>) stored) {
        list.add(item.toString());
      }
      return List.copyOf(list);
    }
    throw new IllegalStateException("unsupported field type of " + component);
  }

  private static Object read(RecordComponent component, Object record) {
    try {
      return component.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + component, e);
    }
  }

  /** What reflection tells about one record type, computed once. */
  private record Shape(
      RecordComponent[] components,
      String[] fields,
      Map<String, RecordComponent> byName,
      Constructor<?> constructor) {

    static Shape of(Class<?> type) {
      if (!type.isRecord()) {
        throw new IllegalArgumentException(type.getName() + " is not a record");
      }
      RecordComponent[] components = type.getRecordComponents();
      String[] fields = new String[components.length];
      var byName = new LinkedHashMap<String, RecordComponent>();
      Class<?>[] parameterTypes = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        fields[i] = field(components[i].getName());
        byName.put(components[i].getName(), components[i]);
        parameterTypes[i] = components[i].getType();
      }
      try {
        return new Shape(components, fields, byName, type.getDeclaredConstructor(parameterTypes));
      } catch (NoSuchMethodException e) {
        throw new IllegalArgumentException("no canonical constructor on " + type.getName(), e);
      }
    }
  }
}
