/**
 * What a command-line tool does when whoever reads its standard output goes away first
 * (`npm run -s logs -- order-created | head -3`, or `npm run -s event ... | npm run -s invoke ...`
 * where `invoke` failed): Node reports the next write as an `EPIPE` error, which, unhandled,
 * crashes the tool with a stack trace printed over the reader's own message. Here the tool
 * ends at once, quietly and with exit code 0, as tools killed by `SIGPIPE` do in a shell.
 */

/**
 * Makes the process end quietly, with exit code 0, once its standard output's reader has gone;
 * any other error of the stream is rethrown. Call it first thing in a tool's entry.
 *
 * @example
 * ```ts
 * // infra/local/logs.ts
 * exitQuietlyWhenStdoutCloses();
 * process.stdout.write(line);
 * ```
 */
export const exitQuietlyWhenStdoutCloses = (stdout: NodeJS.WriteStream = process.stdout): void => {
  stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(0);
  });
};
