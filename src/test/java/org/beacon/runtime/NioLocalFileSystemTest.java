package org.beacon.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;

/** The java.nio local file system answers as Hadoop's own does, and starts no process. */
class NioLocalFileSystemTest {
  private static Configuration conf() {
    Configuration conf = new Configuration(false);
    SparkSessions.LOCAL_FILES.forEach((k, v) -> conf.set(k.substring("spark.hadoop.".length()), v));
    conf.setBoolean("fs.file.impl.disable.cache", true);
    return conf;
  }

  @Test
  void permissionsStatusAndLinksMatchHadoopsLocalFileSystem() throws Exception {
    java.nio.file.Path dir = Files.createTempDirectory("beacon-nio-");
    FileSystem fs = FileSystem.get(java.net.URI.create("file:///"), conf());
    assertTrue(fs instanceof NioLocalFileSystem, "fs.file.impl is the java.nio file system: " + fs.getClass());
    RawLocalFileSystem hadoop = new RawLocalFileSystem();
    hadoop.initialize(java.net.URI.create("file:///"), new Configuration(false));

    Path file = new Path(dir.toUri().toString(), "a.txt");
    try (OutputStream out = fs.create(file, new FsPermission((short) 0640), false, 4096, (short) 1, 1 << 20, null)) {
      out.write("rows".getBytes(StandardCharsets.UTF_8));
    }
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a.txt"))),
        "create sets the permission it was given");
    fs.setPermission(file, new FsPermission((short) 0604));
    FileStatus mine = fs.getFileStatus(file);
    FileStatus theirs = hadoop.getFileStatus(file);
    assertEquals(theirs.getPermission(), mine.getPermission());
    assertEquals(theirs.getOwner(), mine.getOwner());
    assertEquals(theirs.getGroup(), mine.getGroup());
    assertEquals(theirs.getLen(), mine.getLen());
    assertEquals(theirs.getModificationTime(), mine.getModificationTime());
    assertEquals(theirs.getPath(), mine.getPath());
    assertEquals(hadoop.getFileStatus(new Path(dir.toUri())).isDirectory(), fs.getFileStatus(new Path(dir.toUri())).isDirectory());

    java.nio.file.Path link = dir.resolve("link");
    Files.createSymbolicLink(link, dir.resolve("a.txt"));
    FileStatus linkStatus = fs.getFileLinkStatus(new Path(link.toUri()));
    assertTrue(linkStatus.isSymlink());
    assertEquals(dir.resolve("a.txt").toString(), linkStatus.getSymlink().toUri().getPath());
    assertFalse(fs.getFileLinkStatus(file).isSymlink());
    assertThrows(FileNotFoundException.class, () -> fs.getFileStatus(new Path(dir.toUri().toString(), "missing")));
    assertThrows(FileNotFoundException.class, () -> fs.getFileLinkStatus(new Path(dir.toUri().toString(), "missing")));
  }

  @Test
  void fileContextRenamesWithoutOverwritingAsDeltaCommitsNeed() throws Exception {
    java.nio.file.Path dir = Files.createTempDirectory("beacon-nio-");
    FileContext fc = FileContext.getFileContext(java.net.URI.create("file:///"), conf());
    Path from = new Path(dir.toUri().toString(), "tmp.json");
    Path to = new Path(dir.toUri().toString(), "00000000000000000000.json");
    Files.writeString(dir.resolve("tmp.json"), "first");
    fc.rename(from, to, Options.Rename.NONE);
    assertEquals("first", Files.readString(dir.resolve("00000000000000000000.json")));
    Files.writeString(dir.resolve("tmp.json"), "second");
    assertThrows(org.apache.hadoop.fs.FileAlreadyExistsException.class, () -> fc.rename(from, to, Options.Rename.NONE),
        "a second writer of the same version is refused");
    assertEquals("first", Files.readString(dir.resolve("00000000000000000000.json")));
  }
}
