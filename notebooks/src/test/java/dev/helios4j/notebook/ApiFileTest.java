package dev.helios4j.notebook;

import dev.helios4j.testkit.ApiFile;
import org.junit.jupiter.api.Test;

/** The module's public API is the one in api/notebooks.txt (see {@link ApiFile}). */
class ApiFileTest {

    @Test
    void publicApiMatchesTheCommittedFile() {
        ApiFile.check("notebooks");
    }
}
