package dev.courier.server.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.server.error.InvalidInputException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommandTypeCatalogTest {

  private final ObjectMapper json = new ObjectMapper();
  private final CommandTypeCatalog catalog = CommandTypeCatalog.builtins(json);

  private JsonNode params(String text) throws Exception {
    return json.readTree(text);
  }

  @Test
  void the_builtins_of_the_design_are_all_there() {
    assertThat(catalog.all())
        .extracting(CommandType::name)
        .containsExactlyInAnyOrder(
            "echo",
            "health_check",
            "collect_inventory",
            "collect_telemetry",
            "git_pull",
            "docker_restart",
            "scan",
            "collect",
            "config_update",
            "restart",
            "upgrade",
            "cancel");
  }

  @Test
  void seed_003_timeouts_are_the_defaults_for_git_pull_and_docker_restart() {
    assertThat(catalog.require("git_pull", "type").defaultTimeout())
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(catalog.require("docker_restart", "type").defaultTimeout())
        .isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void an_unknown_type_is_refused_naming_the_field() {
    assertThatThrownBy(() -> catalog.require("rm_rf", "command_type"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("unknown command type 'rm_rf'")
        .extracting(e -> ((InvalidInputException) e).field().orElseThrow())
        .isEqualTo("command_type");
  }

  @Test
  void valid_params_pass() throws Exception {
    catalog.validateParams(
        catalog.require("git_pull", "type"),
        params("{\"repository_path\": \"/srv/app\", \"branch\": \"main\"}"));
  }

  @Test
  void a_missing_required_parameter_is_named() throws Exception {
    assertThatThrownBy(
            () -> catalog.validateParams(catalog.require("git_pull", "type"), params("{}")))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).field().orElseThrow())
        .isEqualTo("params.repository_path");
  }

  @Test
  void a_parameter_breaking_its_pattern_is_named() throws Exception {
    assertThatThrownBy(
            () ->
                catalog.validateParams(
                    catalog.require("git_pull", "type"),
                    params("{\"repository_path\": \"/srv\", \"branch\": \"main; rm -rf /\"}")))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).field().orElseThrow())
        .isEqualTo("params.branch");
  }

  @Test
  void an_unexpected_parameter_is_refused() throws Exception {
    assertThatThrownBy(
            () ->
                catalog.validateParams(
                    catalog.require("collect_inventory", "type"), params("{\"shell\": \"id\"}")))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).field().orElseThrow())
        .isEqualTo("params.shell");
  }

  @Test
  void the_reference_agents_optional_parameters_are_accepted_within_their_bounds()
      throws Exception {
    catalog.validateParams(
        catalog.require("collect_inventory", "type"), params("{\"sections\": [\"os\", \"cpu\"]}"));
    catalog.validateParams(
        catalog.require("collect_telemetry", "type"), params("{\"sample_ms\": 200, \"top\": 3}"));
    assertThatThrownBy(
            () ->
                catalog.validateParams(
                    catalog.require("collect_inventory", "type"),
                    params("{\"sections\": [\"passwords\"]}")))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).field().orElseThrow())
        .asString()
        .startsWith("params.sections");
    assertThatThrownBy(
            () ->
                catalog.validateParams(
                    catalog.require("collect_telemetry", "type"), params("{\"top\": 500}")))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).field().orElseThrow())
        .isEqualTo("params.top");
  }

  @Test
  void git_pull_branches_that_git_would_read_as_options_or_ranges_are_refused() throws Exception {
    for (String branch : new String[] {"main", "release/1.2", "feature/x_y-z"}) {
      catalog.validateParams(
          catalog.require("git_pull", "type"),
          params("{\"repository_path\": \"/srv/app\", \"branch\": \"" + branch + "\"}"));
    }
    for (String branch :
        new String[] {
          "-upload-pack=x", "main..dev", "/main", "main/", "a//b", ".hidden", "x.lock"
        }) {
      assertThatThrownBy(
              () ->
                  catalog.validateParams(
                      catalog.require("git_pull", "type"),
                      params("{\"repository_path\": \"/srv\", \"branch\": \"" + branch + "\"}")))
          .as(branch)
          .isInstanceOf(InvalidInputException.class)
          .extracting(e -> ((InvalidInputException) e).field().orElseThrow())
          .isEqualTo("params.branch");
    }
  }

  @Test
  void scan_takes_seed_004s_config_and_refuses_unknown_knobs() throws Exception {
    catalog.validateParams(
        catalog.require("scan", "type"),
        params(
            "{\"scanner\": \"semgrep\", \"target\": \"/opt/code/project\", \"config\":"
                + " {\"rules\": [\"p/security-audit\", \"p/owasp-top-ten\"], \"exclude\":"
                + " [\"**/vendor/**\"], \"severity_threshold\": \"warning\"},"
                + " \"timeout_seconds\": 1800, \"report_progress\": true}"));
    assertThatThrownBy(
            () ->
                catalog.validateParams(
                    catalog.require("scan", "type"),
                    params(
                        "{\"scanner\": \"trivy\", \"target\": \"/srv\", \"config\":"
                            + " {\"args\": \"--exit-code 1\"}}")))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).field().orElseThrow())
        .asString()
        .startsWith("params.config");
  }

  @Test
  void collect_with_the_files_collector_needs_a_path_and_bounded_caps() throws Exception {
    CommandType collect = catalog.require("collect", "type");
    catalog.validateParams(
        collect,
        params(
            "{\"collector\": \"files\", \"source_config\": {\"path\": \"/var/log/app\","
                + " \"pattern\": \"**/*.log\", \"max_files\": 50, \"max_bytes\": 1048576}}"));
    catalog.validateParams(
        collect,
        params("{\"collector\": \"github\", \"source_config\": {\"repository\": \"org/r\"}}"));
    assertThatThrownBy(
            () ->
                catalog.validateParams(
                    collect,
                    params("{\"collector\": \"files\", \"source_config\": {\"pattern\": \"*\"}}")))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).field().orElseThrow())
        .asString()
        .startsWith("params.source_config");
    assertThatThrownBy(
            () ->
                catalog.validateParams(
                    collect,
                    params(
                        "{\"collector\": \"files\", \"source_config\": {\"path\": \"/var/log\","
                            + " \"max_files\": 100000}}")))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).field().orElseThrow())
        .isEqualTo("params.source_config.max_files");
  }

  @Test
  void an_upgrade_needs_the_packages_sha256_which_the_envelope_signature_then_covers()
      throws Exception {
    CommandType upgrade = catalog.require("upgrade", "type");
    String sha = "ab".repeat(32);
    catalog.validateParams(
        upgrade,
        params(
            "{\"download_url\": \"https://courier.example.com/agent-2.0.0.jar\","
                + " \"target_version\": \"2.0.0\", \"sha256\": \""
                + sha
                + "\"}"));
    assertThatThrownBy(
            () ->
                catalog.validateParams(
                    upgrade,
                    params(
                        "{\"download_url\": \"https://courier.example.com/a.jar\","
                            + " \"target_version\": \"2.0.0\"}")))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).field().orElseThrow())
        .isEqualTo("params.sha256");
    assertThatThrownBy(
            () ->
                catalog.validateParams(
                    upgrade,
                    params(
                        "{\"download_url\": \"file:///tmp/a.jar\", \"target_version\": \"2\","
                            + " \"sha256\": \""
                            + sha
                            + "\"}")))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).field().orElseThrow())
        .isEqualTo("params.download_url");
  }
}
