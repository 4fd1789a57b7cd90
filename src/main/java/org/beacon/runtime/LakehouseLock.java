package org.beacon.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * One writing job at a time per lakehouse. Delta keeps each table consistent under concurrent writers, but
 * a Beacon job reads some tables and writes others from what it read (silver from bronze, gold from silver),
 * so two jobs interleaved could publish marts from a mix of versions. A writing job therefore holds an
 * operating-system lock on {@code _catalog/writer.lock}; a second one waits up to the configured time and
 * then stops with a sentence naming the holder, before it has changed anything. Readers (sql, serve,
 * status) take no lock: Delta gives them a consistent snapshot. The lock goes with the process, so a killed
 * job never leaves it behind.
 */
public final class LakehouseLock implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(500);
  private final FileChannel channel;
  private final FileLock lock;

  private LakehouseLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lakehouse's writer lock for {@code job}, waiting up to {@code wait}; throws when another job keeps it. */
  public static LakehouseLock acquire(Path lakehouse, String job, Duration wait) {
    Path file = lakehouse.resolve("_catalog/writer.lock");
    try {
      Files.createDirectories(file.getParent());
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      Instant deadline = Instant.now().plus(wait);
      while (true) {
        FileLock lock = tryLock(channel);
        if (lock != null) {
          String holder = "beacon " + job + ", process " + ProcessHandle.current().pid() + ", since " + Instant.now() + "\n";
          channel.truncate(0);
          channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
          channel.force(false);
          return new LakehouseLock(channel, lock);
        }
        if (!Instant.now().isBefore(deadline)) {
          String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
          channel.close();
          throw new BeaconException("Another Beacon job is writing to the lakehouse " + lakehouse
              + (holder.isEmpty() ? "" : " (" + holder + ")") + "; this one stopped before changing anything. Run it again when "
              + "that job has finished, or let jobs wait for it with beacon.jobs.lock-wait.");
        }
        Thread.sleep(POLL.toMillis());
      }
    } catch (IOException e) {
      throw new BeaconException("Cannot take the lakehouse's writer lock " + file + ": " + e.getMessage() + ".", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BeaconException("Interrupted while waiting for the lakehouse's writer lock " + file + ".", e);
    }
  }

  /** The lock, or null when another process holds it (or another job of this process: one writer per JVM too). */
  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new BeaconException("Cannot release the lakehouse's writer lock: " + e.getMessage() + ".", e);
    }
  }
}
