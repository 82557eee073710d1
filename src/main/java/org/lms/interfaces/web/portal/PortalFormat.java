package org.lms.interfaces.web.portal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.time.Instant;

/** How pages show moments and points ({@code #{fmt.time(a.dueAt())}}, {@code #{fmt.points(p)}}). */
@Named("fmt")
@ApplicationScoped
public class PortalFormat {

  public String time(Instant at) {
    return PortalPages.show(at);
  }

  public String points(double points) {
    return PortalPages.points(points);
  }
}
