package dev.berth.cli;

import dev.berth.graph.TreeScanner;
import dev.berth.plan.Journal;
import dev.berth.report.HtmlReport;
import dev.berth.report.RunReport;
import dev.berth.store.ContentStore;
import dev.berth.text.OutputFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth report [TREE]}: the last run as one self-contained HTML page. */
@Command(name = "report", description = "Write the last run as one self-contained HTML page: graph, timeline, sizes, failures.")
final class ReportCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @Mixin TreeOptions treeOptions;

  @Option(names = "--output", defaultValue = "report.html", paramLabel = "FILE",
      description = "The HTML file to write (default: ${DEFAULT-VALUE}).")
  Path output;

  @Override
  public Integer call() throws Exception {
    OutputFile file = OutputFile.checked(output, "report");
    TreeScanner.Tree tree = treeOptions.scan(System.err::println);
    ContentStore store = global.openStore();
    Path name = tree.root().getFileName();
    RunReport report = RunReport.of(name == null ? tree.root().toString() : name.toString(), tree.graph(),
        tree.graph().select(treeOptions.select), Journal.open(tree.root(), Clock.systemUTC()), store);
    file.write(HtmlReport.render(report).getBytes(StandardCharsets.UTF_8));
    System.out.println(file.path());
    return ExitCodes.OK;
  }
}
