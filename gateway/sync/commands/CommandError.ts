import { CodedError } from '../../core/errors.ts';

/** Why a cloud command was refused before the gateway saw it. */
export type CommandErrorCode =
  | 'COMMAND_FOREIGN_UNIT'
  | 'COMMAND_TOO_LARGE'
  | 'COMMAND_MALFORMED'
  | 'COMMAND_INVALID'
  | 'COMMAND_UNKNOWN'
  | 'COMMAND_LIMIT'
  | 'COMMAND_FAILED';

/** A refused command, with the id and name to answer it with (null id: none could be read). */
export class CommandError extends CodedError<CommandErrorCode> {
  constructor(
    code: CommandErrorCode,
    message: string,
    readonly commandId: string | null,
    readonly command: string,
  ) {
    super(code, message, { commandId, command });
    this.name = 'CommandError';
  }
}
