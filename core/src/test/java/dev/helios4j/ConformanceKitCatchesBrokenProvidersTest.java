package dev.helios4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** A kit that cannot fail would be worthless: each broken model must fail exactly its checks. */
class ConformanceKitCatchesBrokenProvidersTest {

    @ParameterizedTest(name = "{0} fails {1}")
    @CsvSource(delimiter = '|', value = {
        "x                 | ''",
        "broken-stop       | stopSequenceEndsTheAnswerBeforeIt",
        "broken-usage      | maxTokensEndsWithFinishReasonLength usageCountsAreRealNotZeros",
        "broken-pieces     | interruptFromAnotherThreadCancelsPromptly interruptFromTheListenerCancelsAndKeepsThePartialText joinedPiecesEqualFinalText stopSequenceEndsTheAnswerBeforeIt streamedTypedAnswerShowsRawPiecesAndGivesTheValueAtTheEnd",
        "broken-length     | maxTokensEndsWithFinishReasonLength",
        "ignores-interrupt | interruptFromAnotherThreadCancelsPromptly interruptFromTheListenerCancelsAndKeepsThePartialText",
        "broken-embed-order  | embeddingsKeepTheOrderOfTheTexts aLongListKeepsItsOrderAndDimensions",
        "broken-embed-shared | eachCallReturnsFreshArrays",
        "broken-no-embed     | embeddingsKeepTheOrderOfTheTexts aLongListKeepsItsOrderAndDimensions anEmptyListGivesNoVectors eachCallReturnsFreshArrays",
    })
    void brokenModelFailsExactlyTheChecksItBreaks(String model, String expectedFailures) {
        BrokenAcmeKitRun.model = model;
        Set<String> failed = new TreeSet<>();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(BrokenAcmeKitRun.class)).build(),
                new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        // A check skipped by its assumption (aborted) is not a failure.
                        if (id.isTest() && result.getStatus() == TestExecutionResult.Status.FAILED) {
                            failed.add(id.getDisplayName().replace("()", ""));
                        }
                    }
                });
        Set<String> expected = new TreeSet<>();
        for (String name : expectedFailures.trim().split("\\s+")) {
            if (!name.isEmpty()) {
                expected.add(name);
            }
        }
        assertEquals(expected, failed);
    }
}
