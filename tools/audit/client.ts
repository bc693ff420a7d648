// The CodeDeploy client `audit` talks through, and the small interface the fetcher needs from it
// (so tests hand in a fake). Retries are the SDK's own standard strategy with a bounded number of
// attempts and exponential backoff; both are injectable so tests run in milliseconds.
import { CodeDeployClient } from "@aws-sdk/client-codedeploy";
import { ConfiguredRetryStrategy } from "@smithy/core/retry";

/** What the fetcher calls: `CodeDeployClient#send`, or a fake in tests. */
export interface CodeDeploySender {
  // The SDK's `send` is generic and overloaded per command; the fetcher reads responses through
  // its own narrow types, so this side stays loose.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  send(command: any): Promise<unknown>;
}

export interface RetryOptions {
  /** Total attempts per call, the first included (>= 1). */
  readonly maxAttempts: number;
  /** Delay before retry number `attempt` (1-based), in milliseconds. */
  readonly backoffMs: (attempt: number) => number;
}

/** Exponential backoff with full jitter: 100 ms, 200 ms, 400 ms ... capped at 20 s. */
export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 6,
  backoffMs: (attempt) => Math.random() * Math.min(20_000, 100 * 2 ** (attempt - 1)),
};

export interface ClientOptions {
  readonly region: string;
  readonly profile?: string;
  readonly endpoint?: string;
  readonly retry?: RetryOptions;
  /** Milliseconds to wait for a connection and for a response. */
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
}

export function createCodeDeployClient(options: ClientOptions): CodeDeployClient {
  const retry = options.retry ?? DEFAULT_RETRY;
  return new CodeDeployClient({
    region: options.region,
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    // ConfiguredRetryStrategy is the SDK's standard strategy (throttling, 5xx and connection errors
    // are retried) with our own backoff; its first argument counts every attempt, the first included.
    retryStrategy: new ConfiguredRetryStrategy(Math.max(1, retry.maxAttempts), (attempt: number) => retry.backoffMs(attempt)),
    requestHandler: { connectionTimeout: options.connectionTimeoutMs ?? 5_000, requestTimeout: options.requestTimeoutMs ?? 30_000 },
  });
}
