package dev.helios4j.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.Secret;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The base URL scrubs from other text exactly what {@link Secret#redactUrl} masks in the URL itself. */
class BaseUrlCredentialsTest {
    @Test
    void scrubsWhatSecretMasksAndKeepsVersionParameters() {
        BaseUrl url = BaseUrl.parse("http://user:pw-secret@host:8080/v1?key=KEY12345&api-version=2024-06-01&Version=2025-01-01");

        assertEquals("http://user:****@host:8080/v1?key=****&api-version=2024-06-01&Version=2025-01-01", url.display());
        assertTrue(url.credentials().containsAll(List.of("pw-secret", "KEY12345")), url.credentials().toString());
        assertFalse(url.credentials().contains("2024-06-01") || url.credentials().contains("2025-01-01"), url.credentials().toString());
        assertEquals("refused " + Secret.MASK + " and " + Secret.MASK + " (api 2024-06-01, 2025-01-01)",
                url.redact("refused KEY12345 and pw-secret (api 2024-06-01, 2025-01-01)"));
    }
}
