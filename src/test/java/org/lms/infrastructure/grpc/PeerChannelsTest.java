package org.lms.infrastructure.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The peers follow the directory's members: a member that joins is reached, one that left not. */
class PeerChannelsTest {

  private static final String SECRET = "a-cluster-secret-of-length";

  /** Members and addresses a test changes as the Raft configuration would. */
  private static final class Directory implements PeerDirectory {
    final Map<String, String> members = new ConcurrentHashMap<>();

    @Override
    public Set<String> memberIds() {
      return Set.copyOf(members.keySet());
    }

    @Override
    public Optional<String> grpcAddress(String memberId) {
      return Optional.ofNullable(members.get(memberId)).filter(a -> !a.isEmpty());
    }
  }

  @Test
  void followsTheMembersAsTheyChange() {
    var directory = new Directory();
    directory.members.putAll(
        Map.of("n1", "127.0.0.1:9091", "n2", "127.0.0.1:9092", "n3", "127.0.0.1:9093"));
    try (var peers = new PeerChannels("n1", directory, SECRET)) {
      assertThat(peers.peerIds()).containsExactly("n2", "n3");
      assertThat(peers.groupSize()).isEqualTo(3);
      ManagedChannel toN3 = peers.channel("n3");
      assertThat(peers.channel("n3")).as("one channel per member").isSameAs(toN3);

      // n3 replaced by n4, whose address is not known yet
      directory.members.remove("n3");
      directory.members.put("n4", "");
      assertThat(peers.peerIds()).containsExactly("n2", "n4");
      assertThat(peers.groupSize()).isEqualTo(3);
      assertThatThrownBy(() -> peers.channel("n3")).hasMessageContaining("not a peer: n3");
      assertThatThrownBy(() -> peers.channel("n4"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("gRPC address of member n4 is not known");

      directory.members.put("n4", "127.0.0.1:9094");
      assertThat(peers.channel("n4")).isNotNull();
      assertThat(toN3.isShutdown()).as("the channel of the member that left is closed").isTrue();

      // a member's address changes: a new channel
      ManagedChannel toN4 = peers.channel("n4");
      directory.members.put("n4", "127.0.0.1:9095");
      assertThat(peers.channel("n4")).isNotSameAs(toN4);
      assertThat(toN4.isShutdown()).isTrue();
    }
  }
}
