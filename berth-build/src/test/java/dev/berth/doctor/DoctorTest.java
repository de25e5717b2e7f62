package dev.berth.doctor;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The doctor on a made-up host: its /proc, /sys and PATH are directories of the test. */
@Tag("unit")
class DoctorTest {
  @TempDir Path host;

  private Map<String, Check> checks(Doctor.Report report) {
    return report.checks().stream().collect(Collectors.toMap(Check::name, Function.identity()));
  }

  private Path program(String name) throws Exception {
    Path bin = Files.createDirectories(host.resolve("bin"));
    Path program = bin.resolve(name);
    Files.writeString(program, "#!/bin/sh\necho '" + name + " version 1.2.3'\n");
    program.toFile().setExecutable(true);
    return bin;
  }

  @Test
  void aMachineWithoutRuncOverlayOrQemuIsToldWhatToInstallAndFails() throws Exception {
    Files.createDirectories(host.resolve("proc/self"));
    Files.writeString(host.resolve("proc/filesystems"), "nodev\tsysfs\n\text4\n");
    Path bin = program("getfattr");
    Doctor.Report report = new Doctor(Map.of("PATH", bin.toString(), "DOCKER_HOST", "unix://" + host.resolve("none.sock")),
        host, host.resolve("store")).examine();
    Map<String, Check> checks = checks(report);
    assertThat(report.ok()).isFalse();
    assertThat(checks.get("runc").ok()).isFalse();
    assertThat(checks.get("runc").fix()).isEqualTo("apt-get install runc");
    assertThat(checks.get("overlayfs").ok()).isFalse();
    assertThat(checks.get("overlayfs").fix()).contains("modprobe overlay");
    assertThat(checks.get("attr").ok()).isTrue();
    assertThat(checks.get("attr").detail()).contains("getfattr version 1.2.3");
    assertThat(checks.get("docker").ok()).isFalse();
    assertThat(checks.get("docker").required()).isFalse();
    assertThat(checks.get("docker").fix()).contains("docker.io");
    assertThat(checks.get("qemu-binfmt").ok()).isFalse();
    assertThat(checks.get("qemu-binfmt").detail()).isEqualTo("binfmt_misc is not mounted at "
        + host.resolve("proc/sys/fs/binfmt_misc"));
    assertThat(checks.get("qemu-binfmt").fix()).contains("apt-get install qemu-user-static binfmt-support")
        .contains("update-binfmts --enable qemu-aarch64");
    assertThat(checks.get("disk").detail()).contains("GiB free for " + host.resolve("store"));
  }

  @Test
  void optionalPartsMissingLeaveTheDoctorSatisfied() throws Exception {
    Files.createDirectories(host.resolve("proc/self"));
    Files.writeString(host.resolve("proc/filesystems"), "nodev\tsysfs\nnodev\toverlay\n");
    Path binfmt = Files.createDirectories(host.resolve("proc/sys/fs/binfmt_misc"));
    Files.writeString(binfmt.resolve("qemu-aarch64"), "enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\n"
        + "flags: PF\noffset 0\nmagic 7f454c460201010000000000000000000200b700\n"
        + "mask ffffffffffffff00fffffffffffffffffeffffff\n");
    Files.writeString(binfmt.resolve("qemu-riscv64"), "disabled\n");
    Files.writeString(binfmt.resolve("status"), "enabled\n");
    Path bin = program("runc");
    program("getfattr");
    Doctor.Report report = new Doctor(Map.of("PATH", bin.toString(), "DOCKER_HOST", "unix://" + host.resolve("none.sock")),
        host, host.resolve("store")).examine();
    Map<String, Check> checks = checks(report);
    boolean root = (Integer) Files.getAttribute(host.resolve("proc/self"), "unix:uid") == 0;
    assertThat(checks.get("root").ok()).isEqualTo(root);
    assertThat(checks.get("runc").ok()).isTrue();
    assertThat(checks.get("overlayfs").ok()).isTrue();
    assertThat(checks.get("qemu-binfmt").ok()).isTrue();
    assertThat(checks.get("qemu-binfmt").detail()).isEqualTo("linux/arm64 under qemu-aarch64 (flags PF)");
    assertThat(checks.get("docker").ok()).isFalse();
    boolean diskOk = checks.get("disk").ok();
    assertThat(report.ok()).as("docker is optional").isEqualTo(root && diskOk);
  }
}
