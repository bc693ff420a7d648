// How `audit` names what went wrong talking to CodeDeploy. Every failure becomes one sentence that
// says what could not be read and what to do; a missing permission names the IAM action to allow.

export type FailureKind = "accessDenied" | "credentials" | "throttled" | "unreachable" | "notFound" | "server" | "other";

const ACCESS_DENIED = new Set(["AccessDeniedException", "AccessDenied", "UnauthorizedOperation", "UnauthorizedException"]);
const CREDENTIALS = new Set([
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "ExpiredTokenException",
  "InvalidClientTokenId",
  "CredentialsProviderError",
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

/**
 * One sentence for a failed call. `action` is the CodeDeploy operation (`ListApplications`), `what`
 * names what could not be read (`deployment group "app/group"`).
 */
export function describeFailure(error: unknown, action: string, what: string): string {
  const kind = classifyFailure(error);
  const e = asErrorLike(error);
  const name = typeof e.name === "string" ? e.name : "Error";
  switch (kind) {
    case "accessDenied":
      return `Access denied reading ${what}: allow the IAM action codedeploy:${action} for these credentials (tools/audit/iam-policy.json lists every action audit needs); ${what} was not checked.`;
    case "credentials":
      return `The credentials were refused (${name}) reading ${what} with codedeploy:${action}; check the profile, region and keys; ${what} was not checked.`;
    case "throttled":
      return `CodeDeploy kept throttling codedeploy:${action} for ${what} after every retry (${name}); run the audit again later or with fewer applications; ${what} was not checked.`;
    case "unreachable":
      return `The endpoint could not be reached calling codedeploy:${action} for ${what} (${networkCode(error) ?? name}); check --endpoint-url, the region and the network; ${what} was not checked.`;
    case "server":
      return `The endpoint failed codedeploy:${action} for ${what} with HTTP ${httpStatusOf(error)} after every retry (${name}: ${shortMessage(error)}); ${what} was not checked.`;
    case "notFound":
      return `${what} does not exist (${name} from codedeploy:${action}), so it was not checked.`;
    case "other":
      return `codedeploy:${action} failed for ${what} (${name}: ${shortMessage(error)}); ${what} was not checked.`;
  }
}
