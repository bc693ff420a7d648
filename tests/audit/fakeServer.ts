// A tiny local CodeDeploy stand-in for fault tests: answers the JSON 1.1 protocol on 127.0.0.1,
// routing on the X-Amz-Target operation, and records every request.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

export interface FakeReply {
  readonly status?: number;
  readonly body?: unknown;
  /** Sent as is (e.g. an HTML error page); otherwise `body` is JSON-encoded. */
  readonly raw?: string;
}

export interface FakeServer {
  readonly url: string;
  readonly requests: { readonly operation: string; readonly body: Record<string, unknown> }[];
  close(): Promise<void>;
}

export function awsError(type: string, message: string, status = 400): FakeReply {
  return { status, body: { __type: type, message } };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    request.on("data", (chunk: Buffer) => (text += chunk.toString()));
    request.on("end", () => resolve(text));
  });
}

export async function startFakeCodeDeploy(
  handler: (operation: string, body: Record<string, unknown>, count: number) => FakeReply,
): Promise<FakeServer> {
  const requests: FakeServer["requests"] = [];
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const target = String(request.headers["x-amz-target"] ?? "");
    const operation = target.split(".").pop() ?? "";
    const text = await readBody(request);
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      /* keep empty */
    }
    requests.push({ operation, body });
    const reply = handler(operation, body, requests.filter((item) => item.operation === operation).length);
    const payload = reply.raw ?? JSON.stringify(reply.body ?? {});
    response.writeHead(reply.status ?? 200, { "content-type": reply.raw ? "text/html" : "application/x-amz-json-1.1" });
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
