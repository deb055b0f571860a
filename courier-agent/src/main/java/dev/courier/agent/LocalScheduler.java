package dev.courier.agent;

import dev.courier.agent.config.AtomicFiles;
import dev.courier.agent.config.LocalSchedule;
import dev.courier.agent.sdk.LocalRunner;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.ProtocolJson;
import dev.courier.protocol.frame.AgentFrame.CommandResult;
import dev.courier.protocol.http.LocalRunReport;
import dev.courier.protocol.http.ResultReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the config file's local schedules (standalone and hybrid mode, seed 004) through the same
 * executors as server commands, via the SDK's {@link LocalRunner}. A schedule whose previous run is
 * still going skips its turn. Each run is kept, fsynced, as {@code
 * <state-dir>/local-results/<schedule>/<time>-<id>.json} (the newest {@link #KEEP} per schedule),
 * in the shape of the server's local-run report, and queued for upload when a server is configured.
 */
final class LocalScheduler implements AutoCloseable {

  static final int KEEP = 50;
  private static final Logger LOG = LoggerFactory.getLogger(LocalScheduler.class);

  private final List<LocalSchedule> schedules;
  private final LocalRunner runner;
  private final Path resultsDir;
  private final Clock clock;
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private final LocalRunUploads uploads;
  private volatile boolean stopped;
  private Thread loop;

  /**
   * @param uploads where runs wait for the server, or null when no server is configured
   */
  LocalScheduler(
      List<LocalSchedule> schedules,
      LocalRunner runner,
      Path stateDir,
      Clock clock,
      LocalRunUploads uploads) {
    this.uploads = uploads;
    this.schedules = List.copyOf(schedules);
    this.runner = runner;
    this.resultsDir = stateDir.resolve("local-results");
    this.clock = clock;
  }

  void start() {
    loop = Thread.ofPlatform().daemon(true).name("courier-local-schedules").start(this::run);
    LOG.info(
        "local schedules: {}",
        schedules.stream().map(s -> s.name() + " '" + s.cron() + "' " + s.type()).toList());
  }

  private void run() {
    Map<String, ZonedDateTime> next = new HashMap<>();
    ZonedDateTime now = ZonedDateTime.now(clock);
    for (LocalSchedule schedule : schedules) {
      schedule.nextAfter(now).ifPresent(at -> next.put(schedule.name(), at));
    }
    while (!stopped) {
      Optional<ZonedDateTime> soonest = next.values().stream().min(Comparator.naturalOrder());
      if (soonest.isEmpty()) {
        return;
      }
      long waitMs = Duration.between(ZonedDateTime.now(clock), soonest.get()).toMillis();
      if (waitMs > 0) {
        try {
          Thread.sleep(Math.min(waitMs, 60_000));
        } catch (InterruptedException e) {
          return;
        }
        continue;
      }
      ZonedDateTime at = soonest.get();
      for (LocalSchedule schedule : schedules) {
        ZonedDateTime due = next.get(schedule.name());
        if (due != null && !due.isAfter(at)) {
          fire(schedule);
          schedule
              .nextAfter(at)
              .ifPresentOrElse(
                  t -> next.put(schedule.name(), t), () -> next.remove(schedule.name()));
        }
      }
    }
  }

  private void fire(LocalSchedule schedule) {
    if (!running.add(schedule.name())) {
      LOG.warn(
          "local schedule {}: the previous run is still going; skipping this one", schedule.name());
      return;
    }
    Thread.ofVirtual()
        .name("courier-local-" + schedule.name())
        .start(
            () -> {
              try {
                runOnce(schedule);
              } catch (RuntimeException e) {
                LOG.error("local schedule {} failed to run: {}", schedule.name(), e.toString());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                running.remove(schedule.name());
              }
            });
  }

  /** Runs {@code schedule} once now and stores its result; returns where. */
  Path runOnce(LocalSchedule schedule) throws InterruptedException {
    CommandId id = LocalRunner.localId(schedule.name());
    LOG.info("local schedule {}: running {} as {}", schedule.name(), schedule.type(), id);
    java.time.Instant startedAt = clock.instant();
    CommandResult result = runner.run(id, schedule.type(), schedule.params(), schedule.timeout());
    LocalRunReport report =
        new LocalRunReport(
            id.value(),
            schedule.name(),
            schedule.type(),
            schedule.params(),
            startedAt,
            ResultReport.from(result));
    LOG.info(
        "local schedule {}: {} ended {}{}",
        schedule.name(),
        id,
        result.status().wireName(),
        result.error() == null ? "" : ": " + result.error());
    Path dir = resultsDir.resolve(schedule.name());
    Path file =
        dir.resolve(result.completedAt().toString().replace(':', '-') + "-" + id.value() + ".json");
    try {
      AtomicFiles.write(file, ProtocolJson.mapper().writeValueAsBytes(report));
      prune(dir);
      if (uploads != null) {
        uploads.enqueue(report);
      }
    } catch (IOException e) {
      LOG.error(
          "local schedule {}: cannot store the result of {}: {}",
          schedule.name(),
          id,
          e.toString());
    }
    return file;
  }

  private static void prune(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files =
          list.filter(f -> f.getFileName().toString().endsWith(".json"))
              .filter(f -> !f.getFileName().toString().startsWith("."))
              .sorted()
              .toList();
    }
    for (int i = 0; i < files.size() - KEEP; i++) {
      Files.deleteIfExists(files.get(i));
    }
  }

  int scheduleCount() {
    return schedules.size();
  }

  @Override
  public void close() {
    stopped = true;
    if (loop != null) {
      loop.interrupt();
    }
    runner.close();
  }
}
