package dev.helios4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http://localhost:8080/v1                           | http://localhost:8080/v1",
        "https://user:hunter2-password@host.example/v1      | https://user:****@host.example/v1",
        "https://sk-token-in-userinfo@host.example/v1       | https://****@host.example/v1",
        "https://host.example/v1?api-version=2024-06-01     | https://host.example/v1?api-version=2024-06-01",
        "https://host.example/v1?key=sk-abc123&api-version=1 | https://host.example/v1?key=****&api-version=1",
        "https://host.example/v1#frag-with-token            | https://host.example/v1#****",
        "http://us er:pass word@host/v1?x=secret-value      | http://****@host/****",
        "not a url with sk-secret-value                     | not a url with sk-secret-value",
    })
    void urlsAreShownWithTheirCredentialsMasked(String url, String shown) {
        assertEquals(shown, Secret.redactUrl(url));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "https://user:hunter2-password@host.example/v1",
        "http://us er:hunter2-password@host/v1",
        "https://host.example/v1?token=hunter2-password",
        "http://host/v1?%zz=hunter2-password",
    })
    void noPasswordSurvivesInAnyForm(String url) {
        assertFalse(Secret.redactUrl(url).contains("hunter2"), Secret.redactUrl(url));
    }

    @org.junit.jupiter.api.Test
    void nullStaysNull() {
        assertNull(Secret.redactUrl(null));
        assertEquals(Secret.MASK, Secret.of("sk-1234").toString());
    }
}
