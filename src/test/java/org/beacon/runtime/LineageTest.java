package org.beacon.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;

/** The code fingerprint in every lineage is the classes' content: a jar of them and their folder agree. */
class LineageTest {
  @Test
  void theJarAndTheClassesFolderHaveOneFingerprint() throws Exception {
    Path classes = Path.of(Lineage.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path jar = Files.createTempFile("beacon-classes-", ".jar");
    Path changed = Files.createTempFile("beacon-changed-", ".jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        JarOutputStream other = new JarOutputStream(Files.newOutputStream(changed));
        var files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).sorted(java.util.Comparator.reverseOrder()).toList()) {
        String name = classes.relativize(f).toString().replace(java.io.File.separatorChar, '/');
        // Another order and other timestamps than the folder's: only names and contents may count.
        JarEntry e = new JarEntry(name);
        e.setTime(0);
        out.putNextEntry(e);
        out.write(Files.readAllBytes(f));
        out.closeEntry();
        other.putNextEntry(new JarEntry(name));
        byte[] bytes = Files.readAllBytes(f);
        if (name.equals("org/beacon/runtime/Lineage.class")) {
          bytes[bytes.length - 1] ^= 1;
        }
        other.write(bytes);
        other.closeEntry();
      }
    }
    assertEquals(Lineage.codeFingerprint(classes), Lineage.codeFingerprint(jar));
    assertNotEquals(Lineage.codeFingerprint(classes), Lineage.codeFingerprint(changed), "one byte of one class changed");
  }
}
