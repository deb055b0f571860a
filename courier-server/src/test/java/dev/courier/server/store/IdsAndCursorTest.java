package dev.courier.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.server.common.Cursor;
import dev.courier.server.common.Ids;
import dev.courier.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The id and cursor formats the store's indexes and pagination rely on. */
class IdsAndCursorTest {

  @Test
  void ids_are_version_7_uuids_that_sort_by_creation_time() {
    MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    String earlier = Ids.newId(clock);
    clock.advance(Duration.ofMillis(1));
    String later = Ids.newId(clock);

    UUID parsed = UUID.fromString(earlier);
    assertThat(parsed.version()).isEqualTo(7);
    assertThat(parsed.variant()).isEqualTo(2);
    assertThat(parsed.getMostSignificantBits() >>> 16).isEqualTo(clock.millis() - 1);
    assertThat(earlier).isLessThan(later);
  }

  @Test
  void a_cursor_survives_encoding_and_rejects_tampered_text() {
    Cursor cursor = new Cursor(Instant.parse("2026-03-08T06:58:00.123Z"), Ids.newId());

    assertThat(Cursor.decode(cursor.encode())).isEqualTo(cursor);
    assertThatThrownBy(() -> Cursor.decode("not a cursor"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
