/** The environment of an `npm start` that shares nothing with another run. */
import { freePorts } from "./free-ports";

/**
 * Free ports for the HTTP API, console, Invoke API, broker and moto of one `npm start`, and
 * `stateDir` as its state folder, so it starts and stops a broker and a moto of its own.
 * Hot reload is off.
 *
 * @example
 * ```ts
 * const env = await privateStartEnvironment(await mkdtemp(join(tmpdir(), "run-")));
 * spawn("npm", ["start"], { env, detached: true });
 * ```
 */
export const privateStartEnvironment = async (stateDir: string): Promise<NodeJS.ProcessEnv> => {
  const [httpPort, consolePort, lambdaPort, kafkaPort, controllerPort, motoPort] =
    await freePorts(6);
  return {
    ...process.env,
    LOCAL_HTTP_PORT: String(httpPort),
    LOCAL_CONSOLE_PORT: String(consolePort),
    LOCAL_LAMBDA_PORT: String(lambdaPort),
    LOCAL_KAFKA_PORT: String(kafkaPort),
    LOCAL_KAFKA_CONTROLLER_PORT: String(controllerPort),
    LOCAL_MOTO_PORT: String(motoPort),
    LOCAL_STATE_DIR: stateDir,
    LOCAL_HOT_RELOAD: "false",
  };
};
