package org.lms.domain.state;

import org.lms.domain.command.Command;

/** The handler table: one handler per command type. */
final class CommandHandlers {
  LmsStateMachine.Decision decide(Command command, State state) {
    throw new UnsupportedOperationException("handlers are being written");
  }
}
