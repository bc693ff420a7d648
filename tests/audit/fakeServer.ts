// A tiny local AWS stand-in for fault tests, on 127.0.0.1. It answers the JSON protocols (CodeDeploy,
// CloudWatch, Organizations: routed on the X-Amz-Target operation), the query protocols (STS, EC2:
// routed on the form's Action) and REST JSON (Security Hub: routed on the path), and records every
// request. STS GetCallerIdentity is answered by itself (as account `account`) unless `sts` is
// "handler", so a test about CodeDeploy faults only scripts CodeDeploy.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

export interface FakeReply {
  readonly status?: number;
  readonly body?: unknown;
  /** Sent as is (e.g. an HTML error page or an XML answer); otherwise `body` is JSON-encoded. */
  readonly raw?: string;
  readonly contentType?: string;
}

export interface FakeRequest {
  readonly operation: string;
  readonly body: Record<string, unknown>;
  /** The access key id the request was signed with (which credentials called). */
  readonly accessKeyId: string;
  /** The region in the request's signature scope. */
  readonly region: string;
}

export interface FakeServer {
  readonly url: string;
  /** Requests passed to the handler. */
  readonly requests: FakeRequest[];
  /** Every request, those answered by the server itself (GetCallerIdentity) included. */
  readonly allRequests: FakeRequest[];
  close(): Promise<void>;
}

export interface FakeOptions {
  /** The account GetCallerIdentity names (default 111122223333). */
  readonly account?: string;
  /** "handler": GetCallerIdentity goes to the handler like any other call. */
  readonly sts?: "auto" | "handler";
}

export const FAKE_ACCOUNT = "111122223333";

export function awsError(type: string, message: string, status = 400): FakeReply {
  return { status, body: { __type: type, message } };
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A query-protocol (STS, EC2) error. */
export function queryError(code: string, message: string, status = 403): FakeReply {
  return {
    status,
    contentType: "text/xml",
    raw: `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>fake</RequestId></ErrorResponse>`,
  };
}

export function callerIdentityReply(account: string, arn = `arn:aws:iam::${account}:user/auditor`): FakeReply {
  return {
    contentType: "text/xml",
    raw: `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${arn}</Arn><UserId>AIDAFAKE</UserId><Account>${account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
  };
}

/** AssumeRole's answer: credentials whose access key names the account, so later calls can be told apart. */
export function assumeRoleReply(account: string, roleName: string): FakeReply {
  const expiration = new Date(Date.now() + 3_600_000).toISOString();
  return {
    contentType: "text/xml",
    raw: `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIA${account}</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAFAKE:s</AssumedRoleId><Arn>arn:aws:sts::${account}:assumed-role/${roleName}/s</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></AssumeRoleResponse>`,
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    request.on("data", (chunk: Buffer) => (text += chunk.toString()));
    request.on("end", () => resolve(text));
  });
}

function signature(request: IncomingMessage): { accessKeyId: string; region: string } {
  const match = /Credential=([^/]+)\/\d+\/([^/]+)\//.exec(String(request.headers["authorization"] ?? ""));
  return { accessKeyId: match?.[1] ?? "", region: match?.[2] ?? "" };
}

export async function startFakeAws(
  handler: (operation: string, body: Record<string, unknown>, count: number, request: FakeRequest) => FakeReply,
  options: FakeOptions = {},
): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const allRequests: FakeRequest[] = [];
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const target = String(request.headers["x-amz-target"] ?? "");
    const text = await readBody(request);
    let operation = target.split(".").pop() ?? "";
    let body: Record<string, unknown> = {};
    if (target) {
      try {
        body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        /* keep empty */
      }
    } else if (String(request.headers["content-type"] ?? "").includes("x-www-form-urlencoded")) {
      body = Object.fromEntries(new URLSearchParams(text));
      const action = body["Action"];
      operation = typeof action === "string" ? action : "";
    } else {
      operation = `${request.method ?? "GET"} ${request.url ?? "/"}`;
      try {
        body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        /* keep empty */
      }
    }
    const recorded: FakeRequest = { operation, body, ...signature(request) };
    allRequests.push(recorded);
    let reply: FakeReply;
    if (operation === "GetCallerIdentity" && options.sts !== "handler") reply = callerIdentityReply(options.account ?? FAKE_ACCOUNT);
    else {
      requests.push(recorded);
      reply = handler(operation, body, requests.filter((item) => item.operation === operation).length, recorded);
    }
    const payload = reply.raw ?? JSON.stringify(reply.body ?? {});
    response.writeHead(reply.status ?? 200, {
      "content-type": reply.contentType ?? (reply.raw ? "text/html" : "application/x-amz-json-1.1"),
    });
    response.end(payload);
  };
  // The listener's return value is ignored, so it is called and its promise dropped on purpose.
  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    allRequests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The CodeDeploy-only form the older tests use. */
export function startFakeCodeDeploy(
  handler: (operation: string, body: Record<string, unknown>, count: number) => FakeReply,
  options: FakeOptions = {},
): Promise<FakeServer> {
  return startFakeAws(handler, options);
}
