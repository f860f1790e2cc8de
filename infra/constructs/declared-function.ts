/**
 * One Lambda function built from its declaration: bundled from the declared entry with the
 * local esbuild (ESM, minified, code split, source maps, Node 24, arm64), its own role
 * holding only its own statements (no AWS managed policies), its own log group with a
 * retention (encrypted with the application's key), JSON logs at INFO, active tracing, and
 * its environment. Functions that produce to Kafka run in the VPC's
 * isolated subnets with the Kafka client security group; the others stay outside the VPC.
 *
 * @example
 * ```ts
 * const fn = new DeclaredFunction(this, declaration.name, { declaration, environment, ... });
 * fn.function.functionArn;
 * ```
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import type { FunctionDeclaration } from "../wiring/types";
import { bundledFunctionCode, FUNCTION_HANDLER, FUNCTION_NODE_OPTIONS } from "./bundling-options";
import { connectsToBrokers } from "./declaration-queries";
import type { PermissionTargets } from "./function-permissions";
import { functionPermissions } from "./function-permissions";

/** The repository root: declared entries are relative to it. */
const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Same major as the project's own Node and the local runtime (see docs/architecture.md, "Lambda event sources"). */
const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;
const FUNCTION_ARCHITECTURE = lambda.Architecture.ARM_64;

export interface KafkaNetwork {
  readonly vpc: ec2.IVpc;
  readonly clientSecurityGroup: ec2.ISecurityGroup;
}

export interface DeclaredFunctionProps {
  readonly declaration: FunctionDeclaration;
  readonly environment: Readonly<Record<string, string>>;
  readonly permissionTargets: Omit<PermissionTargets, "logGroupArn">;
  readonly kafkaNetwork: KafkaNetwork;
  readonly logRetention: logs.RetentionDays;
  /** Encrypts the function's log group. */
  readonly logsKey: kms.IKey;
}

export class DeclaredFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly declaration: FunctionDeclaration;

  constructor(scope: Construct, id: string, props: DeclaredFunctionProps) {
    super(scope, id);
    const { declaration } = props;
    this.declaration = declaration;

    const logGroup = new logs.LogGroup(this, "Logs", {
      retention: props.logRetention,
      encryptionKey: props.logsKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `Execution role of ${declaration.name}`,
    });
    for (const statement of functionPermissions(declaration, {
      ...props.permissionTargets,
      logGroupArn: logGroup.logGroupArn,
    })) {
      this.role.addToPrincipalPolicy(statement);
    }

    const inVpc = connectsToBrokers(declaration);
    this.function = new lambda.Function(this, "Function", {
      code: bundledFunctionCode(path.join(PROJECT_ROOT, declaration.entry), PROJECT_ROOT),
      handler: FUNCTION_HANDLER,
      description: declaration.description,
      runtime: FUNCTION_RUNTIME,
      architecture: FUNCTION_ARCHITECTURE,
      memorySize: declaration.memoryMb,
      timeout: Duration.seconds(declaration.timeoutSeconds),
      role: this.role,
      environment: { ...props.environment, NODE_OPTIONS: FUNCTION_NODE_OPTIONS },
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      tracing: lambda.Tracing.ACTIVE,
      ...(inVpc
        ? {
            vpc: props.kafkaNetwork.vpc,
            vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
            securityGroups: [props.kafkaNetwork.clientSecurityGroup],
          }
        : {}),
    });
  }
}
