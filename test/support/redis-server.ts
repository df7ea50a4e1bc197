/**
 * A Redis server of the test's own (`redis-server` on a free port, no persistence), so a test can
 * kill it and start it again without touching the shared Redis other tests use.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { sleep } from './mock-script.js';
import { freePort } from './serve-process.js';

export interface OwnRedis {
  readonly url: string;
  /** SIGKILL: the data is gone (no persistence), as after a crash or an eviction of its pod. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !(await accepting(port)); i++) await sleep(50);
  };
  const kill = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, kill, restart: start, stop: kill };
}
