package dev.berth.spec;

/**
 * What to do with each kind of {@link StepSpec}, one method per kind ({@link StepSpec#accept}), so
 * that code that treats steps differently states every kind in one place and a new kind is a new
 * method here. {@code X}: what the methods may throw ({@code RuntimeException} for nothing checked).
 */
public interface StepVisitor<R, X extends Exception> {
  R apt(StepSpec.Apt step) throws X;

  R pip(StepSpec.Pip step) throws X;

  R requirements(StepSpec.Requirements step) throws X;

  R run(StepSpec.Run step) throws X;

  R layer(StepSpec.Layer step) throws X;

  R copy(StepSpec.Copy step) throws X;

  R env(StepSpec.Env step) throws X;

  R defaultEnv(StepSpec.DefaultEnv step) throws X;

  R workdir(StepSpec.Workdir step) throws X;

  R user(StepSpec.User step) throws X;

  R copyFrom(StepSpec.CopyFrom step) throws X;

  R addArchive(StepSpec.AddArchive step) throws X;

  R shell(StepSpec.Shell step) throws X;

  R buildArgs(StepSpec.BuildArgs step) throws X;

  R copyContent(StepSpec.CopyContent step) throws X;

  /** A visitor that treats the kinds it does not name alike ({@link #otherwise}). */
  interface Partial<R, X extends Exception> extends StepVisitor<R, X> {
    /** What every kind not overridden gives. */
    R otherwise(StepSpec step) throws X;

    @Override
    default R apt(StepSpec.Apt step) throws X {
      return otherwise(step);
    }

    @Override
    default R pip(StepSpec.Pip step) throws X {
      return otherwise(step);
    }

    @Override
    default R requirements(StepSpec.Requirements step) throws X {
      return otherwise(step);
    }

    @Override
    default R run(StepSpec.Run step) throws X {
      return otherwise(step);
    }

    @Override
    default R layer(StepSpec.Layer step) throws X {
      return otherwise(step);
    }

    @Override
    default R copy(StepSpec.Copy step) throws X {
      return otherwise(step);
    }

    @Override
    default R env(StepSpec.Env step) throws X {
      return otherwise(step);
    }

    @Override
    default R defaultEnv(StepSpec.DefaultEnv step) throws X {
      return otherwise(step);
    }

    @Override
    default R workdir(StepSpec.Workdir step) throws X {
      return otherwise(step);
    }

    @Override
    default R user(StepSpec.User step) throws X {
      return otherwise(step);
    }

    @Override
    default R copyFrom(StepSpec.CopyFrom step) throws X {
      return otherwise(step);
    }

    @Override
    default R addArchive(StepSpec.AddArchive step) throws X {
      return otherwise(step);
    }

    @Override
    default R shell(StepSpec.Shell step) throws X {
      return otherwise(step);
    }

    @Override
    default R buildArgs(StepSpec.BuildArgs step) throws X {
      return otherwise(step);
    }

    @Override
    default R copyContent(StepSpec.CopyContent step) throws X {
      return otherwise(step);
    }
  }
}
