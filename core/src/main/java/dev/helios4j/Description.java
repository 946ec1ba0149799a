package dev.helios4j;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Tells the model what a record, a record component or an enum means, for typed answers
 * ({@link LlmClient#chat(ChatRequest, Class)}): the text becomes the {@code description} of that
 * part of the JSON Schema the model is asked to follow.
 *
 * <pre>{@code
 * record Person(@Description("full name, as written") String name,
 *               @Description("year of birth") int born) { }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.TYPE})
public @interface Description {
    /** @return what the annotated part means, in a sentence */
    String value();
}
