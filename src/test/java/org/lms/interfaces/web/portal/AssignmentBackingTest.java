package org.lms.interfaces.web.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lms.domain.model.Grade;
import org.lms.domain.model.Submission;
import org.lms.interfaces.web.portal.AssignmentBacking.Latest;

class AssignmentBackingTest {

  private static final Instant T = Instant.parse("2026-11-01T10:00:00Z");

  private final Latest lateGraded = latest("ada", true, true);
  private final Latest onTimeUngraded = latest("bob", false, false);
  private final Latest lateUngraded = latest("cy", true, false);
  private final List<Latest> all = List.of(lateGraded, onTimeUngraded, lateUngraded);

  @Test
  void theFiltersKeepLateOrUngradedHandIns() {
    assertThat(AssignmentBacking.filter(all, "all")).isEqualTo(all);
    assertThat(AssignmentBacking.filter(all, "late")).containsExactly(lateGraded, lateUngraded);
    assertThat(AssignmentBacking.filter(all, "ungraded"))
        .containsExactly(onTimeUngraded, lateUngraded);
  }

  @Test
  void anUnknownFilterInTheUrlShowsAll() {
    var bean = new AssignmentBacking();
    bean.setShow("<script>");
    assertThat(bean.getShow()).isEqualTo("all");
    bean.setShow("late");
    assertThat(bean.getShow()).isEqualTo("late");
  }

  private static Latest latest(String student, boolean late, boolean graded) {
    var s =
        new Submission(
            "s-" + student, "a1", "c1", "u-" + student, 1, "f.txt", 3, "text/plain", "ab", T, late);
    var g =
        graded
            ? new Grade(s.id(), "a1", "c1", s.studentId(), 5, "", false, 1, "u-t", T, null, false)
            : null;
    return new Latest(s, student, g);
  }
}
