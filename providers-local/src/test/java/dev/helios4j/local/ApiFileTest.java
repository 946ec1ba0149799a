package dev.helios4j.local;

import dev.helios4j.testkit.ApiFile;
import org.junit.jupiter.api.Test;

/** The module's public API is the one in api/providers-local.txt (see {@link ApiFile}). */
class ApiFileTest {

    @Test
    void publicApiMatchesTheCommittedFile() {
        ApiFile.check("providers-local");
    }
}
