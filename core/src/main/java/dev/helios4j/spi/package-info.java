/**
 * The service-provider interface: implement {@link dev.helios4j.spi.LlmProvider} and
 * {@link dev.helios4j.spi.ChatEngine} to plug a new family of models into helios4j.
 */
package dev.helios4j.spi;
