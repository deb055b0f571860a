package dev.courier.server.fleet;

import dev.courier.server.common.Page;
import dev.courier.server.common.PageRequest;
import dev.courier.server.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Schedules and their due times. */
public interface ScheduleRepository {

  void insert(Schedule schedule);

  /** Replaces the editable fields and the next due time. */
  void update(Schedule schedule);

  Optional<Schedule> find(String id);

  Optional<Schedule> find(TenantId tenantId, String id);

  Page<Schedule> list(TenantId tenantId, String type, PageRequest page);

  /**
   * Up to {@code limit} enabled schedules due by {@code now}, locked until the transaction ends; on
   * PostgreSQL another node's claim skips them rather than waiting, so each due time is taken once.
   */
  List<Schedule> claimDue(Instant now, int limit);

  /** Records a due time handled: when it last ran (unchanged if null), the next, and any error. */
  void advance(String id, Instant lastRunAt, Instant nextRunAt, String lastError, Instant now);

  boolean delete(TenantId tenantId, String id);
}
