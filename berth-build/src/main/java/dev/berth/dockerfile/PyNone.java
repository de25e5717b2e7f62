package dev.berth.dockerfile;

import com.hubspot.jinjava.objects.serialization.PyishSerializable;
import com.hubspot.jinjava.util.HasObjectTruthValue;
import java.io.IOException;

/**
 * Python's {@code None} inside templates: a config key set to null (docker-pkg's {@code http_proxy}
 * default) is defined, false in a test and printed as {@code None}, as Jinja2 does.
 */
enum PyNone implements PyishSerializable, HasObjectTruthValue {
  NONE;

  @Override
  public boolean getObjectTruthValue() {
    return false;
  }

  @Override
  public <T extends Appendable & CharSequence> T appendPyishString(T appendable) throws IOException {
    appendable.append("None");
    return appendable;
  }

  @Override
  public String toString() {
    return "None";
  }
}
