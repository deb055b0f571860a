package dev.courier.agent.upgrade;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.agent.config.AtomicFiles;
import dev.courier.agent.config.UpgradeOrigins;
import dev.courier.agent.executor.RestartRequests;
import dev.courier.agent.sdk.CommandContext;
import dev.courier.agent.sdk.CommandExecutor;
import dev.courier.agent.sdk.CommandOutcome;
import dev.courier.agent.sdk.ResultAfterRestart;
import dev.courier.protocol.ProtocolJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;

/**
 * {@code upgrade} (seed 004): downloads another agent jar, checks it and swaps it in, then restarts
 * into it. The command's result is reported by the next run: {@code completed} by the new version
 * once it reached the server, {@code failed} by the old one after the launcher rolled back.
 *
 * <p>Trust: {@code download_url}, {@code sha256} and {@code target_version} are command params,
 * which the server signs in the command envelope (Ed25519) and the SDK verifies before any executor
 * runs; so the digest comes from the server, and the download itself may come from anywhere the
 * agent is allowed to fetch: the server's origin or an {@code upgrade_origins} entry, over the
 * network only once, at most {@link #DEFAULT_MAX_BYTES} and within the download timeout.
 *
 * <p>Steps: refuse unless started by {@code courier-agent-launch} (which performs the rollback);
 * download to {@code <jar>.download} while hashing; refuse on a digest mismatch, a jar without a
 * {@code Main-Class} or whose version is not {@code target_version}; hard-link the current jar to
 * {@code <jar>.previous}; rename the download over the jar (one atomic step); write {@code
 * <state>/upgrade/pending}; ask for a restart.
 */
public final class UpgradeExecutor implements CommandExecutor {

  public static final String TYPE = "upgrade";

  /** The largest package downloaded. */
  public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;

