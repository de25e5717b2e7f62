package dev.berth.doctor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One thing {@code berth doctor} looked at: whether it is there ({@code ok}), what was found, what it
 * is needed for, and, when missing, what to install or do. A {@code required} check failing makes
 * the doctor fail: the default (native) builder cannot work without it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Check(
    @JsonProperty("name") String name,
    @JsonProperty("ok") boolean ok,
    @JsonProperty("required") boolean required,
    @JsonProperty("detail") String detail,
    @JsonProperty("neededFor") String neededFor,
    @JsonProperty("fix") String fix) {

  static Check passed(String name, boolean required, String detail, String neededFor) {
    return new Check(name, true, required, detail, neededFor, null);
  }

  static Check failed(String name, boolean required, String detail, String neededFor, String fix) {
    return new Check(name, false, required, detail, neededFor, fix);
  }
}
