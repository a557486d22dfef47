import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// Real processes for start-up and resilience tests: `npm start`'s main.ts and the `rectify` CLI run
// from the sources through tsx (no build needed), with only the environment an operator would set.

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const MAIN = path.join(ROOT, 'src/server/main.ts');
const CLI = path.join(ROOT, 'src/server/cli/rectify.ts');

function baseEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TZ: 'UTC', ...env };
}

export interface ChildServer {
  proc: ChildProcess;
  /** Resolves with the URL once the server prints its start line; rejects if it exits first. */
  ready: Promise<string>;
  /** Resolves with the exit code (or 128+signal). */
  exited: Promise<number>;
  stdout(): string;
  stderr(): string;
  alive(): boolean;
  stop(): Promise<number>;
}

/** Starts `node --import tsx src/server/main.ts` with PORT=0 and the given environment. */
export function startChildServer(env: Record<string, string>, opts: { readyTimeoutMs?: number } = {}): ChildServer {
  const proc = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: ROOT,
    env: baseEnv({ PORT: '0', HOST: '127.0.0.1', RECTIFY_LOG_LEVEL: 'warn', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number>((resolve) => {
    proc.on('exit', (code, signal) => resolve(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0)));
  });
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start within ${opts.readyTimeoutMs ?? 90_000} ms\n${out}\n${err}`)),
      opts.readyTimeoutMs ?? 90_000,
    );
    const check = () => {
      const m = /已启动：(http:\/\/[^/\s]+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    proc.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before starting\n${out}\n${err}`));
    });
  });
  ready.catch(() => undefined);
  return {
    proc,
    ready,
    exited,
    stdout: () => out,
    stderr: () => err,
    alive: () => proc.exitCode === null && proc.signalCode === null,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the `rectify` CLI from the sources. */
export function runCli(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    proc.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    proc.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/**
 * A TCP proxy to a real server that can be taken away and brought back: `down()` closes the port
 * and cuts every open connection (the database "unreachable"); `up()` listens again on the same port.
 * `mode: 'reset'` accepts connections but closes them at once (a server not ready yet).
 */
export class TcpProxy {
  private server: net.Server | undefined;
  private sockets = new Set<net.Socket>();
  mode: 'forward' | 'reset' = 'forward';
  /** Connections accepted so far. */
  accepted = 0;
  constructor(
    public port: number,
    private target = { host: '127.0.0.1', port: 5432 },
  ) {}

  async up(): Promise<void> {
    if (this.server) return;
    const server = net.createServer((client) => {
      this.accepted++;
      if (this.mode === 'reset') {
        client.destroy();
        return;
      }
      const upstream = net.connect(this.target.port, this.target.host);
      this.sockets.add(client).add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }
}
