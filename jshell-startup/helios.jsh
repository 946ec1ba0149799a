// helios4j in JShell: `llm` open on the configured model (the built-in demo model when none is)
// and helpers to ask, chat, converse and switch models; help() lists them.
// Needs helios4j-all.jar on the class path. ./helios4j does it all; in a running JShell:
//   /env --class-path jshell-startup/target/helios4j-all.jar
//   /open jshell-startup/helios.jsh
// The helpers are compiled Java (dev.helios4j.jshell.Helpers): JShell compiles each snippet
// on its own, and a dozen of them took longer than JShell's own startup.
import dev.helios4j.*;
import static dev.helios4j.jshell.Helpers.*;

use(); // opens the configured default, as Llm.open() does
