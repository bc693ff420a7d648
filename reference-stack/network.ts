// The network every path shares (a VPC with two public subnets in two zones) and the internet-facing
// Application Load Balancer pattern the EC2 and ECS paths each use.

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StackContext } from "./context";

/** TLS 1.3 and 1.2 only: the ALB policy AWS recommends for new HTTPS listeners. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export function createNetwork(
  service: string,
  vpcCidr: string,
  opts: pulumi.CustomResourceOptions,
): { vpc: aws.ec2.Vpc; subnets: aws.ec2.Subnet[] } {
  // Hosts and tasks get public addresses to reach the CodeDeploy, ECR, S3 and CloudWatch endpoints
  // without a NAT gateway, but accept traffic only from their load balancer.
  const zones = aws.getAvailabilityZonesOutput({ state: "available" }, { provider: opts.provider });
  const vpc = new aws.ec2.Vpc(`${service}-vpc`, { cidrBlock: vpcCidr, enableDnsHostnames: true, enableDnsSupport: true }, opts);
  const gateway = new aws.ec2.InternetGateway(`${service}-igw`, { vpcId: vpc.id }, opts);
  const routeTable = new aws.ec2.RouteTable(
    `${service}-public`,
    { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: gateway.id }] },
    opts,
  );
  const subnets = [0, 1].map((i) => {
    const subnet = new aws.ec2.Subnet(
      `${service}-public-${i}`,
      {
        vpcId: vpc.id,
        cidrBlock: vpc.cidrBlock.apply((cidr) => subnetCidr(cidr, i)),
        availabilityZone: zones.names.apply((names) => names[i % names.length]!),
        mapPublicIpOnLaunch: true,
      },
      opts,
    );
    new aws.ec2.RouteTableAssociation(`${service}-public-${i}`, { subnetId: subnet.id, routeTableId: routeTable.id }, opts);
    return subnet;
  });
  return { vpc, subnets };
}

/** The i-th /20 inside the VPC's CIDR block. */
export function subnetCidr(vpcCidr: string, index: number): string {
  const [base, bits] = vpcCidr.split("/");
  const octets = base!.split(".").map(Number);
  const value = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  const prefix = Math.max(Number(bits), 20);
  const start = (value + index * 2 ** (32 - prefix)) >>> 0;
  return `${[start >>> 24, (start >>> 16) & 255, (start >>> 8) & 255, start & 255].join(".")}/${prefix}`;
}

/** Security group ingress from a list of IPv4 and IPv6 CIDR blocks. */
function ingressFrom(cidrs: readonly string[], port: number, description: string): aws.types.input.ec2.SecurityGroupIngress {
  const v4 = cidrs.filter((c) => !c.includes(":"));
  const v6 = cidrs.filter((c) => c.includes(":"));
  return {
    protocol: "tcp",
    fromPort: port,
    toPort: port,
    description,
    ...(v4.length > 0 ? { cidrBlocks: [...v4] } : {}),
    ...(v6.length > 0 ? { ipv6CidrBlocks: [...v6] } : {}),
  };
}

export interface PublicLoadBalancerArgs {
  /** Logical-name prefix: `<prefix>` (load balancer, security group), `<prefix>-http(s)`, `<prefix>-test`. */
  readonly prefix: string;
  /** Logical name of the plain HTTP listener (kept from earlier versions of the stack, so it is not replaced). */
  readonly httpListenerName: string;
  /** Target group the production (and test) listener forwards to at creation. */
  readonly targetGroupArn: pulumi.Input<string>;
  /** A test listener on this port, open to `testIngressCidrs` only (ECS blue/green). */
  readonly testListenerPort?: number;
  /**
   * CodeDeploy moves these listeners between target groups (ECS blue/green): Pulumi must not move them back.
   */
  readonly codeDeployOwnsListeners: boolean;
}

export interface PublicLoadBalancer {
  readonly securityGroup: aws.ec2.SecurityGroup;
  readonly loadBalancer: aws.lb.LoadBalancer;
  /** The listener that forwards production traffic (HTTPS with a certificate, else HTTP). */
  readonly productionListener: aws.lb.Listener;
  readonly testListener: aws.lb.Listener | undefined;
  readonly protocol: "HTTPS" | "HTTP";
  readonly url: pulumi.Output<string>;
  readonly testUrl: pulumi.Output<string> | undefined;
}

