package dev.berth.cli.replay;

import java.nio.file.Path;
import java.util.List;

/**
 * What a run that changed nothing depended on besides its key, as the command that ran reports it:
 * trees walked whole, single files (present or absent), and the journal lines it appended.
 */
public record ReplayInputs(List<Path> trees, List<Path> files, List<JournalLines> journals) {
  public ReplayInputs {
    trees = List.copyOf(trees);
    files = List.copyOf(files);
    journals = List.copyOf(journals);
  }
}
