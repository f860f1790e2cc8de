/**
 * `npm run dead-letters -- <list|show|redrive|purge>`: every dead letter of the four places,
 * shown, redriven or purged (`docs/operations.md`); `--help` prints the usage. Exit codes:
 * 0 done, 1 a letter missing or a redrive failed, 2 bad usage or a refused purge.
 *
 * @example
 * ```sh
 * npm run dead-letters -- list --place dlq --json
 * npm run dead-letters -- redrive --kind permanent --dry-run
 * ```
 */
import { createInterface } from "node:readline/promises";
import { lambdaTransport } from "./dead-letters/lambda-transport";
import { type DeadLetterTransport, localTransport } from "./dead-letters/local-transport";
import {
  DEAD_LETTERS_USAGE,
  type DeadLettersOptions,
  DeadLettersUsageError,
  readDeadLettersOptions,
} from "./dead-letters/options";
import { printAnswer, summaryLine } from "./dead-letters/output";
import { exitQuietlyWhenStdoutCloses } from "./dev-tools/closed-stdout";

const output = {
  write: (line: string) => process.stdout.write(`${line}\n`),
  warn: (line: string) => process.stderr.write(`${line}\n`),
};

/** Asks before a purge; refuses without a terminal to ask on. */
const confirmPurge = async (
  transport: DeadLetterTransport,
  options: DeadLettersOptions,
): Promise<boolean> => {
  if (options.yes || options.request.command !== "purge") return true;
  if (!process.stdin.isTTY) {
    output.warn("purge needs a confirmation: run it in a terminal, or add --yes");
    return false;
  }
  const listed = await transport.run({ command: "list", filters: options.request.filters });
  if (listed.command !== "list" || listed.entries.length === 0) return true;
  for (const entry of listed.entries) output.write(summaryLine(entry));
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await prompt.question(
    `Drop these ${listed.entries.length} dead letter(s)? [y/N] `,
  );
  prompt.close();
  return /^y(es)?$/i.test(answer.trim());
};

const run = async (options: DeadLettersOptions): Promise<number> => {
  // Reading only: `list | head` may end it. A redrive's or purge's exit code must survive.
  const { command } = options.request;
  if (command === "list" || command === "show") exitQuietlyWhenStdoutCloses();
  // AWS mode when pointed at a deployed function; else in-process against local places.
  const transport =
    options.stack !== undefined || (process.env.DEAD_LETTERS_FUNCTION_NAME ?? "") !== ""
      ? await lambdaTransport(process.env, options.stack)
      : localTransport(process.env);
  try {
    if (!(await confirmPurge(transport, options))) return 2;
    return printAnswer(await transport.run(options.request), { ...output, json: options.json });
  } finally {
    await transport.close();
  }
};

const main = async (): Promise<number> => {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    output.write(DEAD_LETTERS_USAGE);
    return 0;
  }
  try {
    return await run(readDeadLettersOptions(args, new Date()));
  } catch (error) {
    if (error instanceof DeadLettersUsageError) {
      output.warn(error.message);
      return 2;
    }
    output.warn(
      `dead-letters failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    );
    return 1;
  }
};

process.exitCode = await main();