/**
 * An internet-facing ALB: HTTPS on 443 with a redirect from 80 when `certificateArn` is configured,
 * plain HTTP on 80 otherwise, reachable from `ingressCidrs`; and optionally a test listener.
 */
export function publicLoadBalancer(ctx: StackContext, args: PublicLoadBalancerArgs): PublicLoadBalancer {
  const { config, opts } = ctx;
  const https = config.certificateArn !== undefined;
  const protocol = https ? "HTTPS" : "HTTP";
  const ingress = [
    ingressFrom(config.ingressCidrs, 80, https ? "HTTP from clients (redirected to HTTPS)" : "HTTP from clients"),
    ...(https ? [ingressFrom(config.ingressCidrs, 443, "HTTPS from clients")] : []),
    ...(args.testListenerPort !== undefined
      ? [ingressFrom(config.testIngressCidrs, args.testListenerPort, "Test listener: the replacement release before it takes traffic")]
      : []),
  ];
  const securityGroup = new aws.ec2.SecurityGroup(
    args.prefix,
    {
      vpcId: ctx.vpc.id,
      description: `Inference load balancer (${args.prefix})`,
      ingress,
      egress: [
        { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: [config.vpcCidr], description: "To the inference targets in the VPC" },
      ],
    },
    opts,
  );
  const loadBalancer = new aws.lb.LoadBalancer(
    args.prefix,
    {
      loadBalancerType: "application",
      securityGroups: [securityGroup.id],
      subnets: ctx.subnets.map((s) => s.id),
      dropInvalidHeaderFields: true,
    },
    opts,
  );
  const listenerOpts: pulumi.CustomResourceOptions = args.codeDeployOwnsListeners ? { ...opts, ignoreChanges: ["defaultActions"] } : opts;
  const forward = [{ type: "forward", targetGroupArn: args.targetGroupArn }];
  const tls = (port: number) =>
    https ? { port, protocol: "HTTPS", sslPolicy: TLS_POLICY, certificateArn: config.certificateArn } : { port, protocol: "HTTP" };

  let productionListener: aws.lb.Listener;
  if (https) {
    productionListener = new aws.lb.Listener(
      `${args.prefix}-https`,
      { loadBalancerArn: loadBalancer.arn, ...tls(443), defaultActions: forward },
      listenerOpts,
    );
    new aws.lb.Listener(
      args.httpListenerName,
      {
        loadBalancerArn: loadBalancer.arn,
        port: 80,
        protocol: "HTTP",
        defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
      },
      opts,
    );
  } else {
    productionListener = new aws.lb.Listener(
      args.httpListenerName,
      { loadBalancerArn: loadBalancer.arn, ...tls(80), defaultActions: forward },
      listenerOpts,
    );
  }
  const testListener =
    args.testListenerPort === undefined
      ? undefined
      : new aws.lb.Listener(
          `${args.prefix}-test`,
          { loadBalancerArn: loadBalancer.arn, ...tls(args.testListenerPort), defaultActions: forward },
          listenerOpts,
        );
  const scheme = https ? "https" : "http";
  return {
    securityGroup,
    loadBalancer,
    productionListener,
    testListener,
    protocol,
    url: pulumi.interpolate`${scheme}://${loadBalancer.dnsName}`,
    testUrl:
      args.testListenerPort === undefined ? undefined : pulumi.interpolate`${scheme}://${loadBalancer.dnsName}:${args.testListenerPort}`,
  };
}

/**
 * The security group of the model server's hosts or tasks: the model server port from the load
 * balancer only; outbound anywhere, for what each path reaches outside the VPC (`egressPurpose`).
 */
export function modelServerSecurityGroup(
  ctx: StackContext,
  name: string,
  args: { readonly description: string; readonly loadBalancer: PublicLoadBalancer; readonly egressPurpose: string },
): aws.ec2.SecurityGroup {
  const port = ctx.config.appPort;
  return new aws.ec2.SecurityGroup(
    name,
    {
      vpcId: ctx.vpc.id,
      description: args.description,
      ingress: [
        {
          protocol: "tcp",
          fromPort: port,
          toPort: port,
          securityGroups: [args.loadBalancer.securityGroup.id],
          description: "Model server from the load balancer",
        },
      ],
      egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: args.egressPurpose }],
    },
    ctx.opts,
  );
}
