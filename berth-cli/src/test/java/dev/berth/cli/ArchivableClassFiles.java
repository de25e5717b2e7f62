package dev.berth.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A build step run on the shaded jar (see berth-cli's pom): Java 5 class files (version 49: picocli,
 * and the expression language Jinjava bundles) are marked as Java 6 class files (version 50).
 *
 * <p>Why: class-data sharing does not archive class files older than version 50, nor any class that
 * extends or implements one, so every run loaded, parsed and verified those few hundred classes from
 * the jar again. Version 50 means the same bytecode: a version-50 class without stack maps is
 * verified by the same type-inferring verifier a version-49 class is (the JVM fails over to it), and
 * nothing else about the class changes. Only the two version bytes of such files differ.
 *
 * <p>What it gains: the classes whose methods need no stack maps (interfaces, converters, exceptions,
 * simple tree nodes: about 110 of picocli's and 40 of Jinjava's in a plan) now come from the archive;
 * the JVM does not archive the ones it verifies with the old verifier.
 */
public final class ArchivableClassFiles {
  static final int JAVA_5 = 49;
  static final int JAVA_6 = 50;

  private ArchivableClassFiles() {}

  public static void main(String[] args) throws IOException {
    Path jar = Path.of(args[0]);
    Path temp = jar.resolveSibling(jar.getFileName() + ".versions.tmp");
    int changed = 0;
    try (ZipFile in = new ZipFile(jar.toFile());
        OutputStream file = Files.newOutputStream(temp);
        ZipOutputStream out = new ZipOutputStream(file)) {
      for (ZipEntry entry : Collections.list(in.entries())) {
        byte[] data;
        try (var stream = in.getInputStream(entry)) {
          data = stream.readAllBytes();
        }
        if (entry.getName().endsWith(".class") && majorVersion(data) == JAVA_5) {
          data[6] = 0;
          data[7] = JAVA_6;
          changed++;
        }
        out.putNextEntry(copyOf(entry, data));
        out.write(data);
        out.closeEntry();
      }
    }
    Files.move(temp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    System.out.println("berth: " + changed + " Java 5 class files marked as Java 6 in " + jar.getFileName()
        + " (so that class-data sharing archives them)");
  }

  /** The class file's major version, or -1 when {@code data} is no class file. */
  static int majorVersion(byte[] data) {
    if (data.length < 8 || (data[0] & 0xff) != 0xca || (data[1] & 0xff) != 0xfe || (data[2] & 0xff) != 0xba
        || (data[3] & 0xff) != 0xbe) {
      return -1;
    }
    return (data[6] & 0xff) << 8 | data[7] & 0xff;
  }

  private static ZipEntry copyOf(ZipEntry entry, byte[] data) {
    ZipEntry copy = new ZipEntry(entry.getName());
    copy.setTime(entry.getTime());
    if (entry.getMethod() == ZipEntry.STORED) {
      CRC32 crc = new CRC32();
      crc.update(data);
      copy.setMethod(ZipEntry.STORED);
      copy.setSize(data.length);
      copy.setCompressedSize(data.length);
      copy.setCrc(crc.getValue());
    }
    return copy;
  }
}
