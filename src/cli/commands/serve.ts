/**
 * `ccag serve`: runs the gateway in this process. The server is loaded only when this command
 * runs, so admin commands do not pay for loading Fastify, the AWS SDK and database drivers.
 */
import type { Command } from 'commander';
import { parsePort } from '../arguments.js';

interface ServeOptions {
  config?: string;
  port?: number;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the gateway')
    .option('--config <file>', 'gateway configuration file')
    .option('--port <n>', 'port to listen on (overrides the configuration)', parsePort)
    .action(async (options: ServeOptions) => {
      const { runServe } = await import('../serve.js');
      await runServe({ config: options.config, port: options.port });
    });
}
