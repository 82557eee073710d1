package org.lms.domain.state;

import java.util.List;
import org.lms.domain.command.Command;

/**
 * Decides one command type against the state at its log position: returns the writes to make, or
 * throws {@link RejectedException}. Reads only through {@link State}; never writes.
 */
@FunctionalInterface
interface Handler<C extends Command> {
  List<Change> handle(C command, State state);
}
