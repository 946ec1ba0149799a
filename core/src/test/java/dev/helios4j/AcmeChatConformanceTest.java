package dev.helios4j;

import dev.helios4j.testkit.ProviderConformanceKit;

/** A third-party provider that only chats passes the kit, whose embedding checks see it say so. */
class AcmeChatConformanceTest extends ProviderConformanceKit {

    @Override
    protected LlmClient openClient() {
        return AcmeConformanceTest.openAcme("x", "acme-chat");
    }
}
