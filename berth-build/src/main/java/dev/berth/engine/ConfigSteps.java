package dev.berth.engine;

import dev.berth.layer.EntryAttributes;
import dev.berth.layer.LayerBuilder;
import dev.berth.spec.StepSpec;
import dev.berth.spec.StepVisitor;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The steps that change the image's configuration or the build's state rather than write files
 * (env, default env, workdir, shell, build args, user), applied to a {@link BuildState}: each gives
 * true when it was one of them, false for any other kind.
 */
final class ConfigSteps implements StepVisitor.Partial<Boolean, IOException> {
  private final ContentStore store;
  private final BuildSettings settings;
  private final BuildState state;

  ConfigSteps(ContentStore store, BuildSettings settings, BuildState state) {
    this.store = store;
    this.settings = settings;
    this.state = state;
  }

  @Override
  public Boolean otherwise(StepSpec step) {
    return false;
  }

  @Override
  public Boolean env(StepSpec.Env env) {
    state.config = state.config.withConfig(state.config.config().withEnv(
        RuntimeConfigs.mergeEnv(state.config.config().env(), env.variables())))
        .withEmptyLayerHistory("berth env " + new TreeMap<>(env.variables()));
    return true;
  }

  @Override
  public Boolean defaultEnv(StepSpec.DefaultEnv defaults) {
    Map<String, String> missing = new TreeMap<>(defaults.variables());
    List<String> env = state.config.config().env() == null ? List.of() : state.config.config().env();
    env.forEach(entry -> missing.remove(entry.contains("=") ? entry.substring(0, entry.indexOf('=')) : entry));
    if (!missing.isEmpty()) {
      state.config = state.config.withConfig(state.config.config().withEnv(
          RuntimeConfigs.mergeEnv(state.config.config().env(), missing)));
    }
    return true;
  }

  @Override
  public Boolean workdir(StepSpec.Workdir workdir) throws IOException {
    String path = state.absolute(workdir.path());
    state.config = state.config.withConfig(state.config.config().withWorkingDir(path));
    LowerTree lower = LowerTree.of(store, state.layers);
    String directory = lower.resolve(path, true);
    if (lower.isDirectory(directory) || directory.equals("/")) {
      state.config = state.config.withEmptyLayerHistory("berth workdir " + path);
    } else {  // WORKDIR makes its directory, as Docker's builders do
      LayerBuilder layer = new LayerBuilder(settings.compression(), settings.sourceDateEpoch())
          .parentAttributes(parent -> lower.existingDirectory(parent).orElse(new EntryAttributes(null, null, 0755)));
      layer.addDirectory(directory, new EntryAttributes(null, null, 0755));
      state.addLayer(layer.writeTo(store), "berth workdir " + path);
    }
    return true;
  }

  @Override
  public Boolean shell(StepSpec.Shell shell) {
    state.shell = shell.shell();
    return true;
  }

  @Override
  public Boolean buildArgs(StepSpec.BuildArgs args) {
    Map<String, String> merged = new TreeMap<>(state.buildArgs);
    merged.putAll(args.variables());
    state.buildArgs = Map.copyOf(merged);
    return true;
  }

  @Override
  public Boolean user(StepSpec.User user) {
    state.config = state.config.withConfig(state.config.config().withUser(user.user()))
        .withEmptyLayerHistory("berth user " + user.user());
    return true;
  }
}
