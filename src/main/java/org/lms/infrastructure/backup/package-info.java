/**
 * Backups and restores of a whole cluster (docs/adr/0010): one tar archive holding a node's Raft
 * snapshot, every file its state references and their SHA-256 sums. A node writes the archive from
 * a fresh snapshot while the cluster keeps serving ({@code NodeBackup}); a node of a new cluster
 * seeds its empty Raft storage and file store from it at its first start ({@code ArchiveSeed}).
 */
package org.lms.infrastructure.backup;
