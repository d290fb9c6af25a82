package dev.tokenbroker.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar leaves out exactly the emulator's compiled classes: Quarkus takes the
 * entries to leave out one by one, so a new emulator class must be listed. This says which,
 * before packaging; ChartOnTheJarIT checks the jar itself.
 */
class EmulatorOutOfTheJarTest {

    @Test
    void everyEmulatorClassIsLeftOutOfThePackagedJar() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        Set<String> ignored = Arrays.stream(properties
                .getProperty("%prod.quarkus.package.jar.user-configured-ignored-entries", "").split(","))
                .map(String::trim).filter(e -> e.endsWith(".class")).collect(Collectors.toCollection(TreeSet::new));
        Path compiled = Path.of("target/classes");
        Set<String> classes;
        try (Stream<Path> files = Files.walk(compiled.resolve("dev/tokenbroker/emulator"))) {
            classes = files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> compiled.relativize(f).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertFalse(classes.isEmpty(), "the emulator is compiled for dev mode and tests");
        assertEquals(classes, ignored,
                "%prod.quarkus.package.jar.user-configured-ignored-entries must list every emulator class file");
    }
}
