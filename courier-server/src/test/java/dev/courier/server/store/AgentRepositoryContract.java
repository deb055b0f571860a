package dev.courier.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.protocol.AgentId;
import dev.courier.server.agent.Agent;
import dev.courier.server.agent.AgentQuery;
import dev.courier.server.agent.AgentStatus;
import dev.courier.server.agent.Heartbeat;
import dev.courier.server.common.Ids;
import dev.courier.server.common.Page;
import dev.courier.server.common.PageRequest;
import dev.courier.server.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

abstract class AgentRepositoryContract extends StoreContract {
  TenantId tenant;

  @BeforeEach
  void newTenant() {
    tenant = fixtures.tenant();
  }

  @Test
  void an_enrolled_agent_round_trips_and_is_found_only_in_its_tenant() {
    Agent agent = fixtures.agent(tenant, AgentId.of(Ids.newId()), "hash-" + tenant.value());

    repos.agents().create(agent);

    assertThat(repos.agents().find(tenant, agent.id())).contains(agent);
    assertThat(repos.agents().find(agent.id())).contains(agent);
    assertThat(repos.agents().find(fixtures.tenant(), agent.id())).isEmpty();
  }

  @Test
  void find_by_key_hash_accepts_the_previous_key_until_it_expires() {
    Agent base = fixtures.agent(tenant, AgentId.of(Ids.newId()), "new-" + tenant.value());
    Agent rotating =
        new Agent(
            base.id(),
            tenant,
            base.hostname(),
            base.os(),
            base.arch(),
            base.version(),
            base.labels(),
            base.capabilities(),
            base.status(),
            null,
            base.keyHash(),
            "old-" + tenant.value(),
            START.plusSeconds(60),
            null,
            null,
            0,
            0,
            START,
            null,
            null,
            null);
    repos.agents().create(rotating);

    assertThat(repos.agents().findByKeyHash("new-" + tenant.value(), START)).isPresent();
    assertThat(repos.agents().findByKeyHash("old-" + tenant.value(), START.plusSeconds(59)))
        .map(Agent::id)
        .contains(base.id());
    assertThat(repos.agents().findByKeyHash("old-" + tenant.value(), START.plusSeconds(61)))
        .isEmpty();
    assertThat(repos.agents().findByKeyHash("unknown", START)).isEmpty();
  }

  @Test
  void the_first_heartbeat_brings_an_agent_online_and_records_what_it_reported() {
    AgentId agent = fixtures.agent(tenant);

    boolean cameOnline =
        repos
            .agents()
            .recordHeartbeat(
                new Heartbeat(agent, START.plusSeconds(1), "1.2.0", List.of("echo", "scan")));
    boolean cameOnlineAgain =
        repos.agents().recordHeartbeat(Heartbeat.at(agent, START.plusSeconds(31)));

    assertThat(cameOnline).isTrue();
    assertThat(cameOnlineAgain).isFalse();
    Agent stored = repos.agents().find(agent).orElseThrow();
    assertThat(stored.status()).isEqualTo(AgentStatus.ONLINE);
    assertThat(stored.lastHeartbeatAt()).isEqualTo(START.plusSeconds(31));
    assertThat(stored.version()).isEqualTo("1.2.0");
    assertThat(stored.capabilities()).containsExactly("echo", "scan");
  }

  @Test
  void agents_silent_since_the_cutoff_go_offline_and_are_reported() {
    AgentId silent = fixtures.agent(tenant);
    AgentId chatty = fixtures.agent(tenant);
    repos.agents().recordHeartbeat(Heartbeat.at(silent, START));
    repos.agents().recordHeartbeat(Heartbeat.at(chatty, START.plusSeconds(80)));

    List<AgentId> wentOffline =
        repos.agents().markOfflineSince(START.plusSeconds(30), START.plusSeconds(90));

    assertThat(wentOffline).contains(silent).doesNotContain(chatty);
    assertThat(repos.agents().find(silent).orElseThrow().status()).isEqualTo(AgentStatus.OFFLINE);
    assertThat(repos.agents().find(chatty).orElseThrow().status()).isEqualTo(AgentStatus.ONLINE);
  }

  @Test
  void labels_are_replaced_only_within_the_agents_tenant() {
    AgentId agent = fixtures.agent(tenant);

    boolean foreign =
        repos.agents().updateLabels(fixtures.tenant(), agent, Map.of("x", "y"), START);
    boolean own =
        repos.agents().updateLabels(tenant, agent, Map.of("os", "linux", "env", "prod"), START);

    assertThat(foreign).isFalse();
    assertThat(own).isTrue();
    assertThat(repos.agents().find(agent).orElseThrow().labels())
        .isEqualTo(Map.of("os", "linux", "env", "prod"));
  }