  /** The longest a download may take (the command's own deadline may cut it shorter). */
  public static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(5);

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z.+-]{1,64}");
  private static final String VERSION_ENTRY = "dev/courier/agent/version.properties";

  /** Where the launcher says the agent runs from. */
  public record Installation(Path jar, Path launcherStateDir) {}

  private final String currentVersion;
  private final Optional<Installation> installation;
  private final Path stateDir;
  private final UpgradeOrigins origins;
  private final RestartRequests restarts;
  private final Duration restartGrace;
  private final long maxBytes;

  public UpgradeExecutor(
      String currentVersion,
      Optional<Installation> installation,
      Path stateDir,
      UpgradeOrigins origins,
      RestartRequests restarts,
      Duration restartGrace,
      long maxBytes) {
    this.currentVersion = currentVersion;
    this.installation = installation;
    this.stateDir = stateDir;
    this.origins = origins;
    this.restarts = restarts;
    this.restartGrace = restartGrace;
    this.maxBytes = maxBytes;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public CommandOutcome execute(CommandContext context) throws Exception {
    ObjectNode params = context.params();
    String url = params.path("download_url").asText("");
    String sha256 = params.path("sha256").asText("");
    String version = params.path("target_version").asText("");
    if (!SHA256.matcher(sha256).matches()) {
      return CommandOutcome.failed("sha256 is required: 64 lowercase hex digits");
    }
    if (!VERSION.matcher(version).matches()) {
      return CommandOutcome.failed("target_version is required (letters, digits, . + -)");
    }
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return CommandOutcome.failed("download_url is not a URL: " + url);
    }
    if (!origins.allows(uri)) {
      return CommandOutcome.failed(
          "download_url "
              + url
              + " is not on the agent's server or an allowed origin (upgrade_origins: "
              + origins.origins()
              + ")");
    }
    if (installation.isEmpty()) {
      return CommandOutcome.failed(
          "upgrade needs the agent started by courier-agent-launch (deploy/), which rolls a failed"
              + " upgrade back; this agent was started another way");
    }
    Installation install = installation.get();
    if (!install.launcherStateDir().toAbsolutePath().normalize().equals(stateDir)) {
      return CommandOutcome.failed(
          "the launcher's state directory "
              + install.launcherStateDir()
              + " is not the agent's "
              + stateDir
              + "; set COURIER_AGENT_STATE_DIR for both");
    }
    if (version.equals(currentVersion)) {
      ObjectNode metadata = ProtocolJson.mapper().createObjectNode();
      metadata.put("version", currentVersion);
      metadata.put("upgraded", false);
      return CommandOutcome.completed(0, "already at version " + version, metadata);
    }
    UpgradeState state = new UpgradeState(stateDir);
    if (state.pending().isPresent()) {
      return CommandOutcome.failed("another upgrade is in progress (" + state.dir() + ")");
    }
    Path jar = install.jar();
    Path download = jar.resolveSibling(jar.getFileName() + ".download");
    try {
      String actual = download(uri, download, context.deadline());
      if (!actual.equals(sha256)) {
        return CommandOutcome.failed(
            "sha256 mismatch: the command says "
                + sha256
                + ", the download is "
                + actual
                + "; nothing was installed");
      }
      String problem = inspect(download, version);
      if (problem != null) {
        return CommandOutcome.failed(problem + "; nothing was installed");
      }
      swap(jar, download);
    } finally {
      Files.deleteIfExists(download);
    }
    state.begin(new UpgradeState.Pending(context.commandId().value(), currentVersion, version));
    restarts.request("upgrade to " + version, restartGrace);
    throw new ResultAfterRestart(
        "installed version " + version + " over " + currentVersion + "; restarting into it");
  }

  private String download(URI uri, Path target, Instant deadline)
      throws IOException, InterruptedException {
    Duration left = Duration.between(Instant.now(), deadline);
    Duration timeout = left.compareTo(DOWNLOAD_TIMEOUT) < 0 ? left : DOWNLOAD_TIMEOUT;
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IOException("no time left for the download");
    }
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    // A client per download, shut down after it: upgrades are rare, and a client kept for them
    // would hold a selector thread in the idle agent all along.
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    try {
      HttpResponse<InputStream> response =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          throw new IOException("download answered HTTP " + response.statusCode());
        }
        return copyHashed(body, target, deadline);
      }
    } finally {
      http.shutdownNow();
    }
  }

  /** Copies the body to {@code target}, within the size cap and the deadline; its SHA-256. */
  private String copyHashed(InputStream body, Path target, Instant deadline) throws IOException {
    MessageDigest digest = sha256();
    long total = 0;
    Files.deleteIfExists(target);
    try (OutputStream out = Files.newOutputStream(target)) {
      byte[] buffer = new byte[64 * 1024];
      int read;
      while ((read = body.read(buffer)) != -1) {
        total += read;
        if (total > maxBytes) {
          throw new IOException("the download is larger than " + maxBytes + " bytes");
        }
        if (Instant.now().isAfter(deadline)) {
          throw new IOException("the download did not finish before the command's deadline");
        }
        digest.update(buffer, 0, read);
        out.write(buffer, 0, read);
      }
    }
    AtomicFiles.sync(target);
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Null when {@code jar} is an agent jar of {@code version}, else what is wrong with it. */
  static String inspect(Path jar, String version) {
    try (JarFile file = new JarFile(jar.toFile())) {
      if (file.getManifest() == null
          || file.getManifest().getMainAttributes().getValue("Main-Class") == null) {
        return "the package is not a runnable jar (no Main-Class)";
      }
      ZipEntry entry = file.getEntry(VERSION_ENTRY);
      if (entry == null) {
        return "the package is not a Courier agent jar (no " + VERSION_ENTRY + ")";
      }
      Properties properties = new Properties();
      try (InputStream in = file.getInputStream(entry)) {
        properties.load(in);
      }
      String found = properties.getProperty("version", "").trim();
      if (!found.equals(version)) {
        return "the package is version '" + found + "', not target_version " + version;
      }
      return null;
    } catch (IOException e) {
      return "the package is not a jar: " + e.getMessage();
    }
  }

  /** Keeps the current jar as {@code <jar>.previous}, then renames the new one over it. */
  private static void swap(Path jar, Path download) throws IOException {
    Path previous = jar.resolveSibling(jar.getFileName() + ".previous");
    Files.deleteIfExists(previous);
    try {
      Files.createLink(previous, jar);
    } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
      Files.copy(jar, previous, StandardCopyOption.REPLACE_EXISTING);
    }
    AtomicFiles.rename(download, jar);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
