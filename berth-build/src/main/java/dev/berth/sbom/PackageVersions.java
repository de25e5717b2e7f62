package dev.berth.sbom;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Version order as each package manager defines it: Debian's (dpkg's {@code --compare-versions}:
 * epoch, upstream version, revision; {@code ~} sorts before everything, even the end) for dpkg
 * packages, and PEP 440's for Python distributions (epoch, release, then dev &lt; pre-release &lt;
 * final &lt; post-release; a local version label is ignored).
 */
public final class PackageVersions {
  private PackageVersions() {}

  /** Whether {@code pkg}'s version is lower than {@code version}, in the order of its package manager. */
  public static boolean isBelow(SbomPackage pkg, String version) {
    if (pkg.version() == null) {
      return false;
    }
    boolean python = pkg.purl() != null && pkg.purl().startsWith("pkg:pypi/");
    return (python ? comparePython(pkg.version(), version) : compareDebian(pkg.version(), version)) < 0;
  }

  /** Debian's version order: negative, zero or positive as {@code a} sorts before, with or after {@code b}. */
  public static int compareDebian(String a, String b) {
    DebianVersion left = DebianVersion.parse(a);
    DebianVersion right = DebianVersion.parse(b);
    int epochs = left.epoch().compareTo(right.epoch());
    if (epochs != 0) {
      return epochs;
    }
    int upstream = compareDebianPart(left.upstream(), right.upstream());
    return upstream != 0 ? upstream : compareDebianPart(left.revision(), right.revision());
  }

  private record DebianVersion(BigInteger epoch, String upstream, String revision) {
    static DebianVersion parse(String version) {
      String rest = version.strip();
      BigInteger epoch = BigInteger.ZERO;
      int colon = rest.indexOf(':');
      if (colon > 0 && rest.substring(0, colon).chars().allMatch(Character::isDigit)) {
        epoch = new BigInteger(rest.substring(0, colon));
        rest = rest.substring(colon + 1);
      }
      int dash = rest.lastIndexOf('-');
      return dash < 0 ? new DebianVersion(epoch, rest, "") : new DebianVersion(epoch, rest.substring(0, dash),
          rest.substring(dash + 1));
    }
  }

  /** dpkg's comparison of one part: alternating runs of non-digits (by {@link #order}) and digits (numerically). */
  private static int compareDebianPart(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() || j < b.length()) {
      while ((i < a.length() && !isDigit(a, i)) || (j < b.length() && !isDigit(b, j))) {
        int left = order(a, i);
        int right = order(b, j);
        if (left != right) {
          return left - right;
        }
        i++;
        j++;
      }
      while (i < a.length() && a.charAt(i) == '0') {
        i++;
      }
      while (j < b.length() && b.charAt(j) == '0') {
        j++;
      }
      int firstDifference = 0;
      while (isDigit(a, i) && isDigit(b, j)) {
        if (firstDifference == 0) {
          firstDifference = a.charAt(i) - b.charAt(j);
        }
        i++;
        j++;
      }
      if (isDigit(a, i)) {
        return 1;
      }
      if (isDigit(b, j)) {
        return -1;
      }
      if (firstDifference != 0) {
        return firstDifference;
      }
    }
    return 0;
  }

  private static boolean isDigit(String s, int i) {
    return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9';
  }

  /** The weight of the character at {@code i}: the end and digits 0, {@code ~} lowest, letters before other symbols. */
  private static int order(String s, int i) {
    if (i >= s.length() || isDigit(s, i)) {
      return 0;
    }
    char c = s.charAt(i);
    if (c == '~') {
      return -1;
    }
    return Character.isLetter(c) ? c : c + 256;
  }

  private static final Pattern PEP440 = Pattern.compile(
      "v?(?:(\\d+)!)?(\\d+(?:\\.\\d+)*)"
          + "(?:[-_.]?(a|alpha|b|beta|rc|c|pre|preview)[-_.]?(\\d*))?"
          + "(?:-(\\d+)|[-_.]?(post|rev|r)[-_.]?(\\d*))?"
          + "(?:[-_.]?(dev)[-_.]?(\\d*))?"
          + "(?:\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?");

  /**
   * PEP 440's version order; a version outside its grammar sorts as Debian's order would, so that a
   * legacy version still compares.
   */
  public static int comparePython(String a, String b) {
    List<BigInteger> left = pythonKey(a);
    List<BigInteger> right = pythonKey(b);
    if (left == null || right == null) {
      return compareDebian(a, b);
    }
    for (int k = 0; k < left.size(); k++) {
      int c = left.get(k).compareTo(right.get(k));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static final int RELEASE_PARTS = 12;
  private static final BigInteger NONE = BigInteger.valueOf(-1);
  private static final BigInteger INFINITY = BigInteger.TWO.pow(128);

  /** epoch, release padded to {@value #RELEASE_PARTS} parts, pre-release phase and number, post, dev; null outside PEP 440. */
  private static List<BigInteger> pythonKey(String version) {
    Matcher m = PEP440.matcher(version.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return null;
    }
    String[] release = m.group(2).split("\\.");
    if (release.length > RELEASE_PARTS) {
      return null;
    }
    List<BigInteger> key = new ArrayList<>();
    key.add(m.group(1) == null ? BigInteger.ZERO : new BigInteger(m.group(1)));
    for (int k = 0; k < RELEASE_PARTS; k++) {
      key.add(k < release.length ? new BigInteger(release[k]) : BigInteger.ZERO);
    }
    boolean hasPost = m.group(5) != null || m.group(6) != null;
    boolean hasDev = m.group(8) != null;
    if (m.group(3) != null) {
      key.add(BigInteger.valueOf(phase(m.group(3))));
      key.add(number(m.group(4)));
    } else if (hasDev && !hasPost) {
      key.add(NONE);  // 1.0.dev1 sorts before 1.0a1
      key.add(BigInteger.ZERO);
    } else {
      key.add(INFINITY);  // a final release sorts after its pre-releases
      key.add(BigInteger.ZERO);
    }
    key.add(hasPost ? number(m.group(5) != null ? m.group(5) : m.group(7)) : NONE);
    key.add(hasDev ? number(m.group(9)) : INFINITY);
    return key;
  }

  private static int phase(String label) {
    return switch (label) {
      case "a", "alpha" -> 0;
      case "b", "beta" -> 1;
      default -> 2;  // rc, c, pre, preview
    };
  }

  private static BigInteger number(String digits) {
    return digits == null || digits.isEmpty() ? BigInteger.ZERO : new BigInteger(digits);
  }
}
