package dev.tokenbroker.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A person in Swagger UI, played by Debian's headless Chromium: open the page,
 * Authorize with a bearer token, Try it out on an operation with a body, Execute,
 * and read the answer off the page. Without Chromium and its driver the calling test
 * is skipped, unless {@code -Dbrowser.required=true} (CI) makes that a failure.
 */
public final class SwaggerUiBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("browser.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("browser.chromedriver", "/usr/bin/chromedriver"));
    static final Duration PATIENCE = Duration.ofSeconds(30);

    /** What Swagger UI showed after Execute. */
    public record Answer(String status, String body, Path screenshot) {
    }

    private final WebDriver driver;
    private final WebDriverWait wait;

    private SwaggerUiBrowser(WebDriver driver) {
        this.driver = driver;
        this.wait = new WebDriverWait(driver, PATIENCE);
    }

    public static SwaggerUiBrowser open() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String missing = "Chromium (" + CHROMIUM + ") and chromedriver (" + CHROMEDRIVER + ") are needed;"
                    + " apt-get install chromium chromium-driver";
            if (Boolean.getBoolean("browser.required")) {
                throw new AssertionError(missing);
            }
            Assumptions.abort(missing);
        }
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        // Headless and quiet: no sandbox (CI runs as root), no background connections to
        // Google's hosts (the build machine's network refuses them), a fresh profile.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,2400");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new SwaggerUiBrowser(new ChromeDriver(service, options));
    }

    /** Opens Swagger UI at {@code swaggerUiUrl} and authorizes with {@code token} (HTTP bearer). */
    public SwaggerUiBrowser authorize(String swaggerUiUrl, String token) {
        driver.get(swaggerUiUrl);
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button.btn.authorize"))).click();
        WebElement input = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".dialog-ux .auth-container input")));
        input.sendKeys(token);
        driver.findElement(By.cssSelector(".dialog-ux .auth-btn-wrapper button.authorize")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(".dialog-ux button.btn-done"))).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".dialog-ux")));
        return this;
    }

    /**
     * Expands the operation {@code operationId}, presses Try it out, replaces the example body
     * with {@code body}, presses Execute and waits for the live response.
     */
    public Answer tryItOut(String operationId, String body, String screenshotName) {
        try {
            return tryItOutOrFail(operationId, body, screenshotName);
        } catch (RuntimeException e) {
            screenshot(screenshotName + "-failed");
            throw e;
        }
    }

    private Answer tryItOutOrFail(String operationId, String body, String screenshotName) {
        // Swagger UI re-renders as it goes: every lookup starts again from the operation's id.
        String operation = "#" + wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[id^='operations-'][id$='-" + operationId + "']"))).getAttribute("id");
        shown(operation + " .opblock-summary").click();
        // A click while the section still unfolds can be lost: press Try it out until the editor shows.
        WebElement editor = wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            var found = d.findElements(By.cssSelector(operation + " textarea.body-param__text"));
            if (!found.isEmpty() && found.get(0).isDisplayed()) {
                return found.get(0);
            }
            d.findElements(By.cssSelector(operation + " button.try-out__btn:not(.cancel)")).forEach(WebElement::click);
            return null;
        });
        editor.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        editor.sendKeys(body);
        shown(operation + " button.execute").click();
        WebElement response = shown(operation + " .live-responses-table .response");
        String status = response.findElement(By.cssSelector(".response-col_status")).getText().trim();
        String text = response.findElement(By.cssSelector(".response-col_description")).getText();
        return new Answer(status, text, screenshot(screenshotName));
    }

    /** Waits until Swagger UI has rendered the element, visible and enabled. */
    private WebElement shown(String css) {
        return wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            var found = d.findElements(By.cssSelector(css));
            return found.isEmpty() || !found.get(0).isDisplayed() || !found.get(0).isEnabled() ? null : found.get(0);
        });
    }

    /** Keeps what the page shows under target/swagger-ui/. */
    public Path screenshot(String name) {
        File shot = ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE);
        try {
            Path target = Path.of("target", "swagger-ui", name + ".png");
            Files.createDirectories(target.getParent());
            return Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
