/**
 * What every local service (Kafka broker, moto server) offers the service manager.
 *
 * @example
 * ```ts
 * const state = await service.up(console.log); // "started" | "reused"
 * ```
 */

/**
 * `ours`: started by this checkout (pid file present); `external`: answering, but started by
 * someone else, so it is reused and never stopped from here.
 */
export type ServiceStatus =
  | { readonly state: "running"; readonly owner: "ours"; readonly pid: number }
  | { readonly state: "running"; readonly owner: "external" }
  | { readonly state: "stopped" };

export interface LocalService {
  readonly name: string;
  /** Where clients reach it (broker list or URL). */
  readonly endpoint: string;
  /** Where its output goes. */
  readonly logFile: string;
  /**
   * Starts it unless it already answers; resolves once it really answers. Once `signal` is
   * aborted it starts no process and stops waiting: it stops the process it started, if
   * any, and rejects with the signal's reason.
   */
  up(log: (line: string) => void, signal?: AbortSignal): Promise<"started" | "reused">;
  /** Stops it if this checkout started it; resolves once no process and no port is left. */
  down(): Promise<boolean>;
  status(): Promise<ServiceStatus>;
}
