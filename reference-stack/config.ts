// Stack configuration: every knob has a default, so `pulumi up` works on a fresh stack.
// Set values with `pulumi config set <key> <value>` (keys below, in this project's namespace).
// A value that would give a stack CodeDeploy or AWS refuses (or one that can never deploy) fails the
// program before anything is registered, naming the key and what to change.

import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_DEPLOYMENT_CONFIG, GRADUAL_BUILT_IN_CONFIGS, MAX_BLUE_GREEN_TERMINATION_WAIT_MINUTES } from "./safeDeploymentGroupArgs";

/** The three deployment paths; each can be left out (`enableEc2`, `enableLambda`, `enableEcs`). */
export type DeploymentPath = "ec2" | "lambda" | "ecs";

export interface StackConfig {
  readonly region: string;
  readonly serviceName: string;
  readonly paths: ReadonlySet<DeploymentPath>;
  /** ACM certificate for the load balancers' HTTPS listeners; without one they serve plain HTTP. */
  readonly certificateArn: string | undefined;
  /** Who may reach the production listeners. */
  readonly ingressCidrs: readonly string[];
  readonly instanceType: string;
  readonly imageId: string;
  readonly fleetSize: number;
  readonly minHealthyFleetPercent: number;
  readonly minHealthyHostsPerZone: number;
  readonly zoneMonitorSeconds: number;
  readonly firstZoneMonitorSeconds: number;
  /** EC2 blue/green (CodeDeploy copies the Auto Scaling group) instead of in place. */
  readonly ec2BlueGreen: boolean;
  readonly ec2TerminationWaitMinutes: number;
  readonly appPort: number;
  readonly vpcCidr: string;
  readonly lambdaDeploymentConfig: string;
  readonly ecsImage: string;
  readonly ecsCpu: number;
  readonly ecsMemory: number;
  readonly ecsDesiredCount: number;
  readonly ecsDeploymentConfig: string;
  readonly ecsTerminationWaitMinutes: number;
  readonly testListenerPort: number;
  /** Who may reach the ECS test listener (the replacement task set before it takes production traffic). */
  readonly testIngressCidrs: readonly string[];
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

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const IPV6_CIDR = /^[0-9a-fA-F:]+\/(\d{1,3})$/;

/** A comma-separated list of IPv4 or IPv6 CIDR blocks. */
export function parseCidrs(key: string, text: string): string[] {
  const cidrs = text
    .split(",")
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
  if (cidrs.length === 0) fail(key, "expected at least one CIDR block, such as 203.0.113.0/24");
  for (const cidr of cidrs) {
    const v4 = IPV4_CIDR.exec(cidr);
    const v4ok = v4 !== null && v4.slice(1, 5).every((o) => Number(o) <= 255) && Number(v4[5]) <= 32;
    const v6 = IPV6_CIDR.exec(cidr);
    const v6ok = v6 !== null && cidr.includes(":") && Number(v6[1]) <= 128;
    if (!v4ok && !v6ok) fail(key, `'${cidr}' is not a CIDR block such as 203.0.113.0/24; give one or a comma-separated list`);
  }
  return cidrs;
}

/**
 * Fargate's CPU/memory pairs (ECS developer guide, task size): the memory (MiB) each CPU unit count
 * takes, as [lowest, highest, step]; 256 units take 512, 1024 or 2048 only.
 */
const FARGATE_MEMORY: Readonly<Record<number, readonly [number, number, number]>> = {
  256: [512, 2048, 512],
  512: [1024, 4096, 1024],
  1024: [2048, 8192, 1024],
  2048: [4096, 16384, 1024],
  4096: [8192, 30720, 1024],
  8192: [16384, 61440, 4096],
  16384: [32768, 122880, 8192],
};

function fargateMemoryProblem(cpu: number, memory: number): string | undefined {
  const range = FARGATE_MEMORY[cpu];
  if (!range) return `Fargate takes ${Object.keys(FARGATE_MEMORY).join(", ")} CPU units, got ${cpu}`;
  const [low, high, step] = range;
  if (cpu === 256 ? ![512, 1024, 2048].includes(memory) : memory < low || memory > high || (memory - low) % step !== 0) {
    return cpu === 256
      ? `with 256 CPU units Fargate takes 512, 1024 or 2048 MiB, got ${memory}`
      : `with ${cpu} CPU units Fargate takes ${low} to ${high} MiB in steps of ${step}, got ${memory}`;
  }
  return undefined;
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
  const bool = (key: string, def: boolean): boolean => cfg.getBoolean(key) ?? def;
  const gradual = (key: string, platform: "Lambda" | "ECS"): string => {
    const name = cfg.get(key) ?? DEFAULT_DEPLOYMENT_CONFIG[platform];
    if (!GRADUAL_BUILT_IN_CONFIGS[platform].includes(name)) {
      fail(key, `expected a built-in ${platform} canary or linear config (${GRADUAL_BUILT_IN_CONFIGS[platform].join(", ")}), got ${name}`);
    }
    return name;
  };

  const paths = new Set<DeploymentPath>(
    (
      [
        ["ec2", "enableEc2"],
        ["lambda", "enableLambda"],
        ["ecs", "enableEcs"],
      ] as const
    )
      .filter(([, key]) => bool(key, true))
      .map(([path]) => path),
  );
  if (paths.size === 0) fail("enableEc2", "enableEc2, enableLambda and enableEcs are all false; leave at least one path in the stack");

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

  const ecsCpu = num("ecsCpu", 512, 256, 16384);
  const ecsMemory = num("ecsMemory", 1024, 512, 122880);
  const memoryProblem = fargateMemoryProblem(ecsCpu, ecsMemory);
  if (memoryProblem) fail(FARGATE_MEMORY[ecsCpu] ? "ecsMemory" : "ecsCpu", memoryProblem);

  const appPort = num("appPort", 8080, 1024, 65535);
  const testListenerPort = num("testListenerPort", 8443, 1, 65535);
  // Port 80 (and 443 with a certificate) belong to the production listener on the same load balancer.
  if (testListenerPort === 80 || testListenerPort === 443) {
    fail("testListenerPort", `${testListenerPort} is taken by the production listener; pick another port, such as 8443`);
  }
  const vpcCidr = cfg.get("vpcCidr") ?? "10.42.0.0/16";
  parseCidrs("vpcCidr", vpcCidr);
  const certificateArn = cfg.get("certificateArn");
  if (certificateArn !== undefined && !/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/.test(certificateArn)) {
    fail("certificateArn", "expected an ACM certificate ARN, arn:aws:acm:<region>:<account>:certificate/<id>");
  }

  return {
    region: cfg.get("region") ?? awsCfg.get("region") ?? "us-east-1",
    serviceName: cfg.get("serviceName") ?? "inference",
    paths,
    certificateArn,
    ingressCidrs: parseCidrs("ingressCidr", cfg.get("ingressCidr") ?? "0.0.0.0/0"),
    instanceType: cfg.get("instanceType") ?? "c6i.large",
    imageId: cfg.get("imageId") ?? "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    fleetSize,
    minHealthyFleetPercent,
    minHealthyHostsPerZone,
    zoneMonitorSeconds: num("zoneMonitorSeconds", 300, 0, 3600),
    firstZoneMonitorSeconds: num("firstZoneMonitorSeconds", 900, 0, 3600),
    ec2BlueGreen: bool("ec2BlueGreen", false),
    ec2TerminationWaitMinutes: num("ec2TerminationWaitMinutes", 120, 60, MAX_BLUE_GREEN_TERMINATION_WAIT_MINUTES),
    appPort,
    vpcCidr,
    lambdaDeploymentConfig: gradual("lambdaDeploymentConfig", "Lambda"),
    ecsImage: cfg.get("ecsImage") ?? "public.ecr.aws/docker/library/python:3.13-slim",
    ecsCpu,
    ecsMemory,
    ecsDesiredCount: num("ecsDesiredCount", 2, 1, 100),
    ecsDeploymentConfig: gradual("ecsDeploymentConfig", "ECS"),
    ecsTerminationWaitMinutes: num("ecsTerminationWaitMinutes", 120, 60, MAX_BLUE_GREEN_TERMINATION_WAIT_MINUTES),
    testListenerPort,
    testIngressCidrs: parseCidrs("testIngressCidr", cfg.get("testIngressCidr") ?? vpcCidr),
    alb5xxRatePercent: num("alb5xxRatePercent", 1, 0, 100, false),
    albP99LatencySeconds: num("albP99LatencySeconds", 1.5, 0, 60, false),
    lambdaErrorsPerMinute: num("lambdaErrorsPerMinute", 3, 0, 100000),
    lambdaP99DurationMs: num("lambdaP99DurationMs", 1000, 1, 900000),
    predictionErrorRate: num("predictionErrorRate", 0.05, 0, 1, false),
    metricsNamespace: cfg.get("metricsNamespace") ?? "ModelServing/Inference",
    notificationEmail: cfg.get("notificationEmail"),
  };
}
