package org.beacon.runtime;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFs;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system with file permissions and links read and set through java.nio. Without Hadoop's
 * native library (which Maven Central does not ship), Hadoop starts a process for each: {@code chmod} for every
 * file Spark or Delta writes, {@code readlink} twice for every Delta commit's rename, {@code ls -ld} for every
 * table the catalog registers. A default run started about 2,400 such processes (counted with JFR's
 * jdk.ProcessStart, 2026-12-04). Set as {@code fs.file.impl} and {@code fs.AbstractFileSystem.file.impl} by
 * {@link SparkSessions}; everything else is Hadoop's own code.
 */
public final class NioLocalFileSystem extends LocalFileSystem {
  public NioLocalFileSystem() {
    super(new Raw());
  }

  /** The raw (checksum-free) file system underneath, with the three shell calls replaced. */
  public static final class Raw extends RawLocalFileSystem {
    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      Files.setPosixFilePermissions(pathToFile(p).toPath(), posix(permission));
    }

    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
      return status(f, true);
    }

    @Override
    public FileStatus getFileLinkStatus(Path f) throws IOException {
      return status(f, false);
    }

    @Override
    public Path getLinkTarget(Path f) throws IOException {
      return getFileLinkStatus(f).getSymlink();
    }

    private FileStatus status(Path f, boolean follow) throws IOException {
      java.nio.file.Path file = pathToFile(f).toPath();
      PosixFileAttributes a;
      try {
        a = follow ? Files.readAttributes(file, PosixFileAttributes.class)
            : Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        throw new FileNotFoundException("File " + f + " does not exist");
      }
      Path link = a.isSymbolicLink() ? new Path(Files.readSymbolicLink(file).toString()) : null;
      return new FileStatus(a.size(), a.isDirectory(), 1, getDefaultBlockSize(f), a.lastModifiedTime().toMillis(),
          a.lastAccessTime().toMillis(), permission(a.permissions()), a.owner().getName(), a.group().getName(), link,
          f.makeQualified(getUri(), getWorkingDirectory()));
    }
  }

  /** The same for FileContext, which Delta's log store uses to commit (rename without overwrite). */
  public static final class Fs extends ChecksumFs {
    public Fs(URI uri, Configuration conf) throws IOException, URISyntaxException {
      super(new RawFs(uri, conf));
    }
  }

  static final class RawFs extends DelegateToFileSystem {
    RawFs(URI uri, Configuration conf) throws IOException, URISyntaxException {
      super(uri, new Raw(), conf, "file", false);
    }

    @Override
    public int getUriDefaultPort() {
      return -1;
    }
  }

  private static final PosixFilePermission[] BITS = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ};

  static Set<PosixFilePermission> posix(FsPermission permission) {
    Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
    short mode = permission.toShort();
    for (int i = 0; i < BITS.length; i++) {
      if ((mode & (1 << i)) != 0) {
        out.add(BITS[i]);
      }
    }
    return out;
  }

  static FsPermission permission(Set<PosixFilePermission> posix) {
    short mode = 0;
    for (int i = 0; i < BITS.length; i++) {
      if (posix.contains(BITS[i])) {
        mode |= (short) (1 << i);
      }
    }
    return new FsPermission(mode);
  }
}
