package dev.berth.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Version order against the package managers' own answers: each Debian row is what
 * {@code dpkg --compare-versions A lt|eq|gt B} says, each Python row what {@code packaging.version.Version}
 * (pip's) says; they were run on this machine to write the rows.
 */
@Tag("unit")
class PackageVersionsTest {
  @ParameterizedTest
  @CsvSource(delimiter = ' ', value = {
      "1.6-2.1 < 1.6-2.1+deb12u1",
      "1.6-2.1 < 1.7",
      "1:1.0 > 2.0",
      "1.0~rc1 < 1.0",
      "1.0 < 1.0+b1",
      "3.0.11-1~deb12u2 < 3.0.11-1",
      "2.36.1-8+deb12u1 > 2.36.1-8",
      "1.0a > 1.0",
      "1.0.0 > 1.0",
      "10 > 9",
      "1.6-2.1 = 1.6-2.1",
      "0:1.6-2.1 = 1.6-2.1",
  })
  void debianOrderIsDpkgs(String a, String relation, String b) {
    assertThat(Integer.signum(PackageVersions.compareDebian(a, b))).isEqualTo(sign(relation));
    assertThat(Integer.signum(PackageVersions.compareDebian(b, a))).isEqualTo(-sign(relation));
  }

  @ParameterizedTest
  @CsvSource(delimiter = ' ', value = {
      "1.0.dev1 < 1.0a1",
      "1.0a1 < 1.0b1",
      "1.0b2 < 1.0rc1",
      "1.0rc1 < 1.0",
      "1.0 < 1.0.post1",
      "1.0.post1.dev1 < 1.0.post1",
      "1.0 = 1.0.0",
      "2.31.0 < 2.32.3",
      "1!0.1 > 2.0",
      "1.10 > 1.9",
      "1.0-1 > 1.0",
      "1.0.dev1 < 1.0",
      "1.0RC1 = 1.0rc1",
  })
  void pythonOrderIsPep440s(String a, String relation, String b) {
    assertThat(Integer.signum(PackageVersions.comparePython(a, b))).isEqualTo(sign(relation));
    assertThat(Integer.signum(PackageVersions.comparePython(b, a))).isEqualTo(-sign(relation));
  }

  @ParameterizedTest
  @CsvSource(delimiter = ' ', value = {
      "pkg:deb/debian/jq@1.6-2.1 1.6-2.1+deb12u1 true",
      "pkg:deb/debian/jq@1.6-2.1 1.6-2.1 false",
      "pkg:pypi/requests@2.31.0 2.32.3 true",
      "pkg:pypi/requests@2.31.0 2.31.0rc1 false",
      "pkg:pypi/requests@1.0rc1 1.0 true",
  })
  void belowUsesTheOrderOfThePackagesManager(String purl, String fixed, boolean below) {
    String version = purl.substring(purl.indexOf('@') + 1);
    assertThat(PackageVersions.isBelow(new SbomPackage("p", version, purl, null), fixed)).isEqualTo(below);
  }

  private static int sign(String relation) {
    return switch (relation) {
      case "<" -> -1;
      case ">" -> 1;
      default -> 0;
    };
  }
}
