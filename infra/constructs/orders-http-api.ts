/**
 * The HTTP API (API Gateway HTTP API, payload format 2.0): every declared route of every
 * function, stage throttling, JSON access logs (encrypted with the application's key), and
 * authorization. By default every route
 * requires IAM (SigV4-signed requests); `apiAuthorization=none` opens the API for a demo,
 * still throttled.
 *
 * @example
 * ```ts
 * const api = new OrdersHttpApi(this, "Api", { routes: [{ fn, route }], authorization: "iam", ... });
 * api.url; // https://abc123.execute-api.eu-west-1.amazonaws.com/
 * ```
 */
import { RemovalPolicy } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import * as apigw from "aws-cdk-lib/aws-apigatewayv2";
import { HttpIamAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import type * as kms from "aws-cdk-lib/aws-kms";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import type { HttpRoute } from "../wiring/types";

export interface RoutedFunction {
  readonly name: string;
  readonly fn: lambda.IFunction;
  readonly routes: readonly HttpRoute[];
}

export interface OrdersHttpApiProps {
  readonly functions: readonly RoutedFunction[];
  readonly authorization: "iam" | "none";
  readonly rateLimit: number;
  readonly burstLimit: number;
  readonly logRetention: logs.RetentionDays;
  /** Encrypts the access logs. */
  readonly logsKey: kms.IKey;
}

const ACCESS_LOG_FIELDS = {
  requestId: "$context.requestId",
  ip: "$context.identity.sourceIp",
  caller: "$context.identity.caller",
  requestTime: "$context.requestTime",
  routeKey: "$context.routeKey",
  status: "$context.status",
  protocol: "$context.protocol",
  responseLength: "$context.responseLength",
  latencyMs: "$context.responseLatency",
  integrationLatencyMs: "$context.integrationLatency",
  integrationError: "$context.integrationErrorMessage",
  error: "$context.error.message",
} as const;

export class OrdersHttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly url: string;

  constructor(scope: Construct, id: string, props: OrdersHttpApiProps) {
    super(scope, id);
    this.api = new apigw.HttpApi(this, "Api", {
      description: "Orders: commands with the transactional outbox, and read-model queries",
      createDefaultStage: false,
      ...(props.authorization === "iam" ? { defaultAuthorizer: new HttpIamAuthorizer() } : {}),
    });

    const accessLogs = new logs.LogGroup(this, "AccessLogs", {
      retention: props.logRetention,
      encryptionKey: props.logsKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new apigw.HttpStage(this, "DefaultStage", {
      httpApi: this.api,
      stageName: "$default",
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    this.url = this.stage.url;

    for (const routed of props.functions) {
      const integration = new HttpLambdaIntegration(`${routed.name}Integration`, routed.fn);
      for (const route of routed.routes) {
        this.api.addRoutes({
          path: route.path,
          methods: [apigw.HttpMethod[route.method]],
          integration,
        });
      }
    }
  }
}
