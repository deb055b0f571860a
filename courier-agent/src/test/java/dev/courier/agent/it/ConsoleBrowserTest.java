package dev.courier.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.server.tenant.TenantId;
import dev.courier.server.testing.ApiClient;
import dev.courier.server.testing.TestDatabases;
import dev.courier.server.testing.TestServer;
import dev.courier.server.user.Role;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator console in a real browser (Debian's headless Chromium through chromedriver) against
 * the real server and a real agent process: sign in, enroll the agent with a token made in the
 * console, run a command from the agent's Remote commands panel and watch it complete live, see a
 * form refuse bad input, run a rollout to 100 %, and an auditor who gets no run button. Each page
 * is saved as a screenshot at laptop and phone widths under {@code target/screenshots/}.
 *
 * <p>Without Chromium the class is skipped, unless {@code COURIER_BROWSER_TESTS=required} (CI),
 * where it fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsoleBrowserTest {

  private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Paths.get("target", "screenshots");
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static final String PASSWORD = "console-test-password-1";

  @RegisterExtension final ChildAgents agents = new ChildAgents();

  private TestServer server;
  private WebDriver browser;
  private WebDriverWait wait;
  private Path temp;
  private TenantId tenant;
  private String adminName;
  private String auditorName;
  private String agentId;

  @BeforeAll
  void start() throws IOException {
    boolean required =
        "required".equalsIgnoreCase(System.getenv("COURIER_BROWSER_TESTS"))
            || "required".equalsIgnoreCase(System.getProperty("COURIER_BROWSER_TESTS"));
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present) {
      String reason =
          "browser tests need "
              + CHROMIUM
              + " and "
              + CHROMEDRIVER
              + " (apt-get install chromium"
              + " chromium-driver)";
      if (required) {
        Assertions.fail(reason + "; COURIER_BROWSER_TESTS=required");
      }
      Assumptions.abort(reason);
    }
    temp = Files.createTempDirectory("courier-console-");
    Files.createDirectories(SCREENSHOTS);
    server = TestServer.start(TestDatabases.Kind.SQLITE);
    tenant = server.createTenant();
    adminName = user(Role.TENANT_ADMIN);
    auditorName = user(Role.AUDITOR);

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--window-size=1280,900");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, PATIENCE, Duration.ofMillis(50));
    // Live updates re-render rows: an element read a moment ago may be replaced.
    wait.ignoring(StaleElementReferenceException.class);
  }

  /** A user of {@code role} in the test tenant, made through the API as an operator would. */
  private String user(Role role) {
    String name = role.wireName() + "-" + System.nanoTime();
    ApiClient.Response created =
        server
            .admin()
            .post(
                "/api/v1/users",
                Map.of(
                    "username",
                    name,
                    "password",
                    PASSWORD,
                    "role",
                    role.wireName(),
                    "tenant_id",
                    tenant.value()));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return name;
  }

  @AfterAll
  void stop() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    agents.closeResidents();
    if (server != null) {
      server.close();
    }
    if (temp != null) {
      try (Stream<Path> paths = Files.walk(temp)) {
        paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  @Test
  @Order(1)
  void an_operator_signs_in_and_enrolls_a_real_agent_with_a_token_made_in_the_console() {
    browser.get(server.baseUrl() + "/");
    visible(By.id("username"));
    screenshot("01-login");
    signIn(adminName);
    visible(By.id("fleet-counts"));
    assertThat(text(By.id("current-user"))).contains(adminName).contains("tenant admin");
    wait.until(ExpectedConditions.textToBe(By.id("live-state"), "● live"));

    go("#/enrollment");
    type(By.id("token-labels"), "env=test");
    click(By.id("create-token"));
    String install = text(By.id("install-command"));
    assertThat(install).startsWith("./courier agent --server " + server.baseUrl() + " --enroll ");
    screenshot("07-enrollment");
    Matcher token = Pattern.compile("--enroll (\\S+)").matcher(install);
    assertThat(token.find()).isTrue();

    ChildAgent agent =
        agents.resident(
            temp.resolve("agent"),
            List.of(
                "--server",
                server.baseUrl(),
                "--enroll",
                token.group(1),
                "--heartbeat-seconds",
                "2",
                "--enable-terminal"));
    agentId =
        await()
            .atMost(PATIENCE)
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> {
                  assertThat(agent.isAlive()).as("agent process exited").isTrue();
                  return agent.identity().map(id -> id.agentId().value()).orElse(null);
                },
                id -> id != null);

    go("#/agents");
    By row = By.cssSelector("tr[data-key='" + agentId + "']");
    visible(row);
    // The row turns online live, from the agent.online event, without a reload.
    wait.until(d -> d.findElement(row).getText().contains("online"));
    wait.until(d -> d.findElement(row).getText().contains("env=test"));
    screenshot("03-agents");
    go("#/");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("fleet-counts"), "1"));
    screenshot("02-overview");
  }

  @Test
  @Order(2)
  void a_command_run_from_the_panel_is_seen_live_until_it_completes_with_its_summary() {
    openAgent();
    new Select(find(By.id("command-type"))).selectByValue("echo");
    type(By.cssSelector("#command-form [name='message']"), "hello from the console");
    click(By.id("run-command"));
    wait.until(
        ExpectedConditions.attributeToBe(By.id("command-tracker"), "data-status", "completed"));
    assertThat(text(By.id("command-steps"))).contains("accepted").contains("succeeded");
    assertThat(text(By.id("command-result-summary"))).isNotBlank();
    assertThat(text(By.id("command-output"))).contains("hello from the console");
    screenshot("04-agent");

    go("#/commands");
    visible(By.cssSelector("td"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("tbody"), "echo"));
    screenshot("05-commands");
  }

  @Test
  @Order(3)
  void the_form_refuses_a_missing_field_and_a_bad_value_inline_before_sending() {
    openAgent();
    int before = commandsOfAgent();
    new Select(find(By.id("command-type"))).selectByValue("git_pull");
    click(By.id("run-command"));
    WebElement path = find(By.cssSelector("#command-form input[name='repository_path']"));
    assertThat(path.getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(text(By.id(path.getAttribute("id") + "-error"))).isEqualTo("Required.");

    new Select(find(By.id("command-type"))).selectByValue("docker_restart");
    type(By.cssSelector("#command-form input[name='container_name']"), "no spaces allowed");
    click(By.id("run-command"));
    WebElement container = find(By.cssSelector("#command-form input[name='container_name']"));
    assertThat(container.getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(text(By.id(container.getAttribute("id") + "-error")))
        .isEqualTo("Not in the expected format.");
    screenshot("04b-agent-validation");
    assertThat(commandsOfAgent()).as("nothing was sent").isEqualTo(before);
  }

  @Test
  @Order(4)
  void a_rollout_created_with_a_live_selector_preview_reaches_100_percent() {
    go("#/rollouts");
    new Select(find(By.id("rollout-type"))).selectByValue("echo");
    type(By.id("rollout-selector"), "env=test");
    wait.until(
        ExpectedConditions.textToBe(
            By.id("rollout-preview"), "Matches 1 agent (1 online, 0 offline)."));
    type(By.cssSelector("#rollout-form [name='message']"), "rolled out");
    screenshot("06-rollouts");
    click(By.id("create-rollout"));
    wait.until(ExpectedConditions.textToBe(By.id("rp-label"), "100 %"));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("rollout-status"), "completed"));
    assertThat(text(By.cssSelector("#rollout-counts [data-state='completed'] dd"))).isEqualTo("1");
    screenshot("06b-rollout");

    go("#/schedules");
    click(By.id("new-schedule"));
    type(By.id("schedule-cron"), "30 2 * * 1");
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("schedule-preview"), "Monday"));
    screenshot("08-schedules");
  }

  @Test
  @Order(5)
  void a_terminal_opened_from_the_agent_page_runs_what_is_typed_into_it() {
    openAgent();
    click(By.id("open-terminal"));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("terminal-state"), "ready"));
    WebElement keyboard = find(By.cssSelector("#terminal .xterm-helper-textarea"));
    keyboard.sendKeys("echo console-$((40+2))" + Keys.ENTER);
    // The canvas shows the output; the server's transcript holds the same text.
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> transcripts().contains("console-42"));
    screenshot("10-terminal");
    go("#/agents");
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                server
                    .admin()
                    .get("/api/v1/tunnel/sessions?open=true")
                    .json()
                    .path("sessions")
                    .isEmpty());
  }

  /** Every transcript of the tenant's sessions, as one text. */
  private String transcripts() {
    ApiClient admin = server.admin();
    StringBuilder all = new StringBuilder();
    for (var s : admin.get("/api/v1/tunnel/sessions").json().path("sessions")) {
      all.append(
          admin.get("/api/v1/tunnel/" + s.path("session_id").asText() + "/transcript").body());
    }
    return all.toString();
  }

  @Test
  @Order(6)
  void an_auditor_sees_the_agent_and_the_audit_log_but_no_run_button() {
    click(By.id("logout"));
    signIn(auditorName);
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("current-user"), auditorName));
    openAgent();
    visible(By.id("run-not-allowed"));
    assertThat(browser.findElements(By.id("open-terminal"))).isEmpty();
    assertThat(browser.findElements(By.id("run-command"))).isEmpty();
    assertThat(browser.findElements(By.id("agent-labels-edit"))).isEmpty();
    go("#/audit");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("tbody"), "user:"));
    screenshot("09-audit");
    go("#/sessions");
    click(By.cssSelector("tbody a[href^='#/sessions/']"));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("transcript-notes"), "command"));
    screenshot("11-transcript");
    go("#/enrollment");
    visible(By.tagName("table"));
    assertThat(browser.findElements(By.id("create-token"))).isEmpty();
  }

  private void signIn(String username) {
    type(By.id("username"), username);
    type(By.id("password"), PASSWORD);
    click(By.id("login-submit"));
  }

  private void openAgent() {
    go("#/agents/" + agentId);
    visible(By.id("command-form"));
  }

  private int commandsOfAgent() {
    return server
        .admin()
        .get("/api/v1/agents/" + agentId + "/commands?limit=1000")
        .json()
        .path("commands")
        .size();
  }

  private void go(String hash) {
    ((JavascriptExecutor) browser).executeScript("location.hash = arguments[0]", hash);
    visible(By.cssSelector("main .page h1"));
  }

  private WebElement find(By by) {
    return wait.until(ExpectedConditions.presenceOfElementLocated(by));
  }

  private WebElement visible(By by) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  private void click(By by) {
    wait.until(ExpectedConditions.elementToBeClickable(by)).click();
  }

  private void type(By by, String text) {
    WebElement input = visible(by);
    input.clear();
    input.sendKeys(text);
  }

  /**
   * The element's text, read inside the wait: a live update may replace the element between finding
   * and reading it (the rollout's counts re-render on every event), and the wait ignores that and
   * reads again.
   */
  private String text(By by) {
    return wait.until(driver -> visible(by).getText());
  }

  /** The page as a laptop (1280 px) and a phone (390 px) show it. */
  private void screenshot(String name) {
    try {
      for (int width : new int[] {1280, 390}) {
        browser.manage().window().setSize(new Dimension(width, width == 390 ? 844 : 900));
        ((JavascriptExecutor) browser)
            .executeScript("return new Promise(r => requestAnimationFrame(() => r()))");
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(
            shot,
            SCREENSHOTS.resolve(name + "-" + width + ".png"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      browser.manage().window().setSize(new Dimension(1280, 900));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
