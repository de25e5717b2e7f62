package dev.berth.graph;

/** A tree whose images cannot form a graph: duplicate names, a missing parent, a cycle. */
public final class GraphException extends RuntimeException {
  public GraphException(String message) {
    super(message);
  }
}