  @Test
  void list_filters_by_status_and_pages_through_every_agent_once() {
    List<AgentId> created = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      clock.advance(Duration.ofMillis(i % 2)); // ties on enrolled_at are broken by id
      created.add(fixtures.agent(tenant));
    }
    repos.agents().recordHeartbeat(Heartbeat.at(created.getFirst(), clock.instant()));

    List<AgentId> seen = new ArrayList<>();
    String cursor = null;
    do {
      Page<Agent> page =
          repos.agents().list(AgentQuery.inTenant(tenant), new PageRequest(cursor, 3));
      page.items().forEach(a -> seen.add(a.id()));
      cursor = page.nextCursor().orElse(null);
    } while (cursor != null);

    assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(created);
    assertThat(
            repos
                .agents()
                .list(new AgentQuery(tenant, AgentStatus.ONLINE), PageRequest.first(10))
                .items())
        .extracting(Agent::id)
        .containsExactly(created.getFirst());
  }

  @Test
  void rotating_a_key_keeps_the_old_one_for_its_grace_and_only_one_of_two_rotations_wins() {
    AgentId agent = AgentId.of(Ids.newId());
    repos.agents().create(fixtures.agent(tenant, agent, "k1-" + agent.value()));
    Instant graceEnd = START.plusSeconds(3600);

    boolean first =
        repos
            .agents()
            .rotateKey(
                agent,
                "k1-" + agent.value(),
                "k2-" + agent.value(),
                "k1-" + agent.value(),
                graceEnd,
                START);
    boolean raced =
        repos
            .agents()
            .rotateKey(
                agent,
                "k1-" + agent.value(),
                "k3-" + agent.value(),
                "k1-" + agent.value(),
                graceEnd,
                START);

    assertThat(first).isTrue();
    assertThat(raced).as("the expected current key is no longer current").isFalse();
    Agent stored = repos.agents().find(agent).orElseThrow();
    assertThat(stored.keyHash()).isEqualTo("k2-" + agent.value());
    assertThat(stored.previousKeyHash()).isEqualTo("k1-" + agent.value());
    assertThat(stored.previousKeyExpiresAt()).isEqualTo(graceEnd);
    assertThat(repos.agents().findByKeyHash("k1-" + agent.value(), graceEnd.minusMillis(1)))
        .isPresent();
    assertThat(repos.agents().findByKeyHash("k1-" + agent.value(), graceEnd)).isEmpty();
  }

  @Test
  void a_revoked_agent_drops_its_previous_key_and_can_no_longer_rotate() {
    AgentId agent = AgentId.of(Ids.newId());
    repos.agents().create(fixtures.agent(tenant, agent, "k1-" + agent.value()));
    repos
        .agents()
        .rotateKey(
            agent,
            "k1-" + agent.value(),
            "k2-" + agent.value(),
            "k1-" + agent.value(),
            START.plusSeconds(60),
            START);

    assertThat(repos.agents().revoke(agent, START.plusSeconds(1))).isTrue();
    assertThat(repos.agents().revoke(agent, START.plusSeconds(2))).as("already revoked").isFalse();

    Agent stored = repos.agents().find(agent).orElseThrow();
    assertThat(stored.revokedAt()).isEqualTo(START.plusSeconds(1));
    assertThat(stored.previousKeyHash()).isNull();
    assertThat(stored.previousKeyExpiresAt()).isNull();
    assertThat(
            repos
                .agents()
                .rotateKey(
                    agent,
                    "k2-" + agent.value(),
                    "k3-" + agent.value(),
                    "k2-" + agent.value(),
                    START.plusSeconds(60),
                    START.plusSeconds(3)))
        .isFalse();
  }

  @Test
  void a_decommissioned_agent_is_revoked_offline_and_listed_only_on_request() {
    AgentId kept = fixtures.agent(tenant);
    AgentId retired = fixtures.agent(tenant);
    repos.agents().recordHeartbeat(Heartbeat.at(retired, START));

    assertThat(repos.agents().decommission(retired, START.plusSeconds(5))).isTrue();
    assertThat(repos.agents().decommission(retired, START.plusSeconds(6))).isFalse();

    Agent stored = repos.agents().find(retired).orElseThrow();
    assertThat(stored.decommissionedAt()).isEqualTo(START.plusSeconds(5));
    assertThat(stored.revokedAt()).isEqualTo(START.plusSeconds(5));
    assertThat(stored.status()).isEqualTo(AgentStatus.OFFLINE);
    assertThat(repos.agents().list(AgentQuery.inTenant(tenant), PageRequest.first(10)).items())
        .extracting(Agent::id)
        .containsExactly(kept);
    assertThat(
            repos
                .agents()
                .list(AgentQuery.decommissionedOnly().withTenant(tenant), PageRequest.first(10))
                .items())
        .extracting(Agent::id)
        .containsExactly(retired);
  }
}
