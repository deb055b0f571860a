package dev.courier.agent.executor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.agent.sdk.CommandContext;
import dev.courier.agent.sdk.CommandExecutor;
import dev.courier.agent.sdk.CommandOutcome;
import dev.courier.protocol.CommandStatus;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code collect} (seed 004's {@code collector} and {@code source_config}): the {@code files}
 * collector gathers the files under {@code source_config.path} (a directory under the {@code
 * --collect-roots}) whose relative path matches {@code source_config.pattern} into one zip in the
 * agent's state directory, and reports each file's size and the zip's path, size and SHA-256.
 *
 * <p>Caps: at most {@code max_files} files (default {@value #DEFAULT_MAX_FILES}, at most {@value
 * #MAX_FILES}) and {@code max_bytes} bytes before compression (default 64 MiB, at most 1 GiB).
 * Matching files are taken in path order while they fit; the rest are listed as skipped and the
 * result says {@code truncated}. Directory links are not followed; a file link is collected only
 * when its target is inside the same allowed roots. The collector's other names in seed 004 ({@code
 * github}, …) are refused: this agent only collects local files.
 */
public final class CollectExecutor implements CommandExecutor {

  public static final String TYPE = "collect";
  public static final String FILES = "files";
  static final int DEFAULT_MAX_FILES = 100;
  static final int MAX_FILES = 1000;
  static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
  static final long MAX_BYTES = 1024L * 1024 * 1024;
  static final int MAX_SKIPPED_LISTED = 100;

  private final AllowedRoots roots;
  private final Path artifactDir;

  /**
   * @param artifactDir where the zips are written (created on first use)
   */
  public CollectExecutor(AllowedRoots roots, Path artifactDir) {
    this.roots = roots;
    this.artifactDir = artifactDir;
  }

  @Override
  public String type() {
    return TYPE;
  }

  private record Request(Path directory, FileGlob glob, int maxFiles, long maxBytes) {}

  private record Candidate(Path source, String name, long size, BasicFileAttributes attributes) {}

  private record Skipped(String name, String reason) {}

  @Override
  public CommandOutcome execute(CommandContext context) throws InterruptedException {
    Request request;
    try {
      request = request(context);
    } catch (InvalidParamException e) {
      return CommandOutcome.failed(e.getMessage());
    }
    List<Candidate> found = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    try {
      walk(context, request, found, skipped);
    } catch (IOException e) {
      return CommandOutcome.failed("cannot list " + request.directory() + ": " + e.getMessage());
    }
    if (context.isCancelled()) {
      return cancelled();
    }
    found.sort(Comparator.comparing(Candidate::name));
    List<ZipArtifact.Entry> chosen = new ArrayList<>();
    long total = 0;
    for (Candidate candidate : found) {
      if (chosen.size() >= request.maxFiles()) {
        skipped.add(new Skipped(candidate.name(), "max_files reached"));
      } else if (total + candidate.size() > request.maxBytes()) {
        skipped.add(new Skipped(candidate.name(), "max_bytes reached"));
      } else {
        chosen.add(
            new ZipArtifact.Entry(
                candidate.source(),
                candidate.name(),
                candidate.size(),
                candidate.attributes().lastModifiedTime()));
        total += candidate.size();
      }
    }
    ObjectNode metadata = Json.object();
    metadata.put("collector", FILES);
    metadata.put("path", request.directory().toString());
    metadata.put("pattern", request.glob().toString());
    Optional<ZipArtifact.Written> artifact = Optional.empty();
    if (!chosen.isEmpty()) {
      Path target = artifactDir.resolve("collect-" + context.commandId().value() + ".zip");
      try {
        artifact = Optional.of(ZipArtifact.write(target, chosen, context::isCancelled));
      } catch (InterruptedException e) {
        if (context.isCancelled()) {
          return cancelled();
        }
        throw e;
      } catch (IOException e) {
        return CommandOutcome.failed("cannot write the artifact " + target + ": " + e.getMessage());
      }
    }
    describe(metadata, artifact, chosen, total, skipped);
    String output =
        chosen.isEmpty()
            ? "no files matched " + request.glob() + " under " + request.directory()
            : String.format(
                Locale.ROOT,
                "collected %d file(s), %d bytes, into %s (sha256 %s)%s",
                chosen.size(),
                total,
                artifact.orElseThrow().path(),
                artifact.orElseThrow().sha256(),
                skipped.isEmpty() ? "" : "; " + skipped.size() + " skipped");
    return CommandOutcome.completed(0, output, metadata);
  }

  private Request request(CommandContext context) throws InvalidParamException {
    Params params = Params.of(context.params());
    String collector = params.requiredString("collector");
    if (!collector.equals(FILES)) {
      throw new InvalidParamException(
          "collector", "'" + collector + "' is not supported by this agent; supported: " + FILES);
    }
    Params config = params.object("source_config");
    Path directory = roots.resolve(config.name("path"), config.requiredString("path")).path();
    if (!Files.isDirectory(directory)) {
      throw new InvalidParamException(config.name("path"), "is not a directory: " + directory);
    }
    FileGlob glob =
        FileGlob.of(config.name("pattern"), config.optionalString("pattern", FileGlob.ANY));
    int maxFiles = config.boundedInt("max_files", DEFAULT_MAX_FILES, 1, MAX_FILES);
    long maxBytes = config.boundedLong("max_bytes", DEFAULT_MAX_BYTES, 1, MAX_BYTES);
    return new Request(directory, glob, maxFiles, maxBytes);
  }

  /** Finds matching files without following directory links; file links only inside the roots. */
  private void walk(
      CommandContext context, Request request, List<Candidate> found, List<Skipped> skipped)
      throws IOException {
    Path base = request.directory();
    Files.walkFileTree(
        base,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
            return context.isCancelled() ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
              throws IOException {
            if (context.isCancelled()) {
              return FileVisitResult.TERMINATE;
            }
            Path relative = base.relativize(file);
            if (!request.glob().matches(relative)) {
              return FileVisitResult.CONTINUE;
            }
            String name = relative.toString().replace(file.getFileSystem().getSeparator(), "/");
            if (attributes.isRegularFile()) {
              found.add(new Candidate(file, name, attributes.size(), attributes));
            } else if (attributes.isSymbolicLink()) {
              followLink(file, name, found, skipped);
            } else if (!attributes.isDirectory()) {
              skipped.add(new Skipped(name, "not a regular file"));
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            skipped.add(new Skipped(base.relativize(file).toString(), "unreadable: " + e));
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private void followLink(Path link, String name, List<Candidate> found, List<Skipped> skipped) {
    Path real;
    try {
      real = link.toRealPath();
    } catch (IOException e) {
      skipped.add(new Skipped(name, "broken symbolic link"));
      return;
    }
    if (roots.rootOf(real).isEmpty()) {
      skipped.add(new Skipped(name, "symbolic link leads out of the allowed roots"));
      return;
    }
    try {
      BasicFileAttributes target =
          Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (target.isRegularFile()) {
        found.add(new Candidate(real, name, target.size(), target));
      } else {
        skipped.add(new Skipped(name, "symbolic link to something other than a file"));
      }
    } catch (IOException e) {
      skipped.add(new Skipped(name, "unreadable: " + e));
    }
  }

  private static void describe(
      ObjectNode metadata,
      Optional<ZipArtifact.Written> artifact,
      List<ZipArtifact.Entry> chosen,
      long total,
      List<Skipped> skipped) {
    if (artifact.isPresent()) {
      ObjectNode node = metadata.putObject("artifact");
      node.put("path", artifact.get().path().toString());
      node.put("format", "zip");
      node.put("size_bytes", artifact.get().sizeBytes());
      node.put("sha256", artifact.get().sha256());
    } else {
      metadata.putNull("artifact");
    }
    metadata.put("files_count", chosen.size());
    metadata.put("total_bytes", total);
    ArrayNode files = metadata.putArray("files");
    for (ZipArtifact.Entry entry : chosen) {
      ObjectNode file = files.addObject();
      file.put("path", entry.name());
      file.put("size_bytes", entry.size());
    }
    metadata.put("truncated", skipped.stream().anyMatch(s -> s.reason().startsWith("max_")));
    metadata.put("skipped_count", skipped.size());
    ArrayNode listed = metadata.putArray("skipped");
    skipped.stream()
        .limit(MAX_SKIPPED_LISTED)
        .forEach(
            s -> {
              ObjectNode node = listed.addObject();
              node.put("path", s.name());
              node.put("reason", s.reason());
            });
  }

  private static CommandOutcome cancelled() {
    return new CommandOutcome(CommandStatus.CANCELLED, null, null, "cancelled", null, null);
  }
}
