package dev.berth.emulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emulation check over binfmt_misc directories written here in the kernel's format (the entries
 * of Debian's qemu-user-static, as /proc/sys/fs/binfmt_misc shows them once registered).
 */
@Tag("unit")
class EmulationTest {
  private static final Platform AMD64 = Platform.parse("linux/amd64");
  private static final Platform ARM64 = Platform.parse("linux/arm64");

  @TempDir Path binfmt;

  private static final String AARCH64 = """
      enabled
      interpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P
      flags: PF
      offset 0
      magic 7f454c460201010000000000000000000200b700
      mask ffffffffffffff00fffffffffffffffffeffffff
      """;

  private Emulation mounted() throws IOException {
    Files.writeString(binfmt.resolve("status"), "enabled\n");
    Files.writeString(binfmt.resolve("register"), "");
    return new Emulation(binfmt, AMD64);
  }

  @Test
  void theHostPlatformIsNativeWhateverIsRegisteredOrMounted() {
    Emulation emulation = new Emulation(binfmt.resolve("not-mounted"), AMD64);
    assertThat(emulation.check(AMD64)).isEqualTo(new Execution.Native(AMD64));
    assertThat(emulation.check(Platform.parse("linux/amd64/v3")).emulated()).isEmpty();
    assertThat(emulation.check(Platform.parse("linux/386")).emulated()).as("i386 runs on x86-64 kernels").isEmpty();
    assertThat(new Emulation(binfmt, ARM64).check(Platform.parse("linux/arm64/v8"))).isInstanceOf(Execution.Native.class);
  }

  @Test
  void aForeignPlatformRunsUnderTheEntryWhoseMagicMatchesItsExecutables() throws IOException {
    Emulation emulation = mounted();
    Files.writeString(binfmt.resolve("qemu-aarch64"), AARCH64);
    Files.writeString(binfmt.resolve("jar"), "enabled\ninterpreter /usr/bin/jexec\nflags: \nextension .jar\n");
    assertThat(emulation.check(ARM64)).isEqualTo(new Execution.Emulated(ARM64, "qemu-aarch64",
        "/usr/libexec/qemu-binfmt/aarch64-binfmt-P", "PF"));
    assertThat(emulation.check(ARM64).emulated()).isPresent();
    assertThat(emulation.check(ARM64).toString()).isEqualTo("linux/arm64 under qemu-aarch64");
  }

  @Test
  void theEntryIsFoundByWhatItMatchesNotByItsName() throws IOException {
    Emulation emulation = mounted();
    Files.writeString(binfmt.resolve("arm64-emulator"), AARCH64.replace("flags: PF", "flags: OCF"));
    Execution execution = emulation.check(ARM64);
    assertThat(execution.emulated().orElseThrow().handler()).isEqualTo("arm64-emulator");
    assertThat(execution.emulated().orElseThrow().flags()).isEqualTo("OCF");
  }

  @Test
  void bigEndianAndLongMagicsMatchTheirOwnPlatformOnly() throws IOException {
    Emulation emulation = mounted();
    Files.writeString(binfmt.resolve("qemu-s390x"), "enabled\ninterpreter /usr/libexec/qemu-binfmt/s390x-binfmt-P\n"
        + "flags: PF\noffset 0\nmagic 7f454c4602020100000000000000000000020016\n"
        + "mask fffffffffffffffcfffffffffffffffffffeffff\n");
    Files.writeString(binfmt.resolve("qemu-mips"), "enabled\ninterpreter /usr/libexec/qemu-binfmt/mips-binfmt-P\n"
        + "flags: PF\noffset 0\nmagic 7f454c46010201000000000000000000000200080000000000000000000000000000000000000000\n"
        + "mask ffffffffffffff00fefffffffffffffffffeffff0000000000000000000000000000000000000020\n");
    assertThat(emulation.check(Platform.parse("linux/s390x")).emulated().orElseThrow().handler()).isEqualTo("qemu-s390x");
    assertThat(emulation.check(Platform.parse("linux/mips")).emulated().orElseThrow().handler()).isEqualTo("qemu-mips");
    assertThatThrownBy(() -> emulation.check(Platform.parse("linux/mipsle")))
        .hasMessageContaining("no binfmt_misc entry runs mipsle executables");
    assertThatThrownBy(() -> emulation.check(Platform.parse("linux/ppc64")))
        .hasMessageContaining("update-binfmts --enable qemu-ppc64");
  }

