/**
 * The `ccag` command tree and its exit-code contract: 0 on success (and for --help/--version),
 * 1 when a command ran and failed, 2 when the command line is wrong. Every failure is one
 * `error: ...` line on stderr; commander prints its own usage errors, the rest are printed here.
 */
import { Command, CommanderError } from 'commander';
import { registerAdminKeysCommands } from './commands/admin-keys.js';
import { registerBudgetsCommands } from './commands/budgets.js';
import { registerEndpointStatsCommands } from './commands/endpoint-stats.js';
import { registerEndpointsCommands } from './commands/endpoints.js';
import { registerIdpsCommands } from './commands/idps.js';
import { registerKeysCommands } from './commands/keys.js';
import { registerLimitsCommands } from './commands/limits.js';
import { registerLoginCommands } from './commands/login.js';
import { registerPricingCommands } from './commands/pricing.js';
import { registerPoliciesCommands } from './commands/policies.js';
import { registerRoutingCommands } from './commands/routing.js';
import { registerScimCommands } from './commands/scim.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSettingsCommands } from './commands/settings.js';
import { registerSetupCommand } from './commands/setup.js';
import { registerSystemCommand } from './commands/system.js';
import { registerTeamsCommands } from './commands/teams.js';
import { registerTokenCommand } from './commands/token.js';
import { registerUsersCommands } from './commands/users.js';
import { registerNotificationsCommands } from './commands/notifications.js';
import { registerWebSearchCommands } from './commands/web-search.js';
import { registerUsageCommands } from './commands/usage.js';
import { CliError } from './errors.js';
import type { CliIo } from './io.js';
import { VERSION } from './version.js';

export function buildProgram(io: CliIo): Command {
  // Settings made here (exit override, output routing, suggestions) are copied to every
  // subcommand created with `.command()`, so they must come before the registrations.
  const program = new Command('ccag')
    .description('CCAG, the self-hosted API gateway for Claude Code: run it, and manage it from a terminal')
    .version(VERSION, '-v, --version', 'print the version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Commander puts "(Did you mean keys?)" on a second line; errors are one line here.
      outputError: (text, write) => write(`${text.trimEnd().replace(/\n+/g, ' ')}\n`),
    })
    .showSuggestionAfterError(true);

  registerServeCommand(program);
  registerLoginCommands(program, io);
  registerTokenCommand(program, io);
  registerSetupCommand(program, io);
  registerKeysCommands(program, io);
  registerAdminKeysCommands(program, io);
  registerUsersCommands(program, io);
  registerTeamsCommands(program, io);
  registerEndpointsCommands(program, io);
  registerEndpointStatsCommands(program, io);

  registerRoutingCommands(program, io);
  registerPricingCommands(program, io);
  registerLimitsCommands(program, io);
  registerBudgetsCommands(program, io);
  registerSettingsCommands(program, io);
  registerIdpsCommands(program, io);
  registerScimCommands(program, io);
  registerSystemCommand(program, io);
  registerNotificationsCommands(program, io);
  registerWebSearchCommands(program, io);
  registerPoliciesCommands(program, io);
  registerUsageCommands(program, io);
  program.addHelpText(
    'after',
    '\nEnvironment: CCAG_URL, CCAG_TOKEN, CCAG_USERNAME, CCAG_PASSWORD, CCAG_CONFIG_DIR.\nRun "ccag <command> --help" for a command\'s options.',
  );
  return program;
}

/** Runs one command line (`argv` as in `process.argv`) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv]);
    return 0;
  } catch (error) {
    return report(error, io);
  }
}

function report(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Already printed by commander; --help and --version exit 0, everything else is misuse.
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof CliError) {
    io.stderr.write(`error: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`error: ${message.split('\n')[0]}\n`);
  if (io.env.CCAG_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return 1;
}
