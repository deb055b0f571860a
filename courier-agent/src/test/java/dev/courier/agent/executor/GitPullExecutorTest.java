package dev.courier.agent.executor;

import static dev.courier.agent.executor.Programs.git;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.agent.sdk.CommandOutcome;
import dev.courier.protocol.CommandStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against real repositories made with the real git: a bare remote, an author and a clone. */
class GitPullExecutorTest {

  @TempDir Path temp;
  private Path root;
  private Path remote;
  private Path author;
  private Path clone;
  private GitPullExecutor executor;

  @BeforeEach
  void repositories() throws Exception {
    root = Files.createDirectories(temp.resolve("repos"));
    remote = temp.resolve("remote.git");
    author = temp.resolve("author");
    git(temp, "init", "-q", "--bare", remote.toString());
    git(temp, "init", "-q", author.toString());
    Files.writeString(author.resolve("README"), "first\n");
    git(author, "add", "README");
    git(author, "commit", "-q", "-m", "first");
    git(author, "branch", "-M", "main");
    git(author, "remote", "add", "origin", remote.toString());
    git(author, "push", "-q", "origin", "main");
    git(remote, "symbolic-ref", "HEAD", "refs/heads/main");
    clone = root.resolve("app");
    git(temp, "clone", "-q", remote.toString(), clone.toString());
    executor = new GitPullExecutor(AllowedRoots.of("--git-roots", List.of(root)));
  }

  private String pushNewCommit() throws Exception {
    Files.writeString(author.resolve("NEWS"), "second\n");
    git(author, "add", "NEWS");
    git(author, "commit", "-q", "-m", "second");
    git(author, "push", "-q", "origin", "main");
    return git(author, "rev-parse", "HEAD");
  }

  private CommandOutcome pull(String paramsJson) throws Exception {
    return executor.execute(FakeContext.of("git_pull", paramsJson).withProcesses());
  }

  private static String params(Path repository, String branch) {
    return "{\"repository_path\":\""
        + repository
        + "\""
        + (branch == null ? "" : ",\"branch\":\"" + branch + "\"")
        + "}";
  }

  @Test
  void a_new_commit_on_the_remote_is_fast_forwarded_and_both_commit_ids_are_reported()
      throws Exception {
    String before = git(clone, "rev-parse", "HEAD");
    String pushed = pushNewCommit();

    CommandOutcome outcome = pull(params(clone, "main"));

    assertThat(outcome.status()).as(outcome.toString()).isEqualTo(CommandStatus.COMPLETED);
    assertThat(outcome.exitCode()).isZero();
    assertThat(git(clone, "rev-parse", "HEAD")).isEqualTo(pushed);
    assertThat(clone.resolve("NEWS")).hasContent("second");
    assertThat(outcome.metadata().path("before").asText()).isEqualTo(before);
    assertThat(outcome.metadata().path("after").asText()).isEqualTo(pushed);
    assertThat(outcome.metadata().path("updated").asBoolean()).isTrue();
    assertThat(outcome.metadata().path("branch").asText()).isEqualTo("main");
    assertThat(outcome.metadata().path("repository_path").asText())
        .isEqualTo(clone.toRealPath().toString());
  }

  @Test
  void without_a_branch_the_checked_out_one_is_pulled() throws Exception {
    String pushed = pushNewCommit();

    CommandOutcome outcome = pull(params(clone, null));

    assertThat(outcome.status()).as(outcome.toString()).isEqualTo(CommandStatus.COMPLETED);
    assertThat(outcome.metadata().path("branch").asText()).isEqualTo("main");
    assertThat(git(clone, "rev-parse", "HEAD")).isEqualTo(pushed);
  }

  @Test
  void an_up_to_date_repository_completes_without_an_update() throws Exception {
    CommandOutcome outcome = pull(params(clone, "main"));

    assertThat(outcome.status()).as(outcome.toString()).isEqualTo(CommandStatus.COMPLETED);
    assertThat(outcome.metadata().path("updated").asBoolean()).isFalse();
    assertThat(outcome.metadata().path("after").asText())
        .isEqualTo(outcome.metadata().path("before").asText());
  }

