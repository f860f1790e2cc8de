/**
 * Detached background processes with pid files: start, find, stop, and wait for ports.
 *
 * A service runs in its own process group, so stopping it stops every process it spawned
 * (pyenv shims, JVM helpers) and leaves no orphan behind.
 *
 * @example
 * ```ts
 * const pid = startDetached({ command: "moto_server", args: ["-p", "4566"], logFile, pidFile });
 * await stopByPidFile(pidFile, { port: 4566, name: "moto" });
 * ```
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { MissingPrerequisiteError, ServiceStopError } from "./errors";
import type { ServiceStatus } from "./local-service";

export interface DetachedProcess {
  readonly command: string;
  readonly args: readonly string[];
  readonly logFile: string;
  readonly pidFile: string;
  readonly cwd?: string;
  /** Once aborted, nothing is started: `startDetached` throws its reason. */
  readonly signal?: AbortSignal;
}

/** Fails with install advice when `program` cannot be run. */
export const requireProgram = (program: string, versionArg: string, howToInstall: string): void => {
  const probe = spawnSync(program, [versionArg], { stdio: "ignore" });
  if (probe.error !== undefined) throw new MissingPrerequisiteError(program, howToInstall);
};

/**
 * Starts a process in its own group, output appended to `logFile`; returns its pid. Throws
 * the reason of an aborted `signal` instead: after a Ctrl-C no service process starts.
 */
export const startDetached = (spec: DetachedProcess): number => {
  spec.signal?.throwIfAborted();
  mkdirSync(dirname(spec.logFile), { recursive: true });
  mkdirSync(dirname(spec.pidFile), { recursive: true });
  const log = openSync(spec.logFile, "a");
  try {
    const child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      detached: true,
      stdio: ["ignore", log, log],
    });
    if (child.pid === undefined) throw new Error(`could not start ${spec.command}`);
    child.unref();
    writeFileSync(spec.pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(log);
  }
};

export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * A service's status: ours while the process of its pid file runs, external when something
 * else answers at its endpoint, stopped otherwise.
 */
export const serviceStatus = async (
  pidFile: string,
  answers: () => Promise<boolean>,
): Promise<ServiceStatus> => {
  const pid = runningPid(pidFile);
  if (pid !== undefined) return { state: "running", owner: "ours", pid };
  return (await answers()) ? { state: "running", owner: "external" } : { state: "stopped" };
};

/** The pid recorded in `pidFile` if that process still runs; a stale file is removed. */
export const runningPid = (pidFile: string): number | undefined => {
  let text: string;
  try {
    text = readFileSync(pidFile, "utf8");
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(text.trim(), 10);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) return pid;
  rmSync(pidFile, { force: true });
  return undefined;
};

/** True when something accepts TCP connections on host:port. */
export const isPortOpen = (host: string, port: number, timeoutMs = 500): Promise<boolean> =>
  new Promise((resolvePromise) => {
    const socket = connect({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolvePromise(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });

/**
 * Polls `check` until it returns true or `timeoutMs` passes; returns whether it succeeded.
 * Gives up (false) once `signal` is aborted: after the check or pause under way.
 */
export const waitUntil = async (
  check: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs = 200,
  signal?: AbortSignal,
): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (signal?.aborted) return false;
    if (await check()) return true;
    await sleep(intervalMs);
  }
  return !signal?.aborted && check();
};

const signalGroup = (pid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group may already be gone; the process itself is signalled below.
  }
  try {
    process.kill(pid, signal);
  } catch {
    // Already exited.
  }
};

export interface StopTarget {
  readonly name: string;
  readonly host: string;
  readonly ports: readonly number[];
  readonly graceMs: number;
}

/**
 * Stops the process group recorded in `pidFile`: SIGTERM, then SIGKILL after the grace
 * period. Resolves once the process is gone and its ports are closed.
 * Returns false when there was nothing of ours to stop.
 */
export const stopByPidFile = async (pidFile: string, target: StopTarget): Promise<boolean> => {
  const pid = runningPid(pidFile);
  if (pid === undefined) return false;
  signalGroup(pid, "SIGTERM");
  const exited = await waitUntil(async () => !isAlive(pid), target.graceMs);
  if (!exited) signalGroup(pid, "SIGKILL");
  await waitUntil(async () => !isAlive(pid), 5_000);
  const portsClosed = await waitUntil(async () => {
    const open = await Promise.all(target.ports.map((port) => isPortOpen(target.host, port)));
    return open.every((isOpen) => !isOpen);
  }, 10_000);
  rmSync(pidFile, { force: true });
  if (isAlive(pid) || !portsClosed) {
    throw new ServiceStopError(
      `${target.name} (pid ${pid}) did not release ports ${target.ports.join(", ")}`,
    );
  }
  return true;
};

/** The last lines of a log file, for error messages. */
export const tailOf = (file: string, lines = 20): string => {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
};
