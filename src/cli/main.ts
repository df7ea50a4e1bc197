#!/usr/bin/env node
/** The `ccag` executable: binds the CLI to this process. Everything else lives in program.ts. */
import { processIo } from './io.js';
import { runCli } from './program.js';

// `ccag keys list | head -1` closes the pipe early; that is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// exitCode rather than exit(): `serve` keeps running after its action returns, and pending
// writes to a piped stdout must be flushed before the process ends.
process.exitCode = await runCli(process.argv, processIo());
