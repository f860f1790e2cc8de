/**
 * Runs `npm run invoke` or `npm run event`'s entry as a user would, in a child process from
 * the repository's root: its stdout, stderr and exit code (`test/support/tool-run.ts`).
 */
import type { Readable } from "node:stream";
import { runTool, type ToolRun } from "../../support/tool-run";

export { ROOT } from "../../support/tool-run";

/** What a run printed and how it ended. */
export type CommandRun = ToolRun;

/** Runs `infra/local/<command>.ts` with `args`, `stdin` written or piped to its standard input. */
export const runCommand = (
  command: "invoke" | "event",
  args: readonly string[],
  stdin: string | Readable = "",
): Promise<CommandRun> => runTool(command, args, {}, stdin);
