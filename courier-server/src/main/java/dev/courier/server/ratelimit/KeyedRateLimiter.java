package dev.courier.server.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Bucket4j token bucket per key (a tenant, a username, an address), held in memory on this node
 * only: several nodes behind a load balancer each keep their own buckets.
 *
 * <p>The number of keys is bounded, so random usernames or addresses cannot grow the heap. When the
 * map is full, buckets that have refilled completely are dropped first: a full bucket is the same
 * as a new one, so this loses nothing. Only if that frees too little are the least recently used
 * buckets dropped too (logged, since their debt is forgotten); a tenth of the room is freed at once
 * so the scan is not repeated on every new key.
 */
public final class KeyedRateLimiter {

  private static final Logger log = LoggerFactory.getLogger(KeyedRateLimiter.class);

  private final String name;
  private final RateLimit limit;
  private final int maxKeys;
  private final TimeMeter time;

  /**
   * Access-ordered, so iteration starts at the least recently used key. Guarded by {@code this}.
   */
  private final LinkedHashMap<String, Bucket> buckets = new LinkedHashMap<>(64, 0.75f, true);

  /**
   * @param name what is limited, for log lines (for example {@code "login failures per user"})
   * @param maxKeys the most keys kept at once, at least 1
   */
  public KeyedRateLimiter(String name, RateLimit limit, int maxKeys, Clock clock) {
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be at least 1: " + maxKeys);
    }
    this.name = Objects.requireNonNull(name, "name");
    this.limit = Objects.requireNonNull(limit, "limit");
    this.maxKeys = maxKeys;
    this.time = new ClockTimeMeter(clock);
  }

  public RateLimit limit() {
    return limit;
  }

  /** Takes one permit from the key's bucket, or says how long until one is back. */
  public Decision tryAcquire(String key) {
    Objects.requireNonNull(key, "key");
    if (!limit.enabled()) {
      return Decision.GRANTED;
    }
    ConsumptionProbe probe = bucketFor(key).tryConsumeAndReturnRemaining(1);
    return probe.isConsumed()
        ? Decision.GRANTED
        : Decision.refusedFor(probe.getNanosToWaitForRefill());
  }

  /**
   * Gives back a permit taken by {@link #tryAcquire}, for work that turned out not to count (never
   * more than the burst).
   */
  public void release(String key) {
    if (!limit.enabled()) {
      return;
    }
    Bucket bucket;
    synchronized (this) {
      bucket = buckets.get(key);
    }
    if (bucket != null) {
      bucket.addTokens(1);
    }
  }

  /** How many keys have a bucket now; for tests and metrics. */
  public synchronized int trackedKeys() {
    return buckets.size();
  }

  // Bucket operations run outside this lock; Bucket4j's local buckets are thread-safe.
  private synchronized Bucket bucketFor(String key) {
    Bucket bucket = buckets.get(key);
    if (bucket == null) {
      if (buckets.size() >= maxKeys) {
        makeRoom();
      }
      bucket = newBucket();
      buckets.put(key, bucket);
    }
    return bucket;
  }

  private void makeRoom() {
    int target = maxKeys - Math.max(1, maxKeys / 10);
    buckets.values().removeIf(bucket -> bucket.getAvailableTokens() >= limit.burst());
    int forgotten = 0;
    Iterator<Map.Entry<String, Bucket>> oldestFirst = buckets.entrySet().iterator();
    while (buckets.size() > target && oldestFirst.hasNext()) {
      oldestFirst.next();
      oldestFirst.remove();
      forgotten++;
    }
    if (forgotten > 0) {
      log.warn(
          "Rate limit '{}' tracks {} keys at most; forgot the {} least recently used ones that were"
              + " still limited",
          name,
          maxKeys,
          forgotten);
    }
  }

  private Bucket newBucket() {
    return Bucket.builder()
        .addLimit(
            bandwidth ->
                bandwidth.capacity(limit.burst()).refillGreedy(limit.permits(), limit.period()))
        .withCustomTimePrecision(time)
        .build();
  }
}
