package dev.berth.registry;

import java.util.List;

/** Token scopes in the form the Distribution token protocol uses. */
final class Scopes {
  private Scopes() {}

  static List<String> pull(String repository) {
    return List.of("repository:" + repository + ":pull");
  }

  static List<String> push(String repository) {
    return List.of("repository:" + repository + ":pull,push");
  }

  static List<String> delete(String repository) {
    return List.of("repository:" + repository + ":delete");
  }

  static List<String> mount(String repository, String from) {
    return List.of("repository:" + repository + ":pull,push", "repository:" + from + ":pull");
  }
}
