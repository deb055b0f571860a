package dev.courier.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HugePagesTest {

  @Test
  void huge_pages_are_asked_for_only_where_the_kernel_gives_them_on_request() {
    assertThat(HugePages.onRequest("always [madvise] never\n")).isTrue();
    assertThat(HugePages.onRequest("[always] madvise never\n")).isFalse();
    assertThat(HugePages.onRequest("always madvise [never]\n")).isFalse();
  }

  @Test
  void mallocs_tunable_is_added_to_those_already_set() {
    assertThat(HugePages.tunables(null)).isEqualTo("glibc.malloc.hugetlb=1");
    assertThat(HugePages.tunables("")).isEqualTo("glibc.malloc.hugetlb=1");
    assertThat(HugePages.tunables("glibc.malloc.arena_max=2"))
        .isEqualTo("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1");
  }

  @Test
  void a_choice_of_mallocs_huge_pages_already_made_stands() {
    assertThat(HugePages.tunables("glibc.malloc.hugetlb=0")).isEqualTo("glibc.malloc.hugetlb=0");
    assertThat(HugePages.tunables("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2"))
        .isEqualTo("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2");
  }
}
