/**
 * The command line's AWS mode: finds the deployed dead-letters function (from
 * `DEAD_LETTERS_FUNCTION_NAME`, else the stack's `DeadLettersFunctionName` output) and sends
 * each request to it with Lambda's Invoke, as a {@link DeadLetterTransport}. The SDK honours
 * `AWS_ENDPOINT_URL_LAMBDA` and `AWS_ENDPOINT_URL_CLOUDFORMATION`, so the same code runs
 * against the local runtime's invoke endpoint and moto offline. A client whose endpoint is on
 * this machine gets dummy credentials and the region `AWS_REGION`, else `us-east-1`, as the
 * local tools' clients do: offline, nothing needs an AWS account.
 *
 * @example
 * ```ts
 * const transport = await lambdaTransport(process.env, "orders-prod");
 * const answer = await transport.run({ command: "list", filters: {} });
 * await transport.close();
 * ```
 */
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { awsClientConfig, awsServiceEndpoint, isLoopbackEndpoint } from "../services/aws-endpoints";
import { type DeadLetterTransport, functionTransport } from "./local-transport";

/** The stack output that names the dead-letters function. */
export const DEAD_LETTERS_FUNCTION_OUTPUT = "DeadLettersFunctionName";

type Environment = Readonly<Record<string, string | undefined>>;

/** The region of a client on a loopback endpoint when `AWS_REGION` names none. */
const LOCAL_REGION = "us-east-1";

/**
 * A client's settings: the SDK's own chain (credentials, region, endpoint variables), except on
 * an endpoint on this machine: dummy credentials, and `AWS_REGION` or else `us-east-1` (a
 * profile's region is not read there).
 */
const clientConfig = (env: Environment, service: "LAMBDA" | "CLOUDFORMATION") => {
  const endpoint = awsServiceEndpoint(env, service);
  if (endpoint === undefined || !isLoopbackEndpoint(endpoint)) return {};
  return awsClientConfig(endpoint, service, env.AWS_REGION || LOCAL_REGION);
};

/** The function could not be found from the stack or the configuration. */
export class DeadLettersFunctionNotFound extends Error {
  override readonly name = "DeadLettersFunctionNotFound";
}

/** The function's name: `DEAD_LETTERS_FUNCTION_NAME`, else the stack's output. */
export const resolveFunctionName = async (
  env: Environment,
  stack: string | undefined,
): Promise<string> => {
  const configured = env.DEAD_LETTERS_FUNCTION_NAME;
  if (configured !== undefined && configured !== "") return configured;
  if (stack === undefined) {
    throw new DeadLettersFunctionNotFound(
      "no dead-letters function: pass --stack NAME or set DEAD_LETTERS_FUNCTION_NAME",
    );
  }
  const cloudFormation = new CloudFormationClient(clientConfig(env, "CLOUDFORMATION"));
  try {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stack }));
    const output = Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === DEAD_LETTERS_FUNCTION_OUTPUT);
    if (output?.OutputValue === undefined) {
      throw new DeadLettersFunctionNotFound(
        `stack ${stack} has no ${DEAD_LETTERS_FUNCTION_OUTPUT} output: is it deployed from this version?`,
      );
    }
    return output.OutputValue;
  } finally {
    cloudFormation.destroy();
  }
};

/** Lambda's error payload, or a description of what came back instead. */
const functionErrorOf = (
  payload: string,
  functionError: string,
): { errorType: string; errorMessage: string } => {
  try {
    const parsed: unknown = JSON.parse(payload);
    if (typeof parsed === "object" && parsed !== null && "errorMessage" in parsed) {
      const { errorType, errorMessage } = parsed as Record<string, unknown>;
      return {
        errorType: typeof errorType === "string" ? errorType : functionError,
        errorMessage: String(errorMessage),
      };
    }
  } catch {
    // Not JSON: reported whole below.
  }
  return { errorType: functionError, errorMessage: payload };
};

/** The transport through the deployed function, by Lambda's Invoke (RequestResponse). */
export const lambdaTransport = async (
  env: Environment,
  stack: string | undefined,
): Promise<DeadLetterTransport> => {
  const functionName = await resolveFunctionName(env, stack);
  const lambda = new LambdaClient(clientConfig(env, "LAMBDA"));
  return functionTransport(
    async (event) => {
      const response = await lambda.send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: "RequestResponse",
          Payload: new TextEncoder().encode(JSON.stringify(event)),
        }),
      );
      const payload = new TextDecoder().decode(response.Payload ?? new Uint8Array());
      if (response.FunctionError !== undefined) {
        return { ok: false, error: functionErrorOf(payload, response.FunctionError) };
      }
      return { ok: true, value: JSON.parse(payload) as unknown };
    },
    async () => lambda.destroy(),
  );
};
