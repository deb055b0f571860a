package dev.courier.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class JavaProcessesTest {

  @Test
  void a_servers_class_path_of_packaged_modules_puts_the_server_first_and_leaves_out_the_bench() {
    List<Path> entries =
        paths(
            "/r/courier-bench/target/courier-bench.jar",
            "/r/courier-bench/target/lib/courier-protocol.jar",
            "/r/courier-bench/target/lib/jackson-core.jar",
            "/r/courier-bench/target/lib/courier-server.jar");

    assertThat(JavaProcesses.classpathFor(entries, "courier-server", false))
        .containsExactlyElementsOf(
            paths(
                "/r/courier-bench/target/lib/courier-server.jar",
                "/r/courier-bench/target/lib/courier-protocol.jar",
                "/r/courier-bench/target/lib/jackson-core.jar"));
  }

  @Test
  void modules_the_build_did_not_package_keep_their_classes_folders() {
    List<Path> entries =
        paths(
            "/r/courier-bench/target/test-classes",
            "/r/courier-bench/target/classes",
            "/r/courier-protocol/target/classes",
            "/m2/jackson-core.jar",
            "/r/courier-server/target/classes",
            "/r/courier-server/target/test-classes");

    assertThat(JavaProcesses.classpathFor(entries, "courier-server", false))
        .containsExactlyElementsOf(
            paths(
                "/r/courier-server/target/classes",
                "/r/courier-protocol/target/classes",
                "/m2/jackson-core.jar"));
  }

  @Test
  void the_bench_itself_keeps_its_own_classes_first_when_asked() {
    List<Path> entries =
        paths(
            "/r/courier-protocol/target/classes",
            "/r/courier-bench/target/classes",
            "/r/courier-bench/target/test-classes");

    assertThat(JavaProcesses.classpathFor(entries, "courier-bench", true))
        .containsExactlyElementsOf(
            paths(
                "/r/courier-bench/target/classes",
                "/r/courier-bench/target/test-classes",
                "/r/courier-protocol/target/classes"));
  }

  private static List<Path> paths(String... entries) {
    return Arrays.stream(entries).map(Path::of).toList();
  }
}
