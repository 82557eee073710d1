package org.lms.infrastructure.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.lms.application.port.ClusterMembership.ChangeRefused;
import org.lms.application.port.ClusterMembership.ChangeRefused.Reason;
import org.lms.application.port.ClusterStatus.NodeStatus;

class MemberReplacementTest {

  private static final Map<String, String> MEMBERS = members("n1", "n2", "n3");

  private static Map<String, String> members(String... ids) {
    var members = new LinkedHashMap<String, String>();
    for (String id : ids) {
      members.put(id, "127.0.0.1:987" + id.substring(1));
    }
    return members;
  }

  private static NodeStatus ready(String id) {
    return new NodeStatus(id, "FOLLOWER", 3, 40, 40, Optional.of("n1"), true);
  }

  private static NodeStatus notReady(String id) {
    return new NodeStatus(id, "CANDIDATE", 4, 40, 40, Optional.empty(), false);
  }

  /** n1 and n2 ready, n3 silent: what a cluster with a dead n3 looks like. */
  private static final List<NodeStatus> N3_DEAD =
      List.of(ready("n1"), ready("n2"), NodeStatus.unknown("n3"));

  private static AbstractThrowableAssert<?, ? extends Throwable> refused(
      Reason reason, Runnable attempt) {
    return assertThatThrownBy(attempt::run)
        .isInstanceOfSatisfying(
            ChangeRefused.class, e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void replacesADeadMemberWhileTheOthersAreAReadyMajority() {
    var request = MemberReplacement.parse("n3", "n4", "127.0.0.1:9874");

    assertThat(request).isEqualTo(new MemberReplacement("n3", "n4", "127.0.0.1:9874"));
    assertThat(request.check(MEMBERS, N3_DEAD)).isEqualTo(MemberReplacement.Verdict.PROCEED);
  }

  @Test
  void trimsWhatAFormSendsAndTakesHostNamesAndIpv6() {
    assertThat(MemberReplacement.parse(" n3 ", "n4\n", " lms-n4.school.example:9874 ").newAddress())
        .isEqualTo("lms-n4.school.example:9874");
    assertThat(MemberReplacement.parse("n3", "n4", "[::1]:9874").newAddress())
        .isEqualTo("[::1]:9874");
  }

  @Test
  void aChangeAlreadyMadeIsNotMadeAgain() {
    var request = MemberReplacement.parse("n3", "n4", "127.0.0.1:9874");

    assertThat(
            request.check(
                members("n1", "n2", "n4"), List.of(ready("n1"), ready("n2"), notReady("n4"))))
        .isEqualTo(MemberReplacement.Verdict.ALREADY_DONE);
    // the same ids with another address for the new node are not that change
    refused(
            Reason.UNKNOWN_MEMBER,
            () ->
                MemberReplacement.parse("n3", "n4", "127.0.0.1:9875")
                    .check(members("n1", "n2", "n4"), List.of(ready("n1"), ready("n2"))))
        .hasMessageContaining("n3 is not a member");
  }

  @Test
  void refusesMissingValues() {
    refused(Reason.BAD_REQUEST, () -> MemberReplacement.parse(null, "n4", "127.0.0.1:9874"))
        .hasMessageContaining("'remove' is missing");
    refused(Reason.BAD_REQUEST, () -> MemberReplacement.parse("n3", " ", "127.0.0.1:9874"))
        .hasMessageContaining("'add' is missing");
    refused(Reason.BAD_REQUEST, () -> MemberReplacement.parse("n3", "n4", null))
        .hasMessageContaining("'address' is missing");
  }

  @Test
  void refusesMalformedIds() {
    refused(Reason.BAD_REQUEST, () -> MemberReplacement.parse("n3", "n 4", "127.0.0.1:9874"))
        .hasMessageContaining("'n 4' is not a node id");
    refused(Reason.BAD_REQUEST, () -> MemberReplacement.parse("../n3", "n4", "127.0.0.1:9874"))
        .hasMessageContaining("is not a node id");
    refused(
            Reason.BAD_REQUEST,
            () -> MemberReplacement.parse("n3", "n" + "4".repeat(40), "127.0.0.1:9874"))
        .hasMessageContaining("is not a node id");
  }

  @Test
  void refusesMalformedAddresses() {
    for (String address :
        List.of(
            "127.0.0.1",
            "127.0.0.1:",
            "127.0.0.1:0",
            "127.0.0.1:70000",
            "127.0.0.1:98x",
            ":9874",
            "host name:9874",
            "n4=127.0.0.1:9874",
            "127.0.0.1:9874,127.0.0.1:9875")) {
      refused(Reason.BAD_REQUEST, () -> MemberReplacement.parse("n3", "n4", address))
          .hasMessageContaining(address);
    }
  }

  @Test
  void refusesToReuseTheDeadMembersId() {
    refused(Reason.BAD_REQUEST, () -> MemberReplacement.parse("n3", "n3", "127.0.0.1:9874"))
        .hasMessageContaining("needs a new id")
        .hasMessageContaining("vote twice");
  }

  @Test
  void refusesAnUnknownNode() {
    refused(
            Reason.UNKNOWN_MEMBER,
            () -> MemberReplacement.parse("n9", "n4", "127.0.0.1:9874").check(MEMBERS, N3_DEAD))
        .hasMessage("n9 is not a member of the group (members: n1, n2, n3)");
  }

  @Test
  void refusesANewIdThatIsAMemberAlready() {
    refused(
            Reason.CONFLICT,
            () -> MemberReplacement.parse("n3", "n2", "127.0.0.1:9874").check(MEMBERS, N3_DEAD))
        .hasMessageContaining("n2 is a member already");
  }

  @Test
  void refusesAnAddressAMemberHas() {
    refused(
            Reason.CONFLICT,
            () -> MemberReplacement.parse("n3", "n4", "127.0.0.1:9871").check(MEMBERS, N3_DEAD))
        .hasMessageContaining("the Raft address of member n1");
  }

  @Test
  void refusesToReplaceANodeThatAnswers() {
    var request = MemberReplacement.parse("n3", "n4", "127.0.0.1:9874");

    refused(
            Reason.CONFLICT,
            () -> request.check(MEMBERS, List.of(ready("n1"), ready("n2"), ready("n3"))))
        .hasMessageContaining("n3 still answers (Raft role FOLLOWER)")
        .hasMessageContaining("stop it first");
    // its process runs although its Raft member does not: still not dead
    var down = new NodeStatus("n3", "DOWN", 0, 0, 0, Optional.empty(), false);
    refused(Reason.CONFLICT, () -> request.check(MEMBERS, List.of(ready("n1"), ready("n2"), down)))
        .hasMessageContaining("n3 still answers (Raft role DOWN)");
  }

  @Test
  void refusesWithoutAReadyMajorityOfTheOthers() {
    var request = MemberReplacement.parse("n3", "n4", "127.0.0.1:9874");

    refused(
            Reason.UNAVAILABLE,
            () ->
                request.check(
                    MEMBERS,
                    List.of(ready("n1"), NodeStatus.unknown("n2"), NodeStatus.unknown("n3"))))
        .hasMessage("the group has no ready majority without n3: n1 is ready, 2 of 3 must be");
    refused(
            Reason.UNAVAILABLE,
            () ->
                request.check(
                    MEMBERS, List.of(notReady("n1"), notReady("n2"), NodeStatus.unknown("n3"))))
        .hasMessageContaining("no member is ready");
  }
}
