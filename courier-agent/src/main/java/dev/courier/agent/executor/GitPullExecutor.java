package dev.courier.agent.executor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.agent.sdk.CommandContext;
import dev.courier.agent.sdk.CommandExecutor;
import dev.courier.agent.sdk.CommandOutcome;
import dev.courier.agent.sdk.ProcessResult;
import dev.courier.protocol.CommandStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code git_pull} (seed 003): fast-forwards the branch checked out in a repository under one of
 * the {@code --git-roots}, with {@code git -C <repo> pull --ff-only origin <branch>}, and reports
 * the commit before and after.
 *
 * <p>It never merges, rebases or switches branches: {@code branch} (default: the one checked out)
 * must be the branch checked out, and a pull that is not a fast-forward fails. The repository path
 * must be the top of its work tree, so a directory under a root cannot make git find and pull an
 * enclosing repository outside the roots. The command's timeout (30 s by default in the server's
 * catalog) bounds every git process; git's output is capped at the agent's output cap.
 */
public final class GitPullExecutor implements CommandExecutor {

  public static final String TYPE = "git_pull";
  private static final String GIT = "git";

  private final AllowedRoots roots;

  public GitPullExecutor(AllowedRoots roots) {
    this.roots = roots;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public CommandOutcome execute(CommandContext context) throws InterruptedException {
    Path repository;
    Optional<String> requestedBranch;
    try {
      Params params = Params.of(context.params());
      repository =
          roots.resolve("repository_path", params.requiredString("repository_path")).path();
      requestedBranch = Optional.ofNullable(params.optionalString("branch", null));
      if (requestedBranch.isPresent()) {
        Optional<String> problem = BranchNames.problem(requestedBranch.get());
        if (problem.isPresent()) {
          throw new InvalidParamException("branch", problem.get());
        }
      }
    } catch (InvalidParamException e) {
      return CommandOutcome.failed(e.getMessage());
    }
    if (!Files.isDirectory(repository)) {
      return CommandOutcome.failed("params.repository_path is not a directory: " + repository);
    }
    try {
      return pull(context, repository, requestedBranch);
    } catch (IOException e) {
      return CommandOutcome.failed("cannot run git: " + e.getMessage());
    }
  }

  private CommandOutcome pull(CommandContext context, Path repository, Optional<String> requested)
      throws IOException, InterruptedException {
    Step top = git(context, repository, "rev-parse", "--show-toplevel");
    if (!top.ok()) {
      return top.failure("is not a git work tree: " + repository);
    }
    if (!Path.of(top.text()).toRealPath().equals(repository)) {
      return CommandOutcome.failed(
          "params.repository_path must be the top of a git work tree; "
              + repository
              + " lies inside "
              + top.text());
    }
    Step head = git(context, repository, "symbolic-ref", "--quiet", "--short", "HEAD");
    if (!head.ok()) {
      return head.failure("HEAD is detached in " + repository + "; check out a branch first");
    }
    String branch = requested.orElse(head.text());
    if (!branch.equals(head.text())) {
      return CommandOutcome.failed(
          "params.branch '"
              + branch
              + "' is not checked out in "
              + repository
              + " (HEAD is on '"
              + head.text()
              + "'); git_pull never switches branches");
    }
    Step before = git(context, repository, "rev-parse", "--verify", "HEAD");
    if (!before.ok()) {
      return before.failure("cannot read HEAD of " + repository);
    }
    ProcessResult pull =
        Processes.run(
            context,
            List.of(GIT, "-C", repository.toString(), "pull", "--ff-only", "origin", branch),
            null);
    Optional<CommandOutcome> stopped = Processes.stopped(pull, "git pull");
    if (stopped.isPresent()) {
      return stopped.get();
    }
    Step after = git(context, repository, "rev-parse", "--verify", "HEAD");
    ObjectNode metadata = Json.object();
    metadata.put("repository_path", repository.toString());
    metadata.put("branch", branch);
    metadata.put("before", before.text());
    if (after.ok()) {
      metadata.put("after", after.text());
      metadata.put("updated", !after.text().equals(before.text()));
    } else {
      metadata.putNull("after");
    }
    String output = Processes.combined(pull);
    if (!pull.succeeded()) {
      return new CommandOutcome(
          CommandStatus.FAILED,
          pull.exitCode(),
          output,
          "git pull --ff-only failed (exit " + pull.exitCode() + ")" + Processes.because(pull),
          null,
          metadata);
    }
    return CommandOutcome.completed(pull.exitCode(), output, metadata);
  }

  private static Step git(CommandContext context, Path repository, String... args)
      throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of(GIT, "-C", repository.toString()));
    argv.addAll(List.of(args));
    return new Step(Processes.run(context, argv, null));
  }

  /** One git plumbing call; its first line of output is what we wanted to know. */
  private record Step(ProcessResult result) {
    boolean ok() {
      return result.succeeded();
    }

    String text() {
      return result.stdout().strip();
    }

    CommandOutcome failure(String message) {
      return Processes.stopped(result, "git")
          .orElseGet(
              () ->
                  CommandOutcome.failed(
                      result.exitCode(),
                      Processes.combined(result),
                      message + Processes.because(result)));
    }
  }
}
