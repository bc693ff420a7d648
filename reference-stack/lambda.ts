// Lambda path: a small inference function (a logistic model) with a `live` alias, a CodeDeploy `Lambda`
// application and a deployment group that shifts the alias by canary. The function publishes a
// prediction error metric through the CloudWatch embedded metric format.

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assumeRolePolicy, codedeployServiceRole, predictionErrorAlarm, type StackContext } from "./context";
import { SafeDeploymentGroup } from "./safeDeploymentGroup";

/**
 * The inference function's runtime, in one place. Lambda supports `nodejs24.x` (Node.js 24) until
 * 30 April 2028, when AWS deprecates it; in the months after, Lambda first refuses to create functions
 * on it, then to update them. Move to the next Node.js LTS runtime before April 2028 (the Lambda
 * developer guide's "Lambda runtimes" page has the dates). `nodejs20.x` no longer takes new functions.
 */
export const LAMBDA_RUNTIME = aws.lambda.Runtime.NodeJS24dX;

const HANDLER_SOURCE = `// Inference handler: a logistic model over a fixed-size feature vector.
const WEIGHTS = [0.42, -1.3, 0.77, 0.05];
const BIAS = -0.2;
const NAMESPACE = process.env.METRICS_NAMESPACE;
const SERVICE = process.env.SERVICE_NAME;

function emit(predictionError) {
  // CloudWatch embedded metric format: the log line becomes a metric, no API call needed.
  console.log(JSON.stringify({
    _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: NAMESPACE, Dimensions: [["Service", "Platform"]], Metrics: [{ Name: "PredictionError", Unit: "None" }] }] },
    Service: SERVICE,
    Platform: "lambda",
    ModelVersion: process.env.MODEL_VERSION,
    PredictionError: predictionError,
  }));
}

export const handler = async (event) => {
  const features = event && Array.isArray(event.features) ? event.features.map(Number) : null;
  if (!features || features.length !== WEIGHTS.length || features.some((x) => !Number.isFinite(x))) {
    emit(1);
    return { statusCode: 400, body: JSON.stringify({ error: "features must be " + WEIGHTS.length + " numbers" }) };
  }
  const z = features.reduce((acc, x, i) => acc + x * WEIGHTS[i], BIAS);
  const score = 1 / (1 + Math.exp(-z));
  emit(Number.isFinite(score) ? 0 : 1);
  return { statusCode: 200, body: JSON.stringify({ model: process.env.MODEL_VERSION, score }) };
};
`;

export function lambdaPath(ctx: StackContext) {
  const { config, service, stack, tags, opts } = ctx;
  const lambdaRole = new aws.iam.Role(`${service}-fn`, { assumeRolePolicy: assumeRolePolicy("lambda.amazonaws.com") }, opts);
  new aws.iam.RolePolicyAttachment(
    `${service}-fn-logs`,
    { role: lambdaRole.name, policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" },
    opts,
  );
  const lambdaLogs = new aws.cloudwatch.LogGroup(`${service}-fn`, { name: `/${service}/${stack}/lambda`, retentionInDays: 30 }, opts);

  const inferenceFunction = new aws.lambda.Function(
    `${service}-fn`,
    {
      runtime: LAMBDA_RUNTIME,
      handler: "index.handler",
      role: lambdaRole.arn,
      code: new pulumi.asset.AssetArchive({ "index.mjs": new pulumi.asset.StringAsset(HANDLER_SOURCE) }),
      publish: true,
      memorySize: 512,
      timeout: 10,
      loggingConfig: { logFormat: "Text", logGroup: lambdaLogs.name },
      environment: {
        variables: { METRICS_NAMESPACE: config.metricsNamespace, SERVICE_NAME: service, MODEL_VERSION: "2024-01-01" },
      },
    },
    opts,
  );
  // CodeDeploy moves the alias between versions; Pulumi must not move it back.
  const liveAlias = new aws.lambda.Alias(
    `${service}-live`,
    { name: "live", functionName: inferenceFunction.name, functionVersion: inferenceFunction.version },
    { ...opts, ignoreChanges: ["functionVersion", "routingConfig"] },
  );

  const lambdaDeployRole = codedeployServiceRole(ctx, "lambda", "arn:aws:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda");
  const lambdaApp = new aws.codedeploy.Application(`${service}-lambda`, { computePlatform: "Lambda" }, opts);
  const aliasResource = pulumi.interpolate`${inferenceFunction.name}:${liveAlias.name}`;
  const group = new SafeDeploymentGroup(
    `${service}-lambda`,
    {
      applicationName: lambdaApp.name,
      computePlatform: "Lambda",
      serviceRoleArn: lambdaDeployRole.arn,
      deploymentConfigName: config.lambdaDeploymentConfig,
      notificationTopicArn: ctx.deploymentTopic.arn,
      alarms: [
        {
          key: "fn-errors",
          description: `More than ${config.lambdaErrorsPerMinute} invocation errors a minute on the live alias`,
          metric: {
            namespace: "AWS/Lambda",
            metricName: "Errors",
            dimensions: { FunctionName: inferenceFunction.name, Resource: aliasResource },
            stat: "Sum",
          },
          threshold: config.lambdaErrorsPerMinute,
          evaluationPeriods: 2,
        },
        {
          key: "fn-p99-duration",
          description: `p99 duration above ${config.lambdaP99DurationMs} ms on the live alias`,
          metric: {
            namespace: "AWS/Lambda",
            metricName: "Duration",
            dimensions: { FunctionName: inferenceFunction.name, Resource: aliasResource },
            stat: "p99",
          },
          threshold: config.lambdaP99DurationMs,
        },
        predictionErrorAlarm(ctx, "lambda"),
      ],
      tags,
    },
    { provider: ctx.provider },
  );

  return {
    applicationName: lambdaApp.name,
    deploymentGroupName: group.deploymentGroupName,
    deploymentConfigName: config.lambdaDeploymentConfig,
    functionName: inferenceFunction.name,
    runtime: LAMBDA_RUNTIME,
    aliasName: liveAlias.name,
    alarmNames: group.alarmNames,
  };
}
