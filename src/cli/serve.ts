/**
 * `ccag serve`: load and validate settings, start the gateway, tell a newcomer what to do next,
 * and on SIGTERM/SIGINT drain in-flight requests and flush the ledger before exiting.
 */
import { createApp, type App } from '../app.js';
import { loadSettings, SettingsError, type Settings } from '../config/settings.js';
import { createLogger } from '../telemetry/logger.js';

function nextSteps(app: App, url: string): string {
  const lines = ['', `CCAG is listening on ${url}`];
  const admin = app.bootstrap.admin;
  if (admin.created && admin.generatedPassword) {
    lines.push(
      '',
      `Created the first admin "${admin.username}" with this generated password (shown once, store it now):`,
      `    ${admin.generatedPassword}`,
    );
  } else if (admin.created) {
    lines.push('', `Created the first admin "${admin.username}" with ADMIN_PASSWORD.`);
  }
  if (app.bootstrap.endpoint) lines.push('', `Created the default upstream "${app.bootstrap.endpoint.name}" from the environment.`);
  if (app.bootstrap.journalReplayed > 0) lines.push('', `Replayed ${app.bootstrap.journalReplayed} spend records from the local journal.`);
  lines.push(
    '',
    'Next:',
    `  open ${url}/portal and sign in as the admin (users, keys, budgets, endpoints, spend)`,
    '  or, from a terminal:',
    `  ccag login --url ${url}`,
    '  ccag endpoints list                      # or: ccag endpoints add anthropic|bedrock ...',
    '  ccag keys create --user you@example.com',
    `  ccag setup --url ${url} --key <the key> && claude`,
    '',
  );
  return lines.join('\n');
}

function publicUrl(settings: Settings, listening: string): string {
  if (settings.publicUrl) return settings.publicUrl.replace(/\/+$/, '');
  return listening.replace('://0.0.0.0', '://127.0.0.1').replace('://[::]', '://127.0.0.1');
}

export async function runServe(options: { config?: string; port?: number }): Promise<void> {
  let settings: Settings;
  try {
    settings = loadSettings({ file: options.config, overrides: options.port === undefined ? {} : { port: options.port } });
  } catch (error) {
    if (error instanceof SettingsError) {
      process.stderr.write(`ccag: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const log = createLogger(settings);
  let app: App;
  try {
    app = await createApp(settings, log);
  } catch (error) {
    process.stderr.write(`ccag: cannot start: ${(error as Error).message}\n`);
    log.flush();
    process.exit(1);
  }
  const url = publicUrl(settings, await app.listen());
  process.stderr.write(nextSteps(app, url));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: draining in-flight requests');
    app
      .shutdown()
      .then(() => {
        log.info('shutdown complete');
        log.flush();
        process.exit(0);
      })
      .catch((error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        log.flush();
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
