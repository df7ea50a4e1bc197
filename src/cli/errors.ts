/**
 * The CLI's error tree. Every failure the CLI reports is one of these: the entry point prints
 * `error: <message>` on one line and exits with `exitCode`. Exit 1 means "the command ran and
 * failed" (gateway answered an error, network down); exit 2 means "the command line is wrong",
 * so scripts can tell a typo from an outage.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The command line itself is wrong: missing or contradictory options, unparseable values. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

/** The gateway answered with a non-2xx status; `code` is the admin API's stable error code. */
export class AdminApiError extends CliError {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message, 1);
    this.name = 'AdminApiError';
  }
}
