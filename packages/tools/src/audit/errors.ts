// How `audit` names what went wrong talking to AWS. Every failure becomes one sentence that says
// what could not be read and what to do; a missing permission names the IAM action to allow.

export type FailureKind = "accessDenied" | "credentials" | "throttled" | "unreachable" | "notFound" | "server" | "other";

const ACCESS_DENIED = new Set(["AccessDeniedException", "AccessDenied", "UnauthorizedOperation", "UnauthorizedException"]);
const CREDENTIALS = new Set([
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "ExpiredTokenException",
  "InvalidClientTokenId",
  "CredentialsProviderError",
  "SignatureDoesNotMatch",
]);
const THROTTLED = new Set(["ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded", "ThrottledException"]);
const NOT_FOUND = new Set([
  "ApplicationDoesNotExistException",
  "DeploymentGroupDoesNotExistException",
  "DeploymentConfigDoesNotExistException",
]);
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "ECONNRESET",
  "EAI_AGAIN",
  "EPIPE",
]);

interface ErrorLike {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly errors?: unknown;
  readonly cause?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

function asErrorLike(error: unknown): ErrorLike {
  return typeof error === "object" && error !== null ? error : {};
}

function networkCode(error: unknown, depth = 0): string | undefined {
  if (depth > 3) return undefined;
  const e = asErrorLike(error);
  if (typeof e.code === "string" && NETWORK_CODES.has(e.code)) return e.code;
  // Node's happy-eyeballs connect fails with an AggregateError holding one error per address.
  if (Array.isArray(e.errors))
    for (const inner of e.errors) {
      const code = networkCode(inner, depth + 1);
      if (code) return code;
    }
  return e.cause === undefined ? undefined : networkCode(e.cause, depth + 1);
}

export function httpStatusOf(error: unknown): number | undefined {
  return asErrorLike(error).$metadata?.httpStatusCode;
}

export function classifyFailure(error: unknown): FailureKind {
  const e = asErrorLike(error);
  const name = typeof e.name === "string" ? e.name : "";
  if (ACCESS_DENIED.has(name)) return "accessDenied";
  if (CREDENTIALS.has(name)) return "credentials";
  if (THROTTLED.has(name) || httpStatusOf(error) === 429) return "throttled";
  if (NOT_FOUND.has(name)) return "notFound";
  if (networkCode(error) || name === "TimeoutError" || name === "RequestTimeout") return "unreachable";
  const status = httpStatusOf(error);
  if (status !== undefined && status >= 500) return "server";
  return "other";
}

function shortMessage(error: unknown): string {
  const e = asErrorLike(error);
  const raw = typeof e.message === "string" && e.message ? e.message : String(error);
  const firstLine = raw.split("\n")[0] ?? raw;
  return firstLine.length > 200 ? `${firstLine.slice(0, 197)}...` : firstLine;
}

/** `codedeploy:ListApplications` for a bare CodeDeploy operation; any `service:Operation` as it is. */
export function qualifiedAction(action: string): string {
  return action.includes(":") ? action : `codedeploy:${action}`;
}

/**
 * One sentence for a failed call. `action` is the operation, bare for CodeDeploy
 * (`ListApplications`) or qualified for other services (`cloudwatch:DescribeAlarms`); `what` names
 * what could not be read (`deployment group "app/group"`).
 */
export function describeFailure(error: unknown, action: string, what: string): string {
  const kind = classifyFailure(error);
  const e = asErrorLike(error);
  const name = typeof e.name === "string" ? e.name : "Error";
  const qualified = qualifiedAction(action);
  switch (kind) {
    case "accessDenied":
      return `Access denied reading ${what}: allow the IAM action ${qualified} for these credentials (src/audit/iam-policy.json in codedeploy-guardrails-tools lists every action audit needs); ${what} was not checked.`;
    case "credentials":
      return `The credentials were refused (${name}) reading ${what} with ${qualified}; check the profile, region and keys; ${what} was not checked.`;
    case "throttled":
      return `AWS kept throttling ${qualified} for ${what} after every retry (${name}); run the audit again later, with a lower --concurrency, or with fewer applications; ${what} was not checked.`;
    case "unreachable":
      return `The endpoint could not be reached calling ${qualified} for ${what} (${networkCode(error) ?? name}); check --endpoint-url, the region and the network; ${what} was not checked.`;
    case "server":
      return `The endpoint failed ${qualified} for ${what} with HTTP ${httpStatusOf(error)} after every retry (${name}: ${shortMessage(error)}); ${what} was not checked.`;
    case "notFound":
      return `${what} does not exist (${name} from ${qualified}), so it was not checked.`;
    case "other":
      return `${qualified} failed for ${what} (${name}: ${shortMessage(error)}); ${what} was not checked.`;
  }
}

/** The endpoint does not implement the operation (moto answers an HTML 500; others 404, 501 or an error code). */
export function isNotImplemented(error: unknown): boolean {
  const e = asErrorLike(error);
  const name = typeof e.name === "string" ? e.name : "";
  if (["UnknownOperationException", "InvalidAction", "NotImplemented", "NotImplementedException"].includes(name)) return true;
  const status = httpStatusOf(error);
  if (status === 404 || status === 501) return true;
  // An answer that is not an AWS error document at all: the SDK could not name an error code.
  return status !== undefined && status >= 500 && ["UnknownError", "SyntaxError", "Error", ""].includes(name);
}
