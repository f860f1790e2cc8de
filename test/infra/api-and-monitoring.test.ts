import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { systemWiring } from "../../infra/wiring/system-wiring";
import { synthesizeSystem } from "./support/synthesize-system";
import { functionResource, resourceAt, resourcesOfType } from "./support/template-queries";

const system = synthesizeSystem();
const routes = systemWiring.functions.flatMap((fn) =>
  (fn.routes ?? []).map((route) => ({ name: fn.name, routeKey: `${route.method} ${route.path}` })),
);

const alarmsOf = () =>
  resourcesOfType(system.application, "AWS::CloudWatch::Alarm").map(
    ([, alarm]) => alarm.Properties ?? {},
  );

describe("HTTP API", () => {
  it.each(routes)("routes $routeKey to $name, IAM-authorized", ({ name, routeKey }) => {
    // Prepare
    const integrations = resourcesOfType(system.application, "AWS::ApiGatewayV2::Integration");
    const fn = functionResource(system.application, name);

    // Assess
    system.application.hasResourceProperties("AWS::ApiGatewayV2::Route", {
      RouteKey: routeKey,
      AuthorizationType: "AWS_IAM",
    });
    expect(integrations).toHaveLength(1);
    expect(integrations[0]?.[1].Properties).toMatchObject({
      IntegrationType: "AWS_PROXY",
      PayloadFormatVersion: "2.0",
      IntegrationUri: { "Fn::GetAtt": [fn.logicalId, "Arn"] },
    });
  });

  it("builds no route that is not declared", () => {
    system.application.resourceCountIs("AWS::ApiGatewayV2::Route", routes.length);
  });

  it("throttles the stage and writes JSON access logs with the request id", () => {
    // Act
    const stage = resourceAt(
      system.application,
      "AWS::ApiGatewayV2::Stage",
      "HttpApi/DefaultStage/Resource",
    ).properties;
    const settings = stage.AccessLogSettings as { Format: string; DestinationArn: unknown };

    // Assess
    expect(stage).toMatchObject({
      StageName: "$default",
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
    expect(JSON.parse(settings.Format)).toMatchObject({ requestId: "$context.requestId" });
    expect(settings.DestinationArn).toEqual({
      "Fn::GetAtt": [expect.stringMatching(/^HttpApiAccessLogs/), "Arn"],
    });
  });
});

describe("alarms and dashboard", () => {
  it.each(systemWiring.functions)("$name has error and throttle alarms", (fn) => {
    // Prepare
    const { logicalId } = functionResource(system.application, fn.name);
    const onThisFunction = alarmsOf().filter((alarm) =>
      JSON.stringify(alarm.Dimensions ?? []).includes(logicalId),
    );

    // Assess
    expect(onThisFunction.map((alarm) => alarm.MetricName)).toEqual(
      expect.arrayContaining(["Errors", "Throttles"]),
    );
  });

  it.each(systemWiring.functions.filter((fn) => fn.trigger?.kind === "kafka"))(
    "$name has an offset lag alarm on its mapping",
    (fn) => {
      // Prepare
      const { logicalId } = functionResource(system.application, fn.name);

      // Assess
      system.application.hasResourceProperties("AWS::CloudWatch::Alarm", {
        Namespace: "AWS/Lambda",
        MetricName: "OffsetLag",
        Statistic: "Maximum",
        Dimensions: [{ Name: "FunctionName", Value: { Ref: logicalId } }],
        Threshold: 1000,
        EvaluationPeriods: 5,
      });
    },
  );

  it("watches the relay's stream iterator age", () => {
    system.application.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "IteratorAge",
      Dimensions: [
        {
          Name: "FunctionName",
          Value: { Ref: functionResource(system.application, "outbox-relay").logicalId },
        },
      ],
      Threshold: 60_000,
    });
  });

  it("alarms on records dead-lettered by each consumer and items parked by the relay", () => {
    // Act
    const deadLetterAlarms = alarmsOf().filter(
      (alarm) => alarm.MetricName === "RecordsDeadLettered",
    );

    // Assess
    const deadLetteringFunctions = systemWiring.functions
      .filter((fn) => fn.environment.DEAD_LETTER_TOPIC !== undefined)
      .map((fn) => fn.name);
    // Every place a dead letter lands alarms: the DLQ topic (consumers), the relay's parked
    // items (its RecordsDeadLettered), and the on-failure destinations (the next test).
    deadLetteringFunctions.push("outbox-relay");
    expect(deadLetteringFunctions).toEqual(expect.arrayContaining(["unrouted-events"]));
    expect(deadLetterAlarms.map((alarm) => alarm.Dimensions)).toEqual(
      deadLetteringFunctions.map((service) => [{ Name: "service", Value: service }]),
    );
    for (const alarm of deadLetterAlarms) expect(alarm.Namespace).toBe("OrderEvents");
  });

  it("alarms on records discarded to every on-failure destination, and on relay failures", () => {
    // Act
    const onFailure = alarmsOf().filter(
      (alarm) => alarm.MetricName === "OnFailureDestinationDeliveredEventCount",
    );
    const mappings = resourcesOfType(system.application, "AWS::Lambda::EventSourceMapping").map(
      ([logicalId]) => logicalId,
    );

    // Assess
    expect(onFailure.map((alarm) => alarm.Dimensions)).toEqual(
      expect.arrayContaining(
        mappings.map((logicalId) => [
          { Name: "EventSourceMappingUUID", Value: { Ref: logicalId } },
        ]),
      ),
    );
    system.application.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "DestinationDeliveryFailures",
    });
  });

  it("notifies one TLS-only topic from every alarm, on alarm and on recovery", () => {
    // Act
    const [topicId] = Object.keys(system.application.findResources("AWS::SNS::Topic"));

    // Assess
    for (const alarm of alarmsOf()) {
      expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.OKActions).toEqual([{ Ref: topicId }]);
    }
    system.application.hasResourceProperties("AWS::SNS::TopicPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: "Deny",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          }),
        ]),
      },
    });
  });

  it("shows lag, iterator age, failures and every alarm on one dashboard", () => {
    // Act
    const [dashboard] = resourcesOfType(system.application, "AWS::CloudWatch::Dashboard");
    const body = JSON.stringify(dashboard?.[1].Properties?.DashboardBody);

    // Assess
    for (const metric of [
      "OffsetLag",
      "IteratorAge",
      "Errors",
      "Throttles",
      "RecordsDeadLettered",
      "OnFailureDestinationDeliveredEventCount",
    ]) {
      expect(body).toContain(metric);
    }
    expect(body).toContain("alarms");
  });
});