  @Test
  void a_pull_that_is_not_a_fast_forward_fails_and_leaves_the_clone_alone() throws Exception {
    pushNewCommit();
    Files.writeString(clone.resolve("LOCAL"), "diverged\n");
    git(clone, "add", "LOCAL");
    git(clone, "commit", "-q", "-m", "local change");
    String local = git(clone, "rev-parse", "HEAD");

    CommandOutcome outcome = pull(params(clone, "main"));

    assertThat(outcome.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(outcome.exitCode()).isNotZero();
    assertThat(outcome.error()).startsWith("git pull --ff-only failed");
    assertThat(git(clone, "rev-parse", "HEAD")).isEqualTo(local);
    assertThat(outcome.metadata().path("before").asText()).isEqualTo(local);
  }

  @Test
  void a_branch_other_than_the_checked_out_one_is_refused_rather_than_merged() throws Exception {
    CommandOutcome outcome = pull(params(clone, "release"));

    assertThat(outcome.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(outcome.error()).contains("'release' is not checked out").contains("'main'");
  }

  @Test
  void branch_names_that_git_would_read_as_options_or_ranges_are_refused_before_git_runs()
      throws Exception {
    GitPullExecutor noProcesses = executor;
    for (String bad : List.of("-upload-pack=evil", "main..other", "a//b", ".hidden", "x.lock")) {
      CommandOutcome outcome = noProcesses.execute(FakeContext.of("git_pull", params(clone, bad)));

      assertThat(outcome.status()).as(bad).isEqualTo(CommandStatus.FAILED);
      assertThat(outcome.error()).as(bad).startsWith("params.branch ");
    }
  }

  @Test
  void a_repository_outside_the_roots_is_refused_and_not_touched() throws Exception {
    Path elsewhere = temp.resolve("elsewhere");
    git(temp, "clone", "-q", remote.toString(), elsewhere.toString());
    String before = git(elsewhere, "rev-parse", "HEAD");
    pushNewCommit();

    CommandOutcome outcome =
        executor.execute(FakeContext.of("git_pull", params(elsewhere, "main")));

    assertThat(outcome.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(outcome.error())
        .startsWith("params.repository_path is refused")
        .contains("outside the allowed roots");
    assertThat(git(elsewhere, "rev-parse", "HEAD")).isEqualTo(before);
  }

  @Test
  void a_symbolic_link_in_the_root_to_a_repository_outside_it_is_refused() throws Exception {
    Path elsewhere = temp.resolve("elsewhere");
    git(temp, "clone", "-q", remote.toString(), elsewhere.toString());
    Path link = Files.createSymbolicLink(root.resolve("sneaky"), elsewhere);

    CommandOutcome outcome = executor.execute(FakeContext.of("git_pull", params(link, "main")));

    assertThat(outcome.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(outcome.error()).contains("symbolic link");
  }

  @Test
  void dot_dot_in_the_repository_path_is_refused() throws Exception {
    Path elsewhere = temp.resolve("elsewhere");
    git(temp, "clone", "-q", remote.toString(), elsewhere.toString());

    CommandOutcome outcome =
        executor.execute(
            FakeContext.of("git_pull", params(Path.of(root + "/../elsewhere"), "main")));

    assertThat(outcome.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(outcome.error()).contains("must not contain '..'");
  }

  @Test
  void a_plain_directory_inside_an_enclosing_repository_is_refused_so_git_cannot_climb_out()
      throws Exception {
    Path outer = temp.resolve("outer");
    git(temp, "init", "-q", outer.toString());
    Path nestedRoot = Files.createDirectories(outer.resolve("repos/plain"));
    GitPullExecutor nested =
        new GitPullExecutor(AllowedRoots.of("--git-roots", List.of(outer.resolve("repos"))));

    CommandOutcome outcome =
        nested.execute(FakeContext.of("git_pull", params(nestedRoot, null)).withProcesses());

    assertThat(outcome.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(outcome.error()).contains("must be the top of a git work tree");
  }

  @Test
  void a_directory_that_is_no_repository_fails_saying_so() throws Exception {
    Path plain = Files.createDirectories(root.resolve("plain"));

    CommandOutcome outcome = pull(params(plain, null));

    assertThat(outcome.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(outcome.error()).contains("is not a git work tree");
  }

  @Test
  void branch_name_rules_follow_a_strict_subset_of_git_check_ref_format() {
    for (String good : List.of("main", "release/1.2", "feature/x_y-z", "v1.0")) {
      assertThat(BranchNames.problem(good)).as(good).isEmpty();
    }
    for (String bad :
        List.of(
            "",
            "-x",
            "a..b",
            "/a",
            "a/",
            "a//b",
            ".a",
            "a/.b",
            "a.lock",
            "a.",
            "a b",
            "a~1",
            "a^",
            "a:b",
            "a@{1}",
            "a\\b",
            "x".repeat(256))) {
      assertThat(BranchNames.problem(bad)).as(bad).isPresent();
    }
  }
}
