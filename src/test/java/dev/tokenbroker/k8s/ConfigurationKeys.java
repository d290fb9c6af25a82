package dev.tokenbroker.k8s;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbroker.config.BrokerConfig;
import io.smallrye.config.ConfigMapping;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The configuration keys the packaged broker reads: every key of {@link BrokerConfig} (from the
 * mapping itself, so a new key is known at once) and every key of Quarkus's own configuration
 * model, and their environment-variable forms.
 */
public final class ConfigurationKeys {

    private ConfigurationKeys() {
    }

    /** broker.* keys, e.g. {@code broker.quota.active-tokens-per-bot}. */
    public static Set<String> broker() {
        Set<String> keys = new TreeSet<>();
        collect(BrokerConfig.class.getAnnotation(ConfigMapping.class).prefix(), BrokerConfig.class, keys);
        return keys;
    }

    /** Environment-variable forms of every broker key and every key Quarkus documents. */
    public static Set<String> environmentNames() {
        Set<String> properties = new TreeSet<>(broker());
        ObjectMapper json = new ObjectMapper();
        try {
            Enumeration<URL> models = ConfigurationKeys.class.getClassLoader()
                    .getResources("META-INF/quarkus-config-doc/quarkus-config-model.json");
            while (models.hasMoreElements()) {
                try (InputStream in = models.nextElement().openStream()) {
                    json.readTree(in).findValues("path").forEach(path -> {
                        if (path.has("property")) {
                            properties.add(path.get("property").asText());
                        }
                    });
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!properties.contains("quarkus.datasource.jdbc.url")) {
            throw new IllegalStateException("Quarkus's configuration model was not found on the class path");
        }
        return properties.stream().map(ConfigurationKeys::environmentName).collect(Collectors.toSet());
    }

    /**
     * Whether a variable sets a key the broker reads: a known name, or the form of a named group's
     * key with a name in place of {@code <name>} (BROKER_FEDERATION_ISSUERS_GITHUB_URL).
     */
    public static boolean isEnvironmentName(String variable) {
        Set<String> known = environmentNames();
        return known.contains(variable) || known.stream().filter(k -> k.contains("__NAME__"))
                .anyMatch(k -> variable.matches(k.replace("__NAME__", "_[A-Z0-9]+_")));
    }

    public static String environmentName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static void collect(String prefix, Class<?> group, Set<String> keys) {
        for (Method method : group.getDeclaredMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.isDefault() || method.getParameterCount() > 0) {
                continue;
            }
            String key = prefix + "." + method.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
            if (method.getReturnType() == java.util.Map.class
                    && method.getGenericReturnType() instanceof java.lang.reflect.ParameterizedType map
                    && map.getActualTypeArguments()[1] instanceof Class<?> named && named.isInterface()) {
                collect(key + ".<name>", named, keys); // a named group each, e.g. broker.federation.issuers.<name>.url
            } else if (method.getReturnType().isInterface() && method.getReturnType().getEnclosingClass() != null
                    && method.getReturnType().getName().startsWith(BrokerConfig.class.getName())) {
                collect(key, method.getReturnType(), keys);
            } else {
                keys.add(key);
            }
        }
    }
}
