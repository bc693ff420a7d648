// Stack configuration: every knob has a default, so `pulumi up` works on a fresh stack.
// Set values with `pulumi config set <key> <value>` (keys below, in this project's namespace).

import * as pulumi from "@pulumi/pulumi";

export interface StackConfig {
  readonly region: string;
  readonly serviceName: string;
  readonly instanceType: string;
  readonly imageId: string;
  readonly fleetSize: number;
  readonly minHealthyFleetPercent: number;
  readonly minHealthyHostsPerZone: number;
  readonly zoneMonitorSeconds: number;
  readonly firstZoneMonitorSeconds: number;
  readonly appPort: number;
  readonly vpcCidr: string;
  readonly ingressCidr: string;
  readonly lambdaDeploymentConfig: string;
  readonly alb5xxRatePercent: number;
  readonly albP99LatencySeconds: number;
  readonly lambdaErrorsPerMinute: number;
  readonly lambdaP99DurationMs: number;
  readonly predictionErrorRate: number;
  readonly metricsNamespace: string;
  readonly notificationEmail: string | undefined;
}

function fail(key: string, message: string): never {
  throw new pulumi.RunError(`Invalid config '${key}': ${message}`);
}

export function loadConfig(): StackConfig {
  const cfg = new pulumi.Config();
  const awsCfg = new pulumi.Config("aws");
  const num = (key: string, def: number, min: number, max: number, integer = true): number => {
    const v = cfg.getNumber(key) ?? def;
    if (!Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
      fail(key, `expected ${integer ? "an integer" : "a number"} from ${min} to ${max}, got ${v}`);
    }
    return v;
  };
  const fleetSize = num("fleetSize", 4, 4, 100);
  const minHealthyFleetPercent = num("minHealthyFleetPercent", 66, 1, 99);
  // FLEET_PERCENT becomes a host count at deployment start, rounded up; if that is the whole fleet,
  // CodeDeploy fails every deployment at once.
  if (Math.ceil((fleetSize * minHealthyFleetPercent) / 100) >= fleetSize) {
    fail(
      "minHealthyFleetPercent",
      `${minHealthyFleetPercent}% of ${fleetSize} hosts is the whole fleet, so no deployment could start; lower it or add hosts`,
    );
  }
  const minHealthyHostsPerZone = num("minHealthyHostsPerZone", 1, 1, 50);
  // Hosts are spread over two zones: each zone must keep at least one host out of service possible.
  if (minHealthyHostsPerZone >= Math.floor(fleetSize / 2)) {
    fail(
      "minHealthyHostsPerZone",
      `with ${fleetSize} hosts in two zones, keeping ${minHealthyHostsPerZone} healthy per zone leaves nothing to deploy to; lower it or add hosts`,
    );
  }
  const lambdaDeploymentConfig = cfg.get("lambdaDeploymentConfig") ?? "CodeDeployDefault.LambdaCanary10Percent5Minutes";
  if (!/^CodeDeployDefault\.Lambda(Canary|Linear)/.test(lambdaDeploymentConfig)) {
    fail("lambdaDeploymentConfig", `expected a built-in canary or linear Lambda config, got ${lambdaDeploymentConfig}`);
  }
  return {
    region: cfg.get("region") ?? awsCfg.get("region") ?? "us-east-1",
    serviceName: cfg.get("serviceName") ?? "inference",
    instanceType: cfg.get("instanceType") ?? "c6i.large",
    imageId: cfg.get("imageId") ?? "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    fleetSize,
    minHealthyFleetPercent,
    minHealthyHostsPerZone,
    zoneMonitorSeconds: num("zoneMonitorSeconds", 300, 0, 3600),
    firstZoneMonitorSeconds: num("firstZoneMonitorSeconds", 900, 0, 3600),
    appPort: num("appPort", 8080, 1024, 65535),
    vpcCidr: cfg.get("vpcCidr") ?? "10.42.0.0/16",
    ingressCidr: cfg.get("ingressCidr") ?? "0.0.0.0/0",
    lambdaDeploymentConfig,
    alb5xxRatePercent: num("alb5xxRatePercent", 1, 0, 100, false),
    albP99LatencySeconds: num("albP99LatencySeconds", 1.5, 0, 60, false),
    lambdaErrorsPerMinute: num("lambdaErrorsPerMinute", 3, 0, 100000),
    lambdaP99DurationMs: num("lambdaP99DurationMs", 1000, 1, 900000),
    predictionErrorRate: num("predictionErrorRate", 0.05, 0, 1, false),
    metricsNamespace: cfg.get("metricsNamespace") ?? "ModelServing/Inference",
    notificationEmail: cfg.get("notificationEmail"),
  };
}
