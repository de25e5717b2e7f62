package dev.berth.sbom;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.InvalidContentException;
import org.junit.jupiter.api.Test;

@Tag("unit")
class DpkgStatusTest {
  private static final String BASE = """
      Package: libc6
      Status: install ok installed
      Priority: optional
      Architecture: amd64
      Multi-Arch: same
      Source: glibc
      Version: 2.36-9+deb12u4
      Description: GNU C Library: Shared libraries
       Contains the standard libraries that are used by nearly all programs on
       .
       the system.

      Package: removed-one
      Status: deinstall ok config-files
      Architecture: amd64
      Version: 1.0

      Package: libssl3
      Status: install ok installed
      Architecture: amd64
      Source: openssl (3.0.11-1~deb12u2)
      Version: 3.0.11-1~deb12u2
      """;

  @Test
  void readsInstalledPackagesWithTheirSourcePackage() {
    DpkgStatus status = DpkgStatus.parse(BASE, "base test");
    assertThat(status.packages()).containsOnlyKeys("libc6:amd64", "libssl3:amd64");
    assertThat(status.packages().get("libssl3:amd64"))
        .isEqualTo(new DpkgPackage("libssl3", "3.0.11-1~deb12u2", "amd64", "openssl"));
    assertThat(status.packages().get("libc6:amd64").source()).isEqualTo("glibc");
    assertThat(status.packages().get("libc6:amd64").purl())
        .isEqualTo("pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&upstream=glibc");
  }

  @Test
  void addedOrChangedAreNewPackagesAndNewVersionsOnly() {
    DpkgStatus before = DpkgStatus.parse(BASE, "before");
    DpkgStatus after = DpkgStatus.parse(BASE.replace("3.0.11-1~deb12u2", "3.0.13-1~deb12u1") + """

        Package: jq
        Status: install ok installed
        Architecture: amd64
        Version: 1.6-2.1
        """, "after");
    assertThat(before.addedOrChangedIn(after)).containsOnlyKeys("jq:amd64", "libssl3:amd64");
    assertThat(before.addedOrChangedIn(before)).isEmpty();
  }

  @Test
  void aMalformedLineIsReportedWithItsLineNumber() {
    assertThatThrownBy(() -> DpkgStatus.parse("Package: a\nStatus: install ok installed\nthis is not a field\n", "base x"))
        .isInstanceOf(InvalidContentException.class)
        .hasMessage("base x: var/lib/dpkg/status:3: malformed dpkg status: expected 'Field: value', got 'this is not a field'");
    assertThatThrownBy(() -> DpkgStatus.parse("Status: install ok installed\nVersion: 1\n", "base x"))
        .hasMessage("base x: var/lib/dpkg/status:1: malformed dpkg status: a paragraph without a Package field");
    assertThatThrownBy(() -> DpkgStatus.parse("Package: a\nStatus: install ok installed\n", "base x"))
        .hasMessageContaining("package a has no Version");
  }
}
