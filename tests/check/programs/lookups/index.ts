// Test program for `check`: the lookups a CodeDeploy program usually makes, used the way programs use
// them (mapping over ids, indexing names, parsing JSON), so a result of the wrong shape throws. The
// deployment group itself is declared in ./deployment.ts; it has no alarm, so the pack reports it.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serverDeploymentGroup } from "./deployment";

const identity = aws.getCallerIdentityOutput();
const region = aws.getRegionOutput();
const partition = aws.getPartitionOutput();
const zones = aws.getAvailabilityZonesOutput({ state: "available" });
const vpc = aws.ec2.getVpcOutput({ default: true });
const subnets = aws.ec2.getSubnetsOutput({ filters: [{ name: "vpc-id", values: [vpc.id] }] });
const ami = aws.ec2.getAmiOutput({ mostRecent: true, owners: ["amazon"], filters: [{ name: "name", values: ["al2023-ami-*-x86_64"] }] });
const imageParameter = aws.ssm.getParameterOutput({ name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" });

const assumeRole = aws.iam.getPolicyDocumentOutput({
  statements: [{ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["codedeploy.amazonaws.com"] }] }],
});
// Parsing the document fails unless the lookup returned real JSON.
const principal = assumeRole.json.apply(
  (json) => (JSON.parse(json) as { Statement: { Principal: { Service: string } }[] }).Statement[0]!.Principal.Service,
);

const role = new aws.iam.Role("deploy-role", {
  assumeRolePolicy: assumeRole.json,
  tags: { principal, account: identity.accountId },
});
new aws.iam.RolePolicyAttachment("deploy-role-policy", {
  role: role.name,
  policyArn: pulumi.interpolate`arn:${partition.partition}:iam::aws:policy/service-role/AWSCodeDeployRole`,
});

const subnetNames = subnets.ids.apply((ids) => ids.map((id, index) => `${id.toUpperCase()}-${index}`));
const firstZone = zones.names.apply((names) => names[0]!.toUpperCase());

const template = new aws.ec2.LaunchTemplate("hosts", {
  imageId: ami.id,
  instanceType: "t3.small",
  tags: { zone: firstZone, image: imageParameter.value.apply((value) => value.slice(0, 4)) },
});

const app = new aws.codedeploy.Application("app", { computePlatform: "Server" });
serverDeploymentGroup("api", app.name, role.arn);

export const lookups = {
  account: identity.accountId,
  region: region.region,
  subnetNames,
  vpcCidr: vpc.cidrBlockAssociations.apply((associations) => associations.map((association) => association.cidrBlock)),
  launchTemplate: template.id,
};
