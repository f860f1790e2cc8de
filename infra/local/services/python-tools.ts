/**
 * The project's Python tools (moto, cfn-lint, checkov): pinned in
 * `infra/local/python-tools.txt` and installed by `infra/local/ensure-python-tools.sh` into
 * the project's own virtual environment, `.local/python`, once per requirements content, as the
 * Kafka jars are. Never the machine's Python, never a `moto_server` found on PATH.
 *
 * @example
 * ```ts
 * const python = await ensurePythonTools(settings.projectRoot, console.log);
 * spawn(python, ["infra/local/services/moto_atomic.py", "-p", "4566"]);
 * ```
 */
import { join } from "node:path";
import { ServiceStartError } from "./errors";
import { runScript } from "./script-run";

/** The project's virtual environment, relative to the repository root. */
export const PYTHON_TOOLS_VENV = ".local/python";

/** The installer script, relative to the repository root. */
export const PYTHON_TOOLS_INSTALLER = "infra/local/ensure-python-tools.sh";

/** The venv's Python interpreter under `projectRoot`. */
export const pythonToolsInterpreter = (projectRoot: string): string =>
  join(projectRoot, PYTHON_TOOLS_VENV, "bin", "python");

/**
 * Installs the tools when missing or stale (the script decides, by a stamp of the
 * requirements), logging its lines as they come, and returns the venv's Python interpreter.
 * With `report`, the script also says when they are already present. Rejects with the
 * script's error output when it fails (no python3, no venv module, pip).
 */
export const ensurePythonTools = async (
  projectRoot: string,
  log: (line: string) => void,
  options: { readonly report?: boolean } = {},
): Promise<string> => {
  const args = options.report === true ? ["--report"] : [];
  const outcome = await runScript(PYTHON_TOOLS_INSTALLER, args, projectRoot, log).catch(
    (error: unknown) => {
      throw new ServiceStartError(`${PYTHON_TOOLS_INSTALLER} did not run: ${String(error)}`);
    },
  );
  if (outcome.code !== 0) {
    throw new ServiceStartError(
      `The project's Python tools could not be installed into ${PYTHON_TOOLS_VENV} (${PYTHON_TOOLS_INSTALLER}, exit ${outcome.code}):\n${outcome.errors.slice(-40).join("\n")}`,
    );
  }
  return pythonToolsInterpreter(projectRoot);
};
