/**
 * dead-letters: runs the dead-letters tool's operations (`list`, `show`, `redrive`, `purge`)
 * where the places are, in the VPC beside MSK, for `npm run dead-letters -- --stack`. The
 * event is the command line's request, the answer what the command prints. Configuration:
 * `shared/dead-letters/inventory/operation-environment.ts`; the runbook:
 * `docs/operations.md`.
 */
import { S3Client } from "@aws-sdk/client-s3";
import * as z from "zod/mini";
import { parseEnvironment } from "../../shared/config";
import {
  type DeadLetterAnswer,
  operationDependencies,
  runDeadLetterOperation,
} from "../../shared/dead-letters/inventory";
import { setupTracing } from "../../shared/observability";

const config = parseEnvironment(
  z.object({
    POWERTOOLS_SERVICE_NAME: z._default(z.string(), "dead-letters"),
    S3_FORCE_PATH_STYLE: z._default(z.stringbool(), false),
  }),
  process.env,
);
setupTracing({ serviceName: config.POWERTOOLS_SERVICE_NAME });

// Module scope: a warm function reuses its producer and clients.
const { dependencies } = operationDependencies(process.env, {
  s3: new S3Client({ forcePathStyle: config.S3_FORCE_PATH_STYLE }),
});

/** Answers one request; a malformed one fails the invocation with a `$ZodError` naming it. */
export const handler = (event: unknown): Promise<DeadLetterAnswer> =>
  runDeadLetterOperation(event, dependencies);
