#!/bin/sh
# Starts one LMS node inside its container (the image's entrypoint, Dockerfile.server): the same
# JVM options and Payara Micro flags as ./lms's launch_node, with the container's fixed paths.
# The node's settings (SERVER_NAME, peers, secret, MONGO_URI, ...) come from the environment, as
# under ./lms; this script adds only what ./lms decides on the command line.
set -eu

# the HTTP port ./lms passes as --port; every other port is in the node's settings
port="${LMS_HTTP_PORT:-8080}"
# the node id (the WAR's default when unset), exported because every log line carries it:
# logging.properties takes it from the environment
export SERVER_NAME="${SERVER_NAME:-n1}"

# a reused root directory deployed the app twice and once hung a start: every start gets fresh
# ones, and a restarted container removes the previous start's
run_dir="/app/run/payara-$(date +%Y%m%dT%H%M%S)-$$"
rm -rf /app/run/payara-*
mkdir -p "$run_dir/root" "$run_dir/unpack" "$run_dir/tmp"
# a writable working directory, as ./lms starts a node in its own directory
cd /app/run

# LMS_JAVA_OPTS is split into words as ./lms does, but never globbed
set -f
# exec: the JVM becomes pid 1 and receives docker stop's SIGTERM, on which the node shuts down
# cleanly; -Dlms.node.dir (./lms's marker for finding its own processes) has no use here
# shellcheck disable=SC2086
exec java -Xmx384m -XX:+UseSerialGC "-Djava.io.tmpdir=$run_dir/tmp" ${LMS_JAVA_OPTS:-} \
  -jar /app/payara-micro.jar \
  --nohazelcast --disablephonehome \
  --port "$port" --contextroot / --deploy /app/lms.war --name "$SERVER_NAME" \
  --rootdir "$run_dir/root" --unpackdir "$run_dir/unpack" \
  --prebootcommandfile /app/payara/pre-boot-commands.asadmin \
  --logproperties /app/payara/logging.properties
