package dev.courier.agent.executor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.agent.sdk.CommandOutcome;
import dev.courier.protocol.CommandStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectExecutorTest {

  @TempDir Path temp;
  private Path root;
  private Path logs;
  private Path outside;
  private Path artifacts;
  private CollectExecutor executor;

  @BeforeEach
  void layout() throws Exception {
    root = Files.createDirectories(temp.resolve("var"));
    logs = Files.createDirectories(root.resolve("log/app"));
    Files.writeString(logs.resolve("app.log"), "line 1\nline 2\n");
    Files.writeString(logs.resolve("error.log"), "boom\n");
    Files.writeString(logs.resolve("notes.txt"), "not a log\n");
    Files.createDirectories(logs.resolve("old"));
    Files.writeString(logs.resolve("old/app-2024.log"), "older\n");
    outside = Files.createDirectories(temp.resolve("etc"));
    Files.writeString(outside.resolve("shadow.log"), "secret\n");
    artifacts = temp.resolve("state/artifacts");
    executor = new CollectExecutor(AllowedRoots.of("--collect-roots", List.of(root)), artifacts);
  }

  private CommandOutcome collect(String sourceConfigJson) throws Exception {
    return executor.execute(
        FakeContext.of(
            "collect", "{\"collector\":\"files\",\"source_config\":" + sourceConfigJson + "}"));
  }

  private static Map<String, String> unzip(Path zip) throws Exception {
    Map<String, String> entries = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      ZipEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        entries.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return entries;
  }

  private static List<String> paths(JsonNode files) {
    List<String> paths = new ArrayList<>();
    files.forEach(f -> paths.add(f.path("path").asText()));
    return paths;
  }

  @Test
  void files_matching_the_glob_are_zipped_and_listed_with_sizes_and_the_artifact_hash()
      throws Exception {
    CommandOutcome outcome = collect("{\"path\":\"" + logs + "\",\"pattern\":\"**/*.log\"}");

    assertThat(outcome.status()).as(outcome.toString()).isEqualTo(CommandStatus.COMPLETED);
    JsonNode metadata = outcome.metadata();
    assertThat(paths(metadata.path("files")))
        .containsExactly("app.log", "error.log", "old/app-2024.log");
    assertThat(metadata.path("files").get(0).path("size_bytes").asLong()).isEqualTo(14);
    assertThat(metadata.path("files_count").asInt()).isEqualTo(3);
    assertThat(metadata.path("total_bytes").asLong()).isEqualTo(14 + 5 + 6);
    assertThat(metadata.path("truncated").asBoolean()).isFalse();
    Path zip = Path.of(metadata.path("artifact").path("path").asText());
    assertThat(zip).startsWith(artifacts).hasExtension("zip");
    assertThat(metadata.path("artifact").path("size_bytes").asLong()).isEqualTo(Files.size(zip));
    assertThat(metadata.path("artifact").path("sha256").asText())
        .isEqualTo(
            HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(zip))));
    assertThat(unzip(zip))
        .isEqualTo(
            Map.of(
                "app.log", "line 1\nline 2\n",
                "error.log", "boom\n",
                "old/app-2024.log", "older\n"));
  }

  @Test
  void a_single_star_stays_in_the_top_directory() throws Exception {
    CommandOutcome outcome = collect("{\"path\":\"" + logs + "\",\"pattern\":\"*.log\"}");

    assertThat(paths(outcome.metadata().path("files"))).containsExactly("app.log", "error.log");
  }

  @Test
  void without_a_pattern_every_file_is_collected() throws Exception {
    CommandOutcome outcome = collect("{\"path\":\"" + logs + "\"}");

    assertThat(paths(outcome.metadata().path("files")))
        .containsExactly("app.log", "error.log", "notes.txt", "old/app-2024.log");
  }

  @Test
  void the_file_count_cap_keeps_the_first_files_in_path_order_and_says_it_truncated()
      throws Exception {
    CommandOutcome outcome =
        collect("{\"path\":\"" + logs + "\",\"pattern\":\"**/*.log\",\"max_files\":2}");

    JsonNode metadata = outcome.metadata();
    assertThat(outcome.status()).isEqualTo(CommandStatus.COMPLETED);
    assertThat(paths(metadata.path("files"))).containsExactly("app.log", "error.log");
    assertThat(metadata.path("truncated").asBoolean()).isTrue();
    assertThat(metadata.path("skipped").get(0).path("path").asText()).isEqualTo("old/app-2024.log");
    assertThat(metadata.path("skipped").get(0).path("reason").asText())
        .isEqualTo("max_files reached");
    assertThat(unzip(Path.of(metadata.path("artifact").path("path").asText()))).hasSize(2);
  }

  @Test
  void the_size_cap_skips_files_that_would_not_fit() throws Exception {
    CommandOutcome outcome =
        collect("{\"path\":\"" + logs + "\",\"pattern\":\"**/*.log\",\"max_bytes\":12}");

    JsonNode metadata = outcome.metadata();
    assertThat(paths(metadata.path("files"))).containsExactly("error.log", "old/app-2024.log");
    assertThat(metadata.path("total_bytes").asLong()).isEqualTo(11);
    assertThat(metadata.path("truncated").asBoolean()).isTrue();
    assertThat(metadata.path("skipped").get(0).path("reason").asText())
        .isEqualTo("max_bytes reached");
  }

  @Test
  void a_path_outside_the_roots_or_with_dot_dot_is_refused() throws Exception {
    CommandOutcome absolute = collect("{\"path\":\"" + outside + "\"}");
    CommandOutcome traversal = collect("{\"path\":\"" + root + "/../etc\"}");

    assertThat(absolute.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(absolute.error()).startsWith("params.source_config.path is refused");
    assertThat(traversal.error()).contains("must not contain '..'");
    assertThat(artifacts).doesNotExist();
  }

  @Test
  void a_pattern_that_climbs_out_or_is_absolute_is_refused() throws Exception {
    CommandOutcome climbing = collect("{\"path\":\"" + logs + "\",\"pattern\":\"../../**\"}");
    CommandOutcome absolute = collect("{\"path\":\"" + logs + "\",\"pattern\":\"/etc/*\"}");

    assertThat(climbing.error()).isEqualTo("params.source_config.pattern must not contain '..'");
    assertThat(absolute.error())
        .isEqualTo("params.source_config.pattern must be relative to source_config.path");
  }

  @Test
  void a_file_link_pointing_out_of_the_root_is_skipped_and_one_inside_is_collected()
      throws Exception {
    Files.createSymbolicLink(logs.resolve("escape.log"), outside.resolve("shadow.log"));
    Files.createSymbolicLink(logs.resolve("current.log"), logs.resolve("app.log"));
    Files.createSymbolicLink(logs.resolve("etc"), outside);

    CommandOutcome outcome = collect("{\"path\":\"" + logs + "\",\"pattern\":\"**/*.log\"}");

    JsonNode metadata = outcome.metadata();
    assertThat(paths(metadata.path("files")))
        .containsExactly("app.log", "current.log", "error.log", "old/app-2024.log");
    assertThat(metadata.path("skipped").toString())
        .contains("escape.log", "leads out of the allowed roots");
    Map<String, String> zipped = unzip(Path.of(metadata.path("artifact").path("path").asText()));
    assertThat(zipped).containsEntry("current.log", "line 1\nline 2\n");
    assertThat(String.join("", zipped.values())).doesNotContain("secret");
  }

  @Test
  void nothing_matching_completes_without_an_artifact() throws Exception {
    CommandOutcome outcome = collect("{\"path\":\"" + logs + "\",\"pattern\":\"*.gz\"}");

    assertThat(outcome.status()).isEqualTo(CommandStatus.COMPLETED);
    assertThat(outcome.metadata().path("artifact").isNull()).isTrue();
    assertThat(outcome.metadata().path("files_count").asInt()).isZero();
    assertThat(outcome.output()).startsWith("no files matched");
  }

  @Test
  void collectors_other_than_files_are_refused() throws Exception {
    CommandOutcome outcome =
        executor.execute(
            FakeContext.of(
                "collect",
                "{\"collector\":\"github\",\"source_config\":{\"repository\":\"org/repo\"}}"));

    assertThat(outcome.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(outcome.error())
        .isEqualTo("params.collector 'github' is not supported by this agent; supported: files");
  }

  @Test
  void a_cancelled_collection_leaves_no_artifact() throws Exception {
    CommandOutcome outcome =
        executor.execute(
            FakeContext.of(
                    "collect",
                    "{\"collector\":\"files\",\"source_config\":{\"path\":\"" + logs + "\"}}")
                .cancel());

    assertThat(outcome.status()).isEqualTo(CommandStatus.CANCELLED);
    assertThat(artifacts).doesNotExist();
  }
}
