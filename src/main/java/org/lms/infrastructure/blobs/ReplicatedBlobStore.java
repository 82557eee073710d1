package org.lms.infrastructure.blobs;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.lms.application.port.BlobStore;
import org.lms.infrastructure.blobs.v1.BlobChunk;
import org.lms.infrastructure.blobs.v1.BlobReplicationGrpc;
import org.lms.infrastructure.blobs.v1.FetchRequest;
import org.lms.infrastructure.blobs.v1.HasReply;
import org.lms.infrastructure.blobs.v1.HasRequest;
import org.lms.infrastructure.blobs.v1.PushReply;
import org.lms.infrastructure.config.NodeConfig;
import org.lms.infrastructure.grpc.PeerChannels;

/**
 * The {@link BlobStore} of a node: bytes are stored locally, then pushed to every peer in parallel,
 * and a {@link #put} returns once a majority of the whole group (this node included) holds them. A
 * blob this node lacks is fetched from a peer, its hash verified, before it is served. The group is
 * the one {@link PeerChannels} knows at the time of each call, so a member that joined since this
 * node started counts and is written to.
 */
public final class ReplicatedBlobStore implements BlobStore, AutoCloseable {

  /** How long a put waits for a majority, and how long one transfer to or from a peer may take. */
  public static final Duration DEFAULT_REPLICATION_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger LOG = Logger.getLogger(ReplicatedBlobStore.class.getName());
  private static final int REPAIR_THREADS = 2;
  private static final int REPAIR_QUEUE = 10_000;

  private final FileBlobStore local;
  private final PeerChannels peers;
  private final Duration timeout;
  private final ThreadPoolExecutor repairs;
  private final Set<String> repairsPending = ConcurrentHashMap.newKeySet();
  private final Map<String, CompletableFuture<Boolean>> fetches = new ConcurrentHashMap<>();
  private final BlobTraffic traffic;

  /** A store with the {@linkplain #DEFAULT_REPLICATION_TIMEOUT default timeout}. */
  public ReplicatedBlobStore(NodeConfig config, FileBlobStore local, PeerChannels peers) {
    this(config, local, peers, DEFAULT_REPLICATION_TIMEOUT);
  }

  /**
   * @param config this node's configuration
   * @param local this node's blobs
   * @param peers channels to the other members' gRPC servers; the group is theirs
   * @param timeout how long a put waits for a majority, and one transfer may take
   */
  public ReplicatedBlobStore(
      NodeConfig config, FileBlobStore local, PeerChannels peers, Duration timeout) {
    this(config, local, peers, timeout, BlobTraffic.NONE);
  }

