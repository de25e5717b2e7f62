package dev.berth.dockerfile;

import com.hubspot.jinjava.objects.serialization.PyishSerializable;
import com.hubspot.jinjava.util.HasObjectTruthValue;
import java.io.IOException;

/** A boolean of the configuration inside templates: printed {@code True}/{@code False}, as Jinja2 prints it. */
enum PyBool implements PyishSerializable, HasObjectTruthValue {
  FALSE, TRUE;

  static PyBool of(boolean value) {
    return value ? TRUE : FALSE;
  }

  @Override
  public boolean getObjectTruthValue() {
    return this == TRUE;
  }

  @Override
  public <T extends Appendable & CharSequence> T appendPyishString(T appendable) throws IOException {
    appendable.append(toString());
    return appendable;
  }

  @Override
  public String toString() {
    return this == TRUE ? "True" : "False";
  }
}
