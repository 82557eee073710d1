package org.lms.interfaces.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.lms.application.port.ClusterMembership.ChangeRefused.Reason;

class MembersResourceTest {

  @Test
  void everyReasonHasItsOwnClientOrServiceStatus() {
    assertThat(MembersResource.status(Reason.BAD_REQUEST)).isEqualTo(Response.Status.BAD_REQUEST);
    assertThat(MembersResource.status(Reason.UNKNOWN_MEMBER)).isEqualTo(Response.Status.NOT_FOUND);
    assertThat(MembersResource.status(Reason.CONFLICT)).isEqualTo(Response.Status.CONFLICT);
    assertThat(MembersResource.status(Reason.UNAVAILABLE))
        .isEqualTo(Response.Status.SERVICE_UNAVAILABLE);
  }
}