  /**
   * @param traffic told the bytes each put stored and each fetch from a peer brought
   */
  public ReplicatedBlobStore(
      NodeConfig config,
      FileBlobStore local,
      PeerChannels peers,
      Duration timeout,
      BlobTraffic traffic) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    this.local = local;
    this.peers = peers;
    this.timeout = timeout;
    this.traffic = Objects.requireNonNull(traffic, "traffic");
    this.repairs =
        new ThreadPoolExecutor(
            REPAIR_THREADS,
            REPAIR_THREADS,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(REPAIR_QUEUE),
            runnable -> {
              Thread thread = new Thread(runnable, "blob-repair-" + config.nodeId());
              thread.setDaemon(true);
              return thread;
            });
    this.repairs.allowCoreThreadTimeOut(true);
  }

  @Override
  public StoredBlob put(InputStream in, long maxBytes) throws IOException {
    StoredBlob blob = local.put(in, maxBytes);
    // a majority of the group is groupSize / 2 + 1 nodes, this one included
    int peerAcksNeeded = peers.groupSize() / 2;
    if (peerAcksNeeded <= 0) {
      traffic.stored(blob.size());
      return blob;
    }
    List<String> targets = peers.peerIds();
    if (targets.size() < peerAcksNeeded) {
      throw new BlobUnavailableException(
          "a majority needs " + peerAcksNeeded + " peers but only " + targets + " are configured");
    }
    Deadline deadline = Deadline.after(timeout.toMillis(), TimeUnit.MILLISECONDS);
    CompletableFuture<Void> majority = new CompletableFuture<>();
    AtomicInteger acks = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    int failuresTolerated = targets.size() - peerAcksNeeded;
    for (String peer : targets) {
      // The transfers to the remaining peers go on after a majority answered, until the deadline.
      replicate(peer, blob, deadline)
          .whenComplete(
              (ok, error) -> {
                if (error == null) {
                  if (acks.incrementAndGet() >= peerAcksNeeded) {
                    majority.complete(null);
                  }
                } else {
                  LOG.log(
                      Level.INFO,
                      "could not replicate blob " + blob.sha256() + " to " + peer + ": " + error);
                  if (failures.incrementAndGet() > failuresTolerated) {
                    BlobUnavailableException unavailable =
                        new BlobUnavailableException(
                            "could not place the file on a majority of the nodes");
                    unavailable.initCause(error);
                    majority.completeExceptionally(unavailable);
                  }
                }
              });
    }
    try {
      majority.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      traffic.stored(blob.size());
      return blob;
    } catch (ExecutionException e) {
      throw (BlobUnavailableException) e.getCause();
    } catch (TimeoutException e) {
      throw new BlobUnavailableException(
          "a majority of the nodes did not acknowledge the file within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BlobUnavailableException("interrupted while replicating the file");
    }
  }

  @Override
  public InputStream open(String sha256) throws IOException {
    if (!local.has(sha256) && !fetchOnce(sha256)) {
      throw new BlobNotFoundException(sha256);
    }
    return local.open(sha256);
  }

  @Override
  public boolean hasLocally(String sha256) {
    return local.has(sha256);
  }

  /**
   * Fetches, in the background, those of {@code sha256s} this node lacks; returns at once. Used
   * after the state machine applied a command that references a blob this node did not receive (it
   * was down). Failures are logged; {@link #open} fetches again on first read.
   */
  public void fetchMissing(Collection<String> sha256s) {
    for (String sha256 : sha256s) {
      if (!FileBlobStore.isValidSha256(sha256)) {
        LOG.warning(() -> "not fetching a blob with a malformed name: " + sha256);
        continue;
      }
      if (local.has(sha256) || !repairsPending.add(sha256)) {
        continue;
      }
      try {
        repairs.execute(() -> repair(sha256));
      } catch (RejectedExecutionException e) {
        repairsPending.remove(sha256);
        LOG.warning(() -> "blob repair queue full or closed; " + sha256 + " is fetched on read");
      }
    }
  }

  private void repair(String sha256) {
    try {
      if (!fetchOnce(sha256)) {
        LOG.warning(() -> "no peer could supply missing blob " + sha256);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "fetching missing blob " + sha256 + " failed", e);
    } finally {
      repairsPending.remove(sha256);
    }
  }

  /** Stops the background repairs; the peer channels and the local store are the caller's. */
  @Override
  public void close() {
    repairs.shutdownNow();
  }

  // ---- put: push to one peer ----

  /** Completes normally once {@code peer} holds the blob, exceptionally if it cannot. */
  private CompletableFuture<Void> replicate(String peer, StoredBlob blob, Deadline deadline) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    BlobReplicationGrpc.BlobReplicationStub stub;
    try {
      stub = BlobReplicationGrpc.newStub(peers.channel(peer)).withDeadline(deadline);
    } catch (RuntimeException e) {
      done.completeExceptionally(e);
      return done;
    }
    stub.has(
        HasRequest.newBuilder().setSha256(blob.sha256()).build(),
        new StreamObserver<>() {
          private boolean present;

          @Override
          public void onNext(HasReply reply) {
            present = reply.getPresent();
          }

          @Override
          public void onError(Throwable t) {
            reconnectSoon(peer, t);
            done.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            if (present) {
              done.complete(null);
            } else {
              push(peer, stub, blob, done);
            }
          }
        });
    return done;
  }

  private void push(
      String peer,
      BlobReplicationGrpc.BlobReplicationStub stub,
      StoredBlob blob,
      CompletableFuture<Void> done) {
    InputStream in;
    try {
      in = local.open(blob.sha256());
    } catch (IOException | RuntimeException e) {
      done.completeExceptionally(e);
      return;
    }
    stub.push(new PushSender(peer, blob, in, done));
  }

  /**
   * Streams one blob to one peer as fast as the peer takes it. gRPC runs its callbacks one at a
   * time, so it needs no locking.
   */
  private final class PushSender implements ClientResponseObserver<BlobChunk, PushReply> {
    private final String peer;
    private final StoredBlob blob;
    private final BlobChunkReader chunks;
    private final CompletableFuture<Void> done;
    private ClientCallStreamObserver<BlobChunk> requests;
    private PushReply reply;
    private boolean sent;

    PushSender(String peer, StoredBlob blob, InputStream in, CompletableFuture<Void> done) {
      this.peer = peer;
      this.blob = blob;
      this.chunks = new BlobChunkReader(blob, in);
      this.done = done;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<BlobChunk> requests) {
      this.requests = requests;
      requests.setOnReadyHandler(this::sendWhileReady);
    }

    private void sendWhileReady() {
      try {
        while (!sent && requests.isReady()) {
          BlobChunk chunk = chunks.next();
          if (chunk != null) {
            requests.onNext(chunk);
          }
          if (chunks.atEnd()) {
            finishSending();
            return;
          }
        }
      } catch (IOException e) {
        sent = true;
        chunks.close();
        requests.onError(e); // cancels the call; onError below completes the future
      }
    }

    private void finishSending() {
      sent = true;
      chunks.close();
      requests.onCompleted();
    }

    @Override
    public void onNext(PushReply value) {
      reply = value;
    }

    @Override
    public void onError(Throwable t) {
      sent = true;
      chunks.close();
      reconnectSoon(peer, t);
      done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      chunks.close();
      if (reply != null && blob.sha256().equals(reply.getSha256())) {
        done.complete(null);
      } else {
        done.completeExceptionally(
            new IOException(peer + " acknowledged the push with " + reply + ", not " + blob));
      }
    }
  }

  // ---- open and repair: fetch from the peers ----

  /**
   * Fetches {@code sha256} unless another thread is already fetching it, in which case it waits for
   * that fetch: readers of a blob this node lacks cause one transfer, not one each.
   */
  private boolean fetchOnce(String sha256) {
    CompletableFuture<Boolean> mine = new CompletableFuture<>();
    CompletableFuture<Boolean> running = fetches.putIfAbsent(sha256, mine);
    if (running != null) {
      return running.join();
    }
    try {
      boolean fetched = local.has(sha256) || fetchFromPeers(sha256);
      mine.complete(fetched);
      return fetched;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      fetches.remove(sha256, mine);
    }
  }

  /** Tries the peers in turn; true once one supplied bytes that hash to {@code sha256}. */
  private boolean fetchFromPeers(String sha256) {
    for (String peer : peers.peerIds()) {
      if (fetchFrom(peer, sha256)) {
        LOG.info(() -> "fetched blob " + sha256 + " from " + peer);
        return true;
      }
    }
    return false;
  }

  private boolean fetchFrom(String peer, String sha256) {
    // Cancelling this context ends the call if we stop reading before the stream ends.
    Context.CancellableContext call = Context.current().withCancellation();
    try {
      return call.call(() -> receive(peer, sha256));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
        reconnectSoon(peer, e);
        LOG.info(() -> "could not fetch blob " + sha256 + " from " + peer + ": " + e.getStatus());
      }
      return false;
    } catch (BlobHashMismatchException e) {
      LOG.warning(() -> peer + " sent corrupted bytes for blob " + sha256 + ": " + e.getMessage());
      return false;
    } catch (Exception e) {
      LOG.log(Level.WARNING, "could not fetch blob " + sha256 + " from " + peer, e);
      return false;
    } finally {
      call.cancel(null);
    }
  }

  private boolean receive(String peer, String sha256) throws IOException {
    ManagedChannel channel = peers.channel(peer);
    Iterator<BlobChunk> chunks =
        BlobReplicationGrpc.newBlockingStub(channel)
            .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .fetch(FetchRequest.newBuilder().setSha256(sha256).build());
    if (!chunks.hasNext()) {
      throw new IOException(peer + " sent no chunk for " + sha256);
    }
    BlobChunk first = chunks.next();
    long declaredSize = first.getSize();
    if (!sha256.equals(first.getSha256()) || declaredSize < 0) {
      throw new IOException(peer + " answered for " + first.getSha256() + " instead of " + sha256);
    }
    // The declared size bounds what we accept; the hash check below decides whether we keep it.
    try (FileBlobStore.Upload upload = local.beginUpload(declaredSize)) {
      upload.write(first.getData().asReadOnlyByteBuffer());
      while (chunks.hasNext()) {
        upload.write(chunks.next().getData().asReadOnlyByteBuffer());
      }
      if (upload.size() != declaredSize) {
        throw new IOException(
            peer + " declared " + declaredSize + " bytes but sent " + upload.size());
      }
      upload.commit(sha256);
      traffic.fetched(declaredSize);
      return true;
    }
  }

  /**
   * After a failure, lets the channel reconnect at once instead of after its backoff, so a peer
   * that came back is used by the next call.
   */
  private void reconnectSoon(String peer, Throwable failure) {
    if (Status.fromThrowable(failure).getCode() == Status.Code.UNAVAILABLE) {
      try {
        peers.channel(peer).resetConnectBackoff();
      } catch (RuntimeException closed) {
        // Channels are closing: nothing to reconnect.
      }
    }
  }
}
