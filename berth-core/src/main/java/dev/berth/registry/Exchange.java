package dev.berth.registry;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.InputStream;
import java.util.List;

/**
 * One request to a registry and what to make of its answer. {@link RegistryTransport} builds the
 * request anew for every attempt, adds authorization, and retries; {@link #handle} sees every
 * response that is neither an authentication challenge nor a retryable failure.
 */
interface Exchange<T> {
  /** The token scopes this request needs, such as {@code repository:team/app:pull}. */
  List<String> scopes();

  /** The request for attempt {@code attempt} (1-based); later attempts may resynchronise first. */
  HttpRequest.Builder request(int attempt) throws IOException;

  /** Reads the response; an IOException thrown while streaming the body is retried. */
  T handle(HttpResponse<InputStream> response) throws IOException;
}