  @Test
  void noEntryForThePlatformSaysWhatToInstallAndEnable() throws IOException {
    Emulation emulation = mounted();
    Files.writeString(binfmt.resolve("qemu-aarch64"), AARCH64);
    assertThatThrownBy(() -> emulation.check(Platform.parse("linux/s390x")))
        .isInstanceOf(EmulationUnavailableException.class)
        .hasMessage("linux/s390x steps need an emulator (qemu-user-static with binfmt_misc) on this linux/amd64"
            + " machine: no binfmt_misc entry runs s390x executables (apt-get install qemu-user-static"
            + " binfmt-support; update-binfmts --enable qemu-s390x)")
        .satisfies(e -> assertThat(((EmulationUnavailableException) e).platform()).isEqualTo(Platform.parse("linux/s390x")));
  }

  @Test
  void anEntryWithoutTheFixBinaryFlagIsNotUsable() throws IOException {
    Emulation emulation = mounted();
    Files.writeString(binfmt.resolve("qemu-aarch64"), AARCH64.replace("flags: PF", "flags: P")
        .replace("aarch64-binfmt-P", "qemu-aarch64-static"));
    assertThatThrownBy(() -> emulation.check(ARM64))
        .hasMessageContaining("the binfmt_misc entry qemu-aarch64 lacks the F (fix-binary) flag, so "
            + "/usr/libexec/qemu-binfmt/qemu-aarch64-static is not found inside a container");
  }

  @Test
  void aDisabledEntryOrSwitchedOffBinfmtSaysHowToEnableIt() throws IOException {
    Emulation emulation = mounted();
    Files.writeString(binfmt.resolve("qemu-aarch64"), AARCH64.replace("enabled\n", "disabled\n"));
    assertThatThrownBy(() -> emulation.check(ARM64))
        .hasMessageEndingWith("the binfmt_misc entry qemu-aarch64 is disabled (update-binfmts --enable qemu-aarch64)");
    Files.writeString(binfmt.resolve("status"), "disabled\n");
    assertThatThrownBy(() -> emulation.check(ARM64))
        .hasMessageEndingWith("binfmt_misc is switched off (echo 1 > " + binfmt.resolve("status") + ")");
  }

  @Test
  void anUnmountedBinfmtMiscSaysHowToMountIt() {
    Emulation emulation = new Emulation(binfmt, AMD64);
    assertThatThrownBy(() -> emulation.check(ARM64))
        .hasMessageContaining("binfmt_misc is not mounted at " + binfmt)
        .hasMessageContaining("mount -t binfmt_misc binfmt_misc " + binfmt)
        .hasMessageContaining("update-binfmts --enable qemu-aarch64")
        .hasMessageNotContaining("\n");
  }

  @Test
  void aPlatformBerthKnowsNoEmulatorForIsRefused() throws IOException {
    Emulation emulation = mounted();
    assertThatThrownBy(() -> emulation.check(Platform.parse("windows/amd64")))
        .hasMessageContaining("berth knows no emulator for windows/amd64 executables");
    assertThatThrownBy(() -> emulation.check(Platform.parse("linux/wasm")))
        .hasMessageContaining("build it on a linux/wasm machine");
  }

  @Test
  void theEnvironmentCanPointTheCheckElsewhere() {
    Emulation emulation = Emulation.fromEnvironment(java.util.Map.of(Emulation.DIRECTORY_VARIABLE, binfmt.toString()));
    assertThatThrownBy(() -> emulation.check(Platform.parse("linux/riscv64")))
        .hasMessageContaining("binfmt_misc is not mounted at " + binfmt);
    assertThat(Emulation.fromEnvironment(java.util.Map.of()).host()).isEqualTo(Platform.host());
  }
}
