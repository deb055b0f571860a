package dev.courier.agent.executor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test helpers that run real programs (git) and write stand-in ones (a fake docker, scanners). */
final class Programs {

  private Programs() {}

  /** Runs {@code git args...} in {@code dir} with a fixed identity; fails the test on error. */
  static String git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>();
    argv.addAll(
        List.of(
            "git",
            "-c",
            "user.name=Courier Test",
            "-c",
            "user.email=test@courier.invalid",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false"));
    argv.addAll(List.of(args));
    Process process =
        new ProcessBuilder(argv)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("git " + String.join(" ", args) + " hung");
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + output);
    }
    return output.strip();
  }

  /** Writes an executable {@code #!/bin/sh} script. */
  static Path script(Path file, String body) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }
}
