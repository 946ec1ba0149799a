package com.acme.llm;

import dev.helios4j.spi.ChatEngine;
import dev.helios4j.spi.LlmProvider;
import dev.helios4j.spi.ProviderContext;

/**
 * Acme's models as a provider that only chats, as most third-party providers will at first: it
 * lists no capability but chat, and its engines embed nothing.
 */
public final class AcmeChatProvider implements LlmProvider {
    @Override
    public String name() {
        return "acme-chat";
    }

    @Override
    public String description() {
        return "Acme word-by-word test models, chat only";
    }

    @Override
    public ChatEngine open(ProviderContext context) {
        return AcmeProvider.chatOnly(new AcmeProvider().open(context));
    }
}
