package dev.courier.agent.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllowedRootsTest {

  @TempDir Path temp;
  private Path root;
  private Path outside;
  private AllowedRoots roots;

  @BeforeEach
  void layout() throws Exception {
    root = Files.createDirectories(temp.resolve("root"));
    outside = Files.createDirectories(temp.resolve("outside"));
    Files.createDirectories(root.resolve("app/logs"));
    Files.writeString(outside.resolve("secret.txt"), "s");
    roots = AllowedRoots.of("--test-roots", List.of(root));
  }

  @Test
  void a_path_under_a_root_resolves_to_its_real_path() throws Exception {
    AllowedRoots.Resolved resolved = roots.resolve("path", root.resolve("app/logs").toString());

    assertThat(resolved.path()).isEqualTo(root.resolve("app/logs").toRealPath());
    assertThat(resolved.root()).isEqualTo(root.toRealPath());
  }

  @Test
  void the_root_itself_is_allowed() throws Exception {
    assertThat(roots.resolve("path", root.toString()).path()).isEqualTo(root.toRealPath());
  }

  @Test
  void an_absolute_path_outside_every_root_is_refused_naming_the_field_and_the_setting() {
    assertThatThrownBy(() -> roots.resolve("target", outside.toString()))
        .isInstanceOf(InvalidParamException.class)
        .hasMessageStartingWith("params.target is refused")
        .hasMessageContaining("outside the allowed roots")
        .hasMessageContaining("--test-roots");
  }

  @Test
  void a_sibling_whose_name_starts_like_the_root_is_outside_it() throws Exception {
    Path sibling = Files.createDirectories(temp.resolve("root-other"));

    assertThatThrownBy(() -> roots.resolve("path", sibling.toString()))
        .hasMessageContaining("outside the allowed roots");
  }

  @Test
  void dot_dot_is_refused_even_when_it_would_land_inside_the_root() {
    assertThatThrownBy(() -> roots.resolve("path", root + "/app/../app/logs"))
        .isInstanceOf(InvalidParamException.class)
        .hasMessageContaining("must not contain '..'");
    assertThatThrownBy(() -> roots.resolve("path", root + "/../outside/secret.txt"))
        .hasMessageContaining("must not contain '..'");
  }

  @Test
  void a_relative_path_is_refused() {
    assertThatThrownBy(() -> roots.resolve("path", "app/logs"))
        .hasMessageContaining("must be an absolute path");
    assertThatThrownBy(() -> roots.resolve("path", "../outside"))
        .hasMessageContaining("must be an absolute path");
  }

  @Test
  void a_symbolic_link_inside_the_root_pointing_out_of_it_is_refused() throws Exception {
    Path link = Files.createSymbolicLink(root.resolve("escape"), outside);

    assertThatThrownBy(() -> roots.resolve("path", link.toString()))
        .isInstanceOf(InvalidParamException.class)
        .hasMessageContaining("leads out of the allowed roots through a symbolic link");
    assertThatThrownBy(() -> roots.resolve("path", link.resolve("secret.txt").toString()))
        .hasMessageContaining("symbolic link");
  }

  @Test
  void a_symbolic_link_that_stays_inside_the_root_is_followed() throws Exception {
    Path link = Files.createSymbolicLink(root.resolve("current"), root.resolve("app"));

    assertThat(roots.resolve("path", link.resolve("logs").toString()).path())
        .isEqualTo(root.resolve("app/logs").toRealPath());
  }

  @Test
  void a_root_that_is_itself_a_symbolic_link_allows_paths_written_either_way() throws Exception {
    Path linkedRoot = Files.createSymbolicLink(temp.resolve("linked-root"), root);
    AllowedRoots viaLink = AllowedRoots.of("--test-roots", List.of(linkedRoot));

    assertThat(viaLink.resolve("path", linkedRoot.resolve("app").toString()).path())
        .isEqualTo(root.resolve("app").toRealPath());
    assertThat(viaLink.resolve("path", root.resolve("app").toString()).path())
        .isEqualTo(root.resolve("app").toRealPath());
  }

  @Test
  void a_missing_path_under_a_root_is_reported_missing_but_outside_ones_are_never_probed() {
    assertThatThrownBy(() -> roots.resolve("path", root.resolve("nope").toString()))
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> roots.resolve("path", outside.resolve("nope").toString()))
        .hasMessageContaining("outside the allowed roots");
  }

  @Test
  void no_roots_refuses_everything_naming_the_setting() {
    AllowedRoots none = AllowedRoots.none("--git-roots");

    assertThat(none.isEmpty()).isTrue();
    assertThatThrownBy(() -> none.resolve("repository_path", root.toString()))
        .hasMessage(
            "params.repository_path is refused: this agent allows no paths here"
                + " (configure --git-roots)");
  }

  @Test
  void a_relative_root_is_a_configuration_error() {
    assertThatThrownBy(() -> AllowedRoots.of("--git-roots", List.of(Path.of("repos"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--git-roots needs absolute paths");
  }
}
