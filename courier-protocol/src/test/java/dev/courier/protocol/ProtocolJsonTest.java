package dev.courier.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.RecyclerPool;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ProtocolJsonTest {

  @Test
  void a_virtual_thread_reuses_the_buffers_another_virtual_thread_gave_back() throws Exception {
    RecyclerPool<BufferRecycler> pool = ProtocolJson.mapper().getFactory()._getRecyclerPool();
    AtomicReference<BufferRecycler> first = new AtomicReference<>();
    AtomicReference<BufferRecycler> second = new AtomicReference<>();

    Thread.ofVirtual()
        .start(
            () -> {
              BufferRecycler recycler = pool.acquireAndLinkPooled();
              first.set(recycler);
              recycler.releaseToPool();
            })
        .join();
    Thread.ofVirtual().start(() -> second.set(pool.acquireAndLinkPooled())).join();

    assertThat(second.get()).isSameAs(first.get());
  }

  @Test
  void the_plain_mapper_shares_the_wire_mappers_buffer_pool() {
    assertThat(ProtocolJson.plainMapper().getFactory()._getRecyclerPool())
        .isSameAs(ProtocolJson.mapper().getFactory()._getRecyclerPool());
  }
}
