package example;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The sample's program: greets its argument, parsed with a dependency (picocli) from its own layer. */
@Command(name = "hello")
public final class Hello implements Runnable {
  @Parameters(defaultValue = "world")
  String who;

  @Override
  public void run() {
    System.out.println("hello " + who + " from the berth maven plugin sample");
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Hello()).execute(args));
  }
}
