/**
 * Errors of the local service manager. Each message says what is wrong and what to do.
 *
 * @example
 * ```ts
 * throw new MissingPrerequisiteError("java", "apt-get install openjdk-17-jre-headless");
 * ```
 */

/** A program the local stack needs is not installed. */
export class MissingPrerequisiteError extends Error {
  override readonly name = "MissingPrerequisiteError";

  constructor(
    readonly program: string,
    readonly howToInstall: string,
  ) {
    super(`'${program}' was not found on PATH. Install it: ${howToInstall}`);
  }
}

/** A service did not start or did not answer in time. */
export class ServiceStartError extends Error {
  override readonly name = "ServiceStartError";
}

/** A service did not stop, or left its port bound. */
export class ServiceStopError extends Error {
  override readonly name = "ServiceStopError";
}
