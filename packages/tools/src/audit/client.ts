// The AWS clients `audit` talks through, and the small interface the readers need from them (so
// tests hand in a fake). Every client of a run shares one concurrency limiter and one request
// counter; each retries with the SDK's adaptive strategy (throttling lowers that client's sending
// rate, so a throttled run slows down instead of failing), with a bounded number of attempts and
// an injectable backoff so tests run in milliseconds.
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CodeDeployClient } from "@aws-sdk/client-codedeploy";
import { EC2Client } from "@aws-sdk/client-ec2";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { SecurityHubClient } from "@aws-sdk/client-securityhub";
import { STSClient } from "@aws-sdk/client-sts";
import { AdaptiveRetryStrategy } from "@smithy/core/retry";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, MetadataBearer, MiddlewareStack } from "@smithy/types";

/** What the readers call: an SDK client's `send`, or a fake in tests. */
export interface CodeDeploySender {
  // The SDK's `send` is generic and overloaded per command; the readers read responses through
  // their own narrow types, so this side stays loose.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  send(command: any): Promise<unknown>;
}
/** Any AWS service's client, seen the same narrow way. */
export type AwsSender = CodeDeploySender;

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

/** Requests in flight across the whole run; 16 keeps a region's API busy without tripping its rate limits. */
export const DEFAULT_CONCURRENCY = 16;

export const AWS_SERVICES = ["codedeploy", "cloudwatch", "sts", "organizations", "ec2", "securityhub"] as const;
export type AwsService = (typeof AWS_SERVICES)[number];

/** At most `max` promises from `run` pending at once; the rest wait their turn in order. */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `active` only drops when nobody waits.
      if (next) next();
      else this.active--;
    }
  }
}

/** HTTP requests sent (retries included), per service and operation. */
export class RequestCounter {
  readonly byOperation = new Map<string, number>();
  total = 0;
  add(service: string, operation: string): void {
    this.total++;
    const key = `${service}:${operation}`;
    this.byOperation.set(key, (this.byOperation.get(key) ?? 0) + 1);
  }
}

/** Where the credentials of a client come from. */
export type CredentialSource =
  { readonly kind: "default"; readonly profile?: string } | { readonly kind: "provider"; readonly provider: AwsCredentialIdentityProvider };

export interface ClientFactoryOptions {
  readonly endpoint?: string;
  /** Per-service endpoints (tests: a fake for one service, the emulator for the rest). */
  readonly endpoints?: Partial<Record<AwsService, string>>;
  readonly retry?: RetryOptions;
  readonly concurrency?: number;
  /** Milliseconds to wait for a connection and for a response. */
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
}

interface DestroyableSender extends AwsSender {
  destroy(): void;
}

/** The settings every client of a run gets; each SDK client's own config type accepts them. */
interface CommonClientConfig {
  readonly region: string;
  readonly profile?: string;
  readonly credentials?: AwsCredentialIdentityProvider;
  readonly endpoint?: string;
  readonly retryStrategy: AdaptiveRetryStrategy;
  readonly requestHandler: { readonly connectionTimeout: number; readonly requestTimeout: number };
}

/**
 * Builds (and caches) one client per service, region and credentials for a run, all behind the
 * run's limiter and counter. `destroy` closes them all.
 */
export class ClientFactory {
  readonly limiter: Limiter;
  readonly requests = new RequestCounter();
  private readonly clients = new Map<string, DestroyableSender>();
  private readonly sourceIds = new Map<CredentialSource, number>();

  constructor(private readonly options: ClientFactoryOptions = {}) {
    this.limiter = new Limiter(Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY));
  }

  /** The endpoint a service's calls go to, or undefined for AWS's own regional endpoint. */
  endpointFor(service: AwsService): string | undefined {
    return this.options.endpoints?.[service] ?? this.options.endpoint;
  }

  /** `maxAttempts` overrides the run's retry count (1: a single try, for probing what an endpoint implements). */
  client(service: AwsService, region: string, credentials: CredentialSource, maxAttempts?: number): AwsSender {
    if (!this.sourceIds.has(credentials)) this.sourceIds.set(credentials, this.sourceIds.size);
    const key = `${service} ${region} ${this.sourceIds.get(credentials)} ${maxAttempts ?? ""}`;
    let client = this.clients.get(key);
    if (!client) {
      client = this.build(service, region, credentials, maxAttempts);
      this.clients.set(key, client);
    }
    const sdk = client;
    return { send: (command: unknown) => this.limiter.run(() => sdk.send(command)) };
  }

  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }

  private build(service: AwsService, region: string, credentials: CredentialSource, maxAttempts?: number): DestroyableSender {
    const configured = this.options.retry ?? DEFAULT_RETRY;
    const retry = maxAttempts === undefined ? configured : { ...configured, maxAttempts };
    const endpoint = this.endpointFor(service);
    const config: CommonClientConfig = {
      region,
      ...(credentials.kind === "default" && credentials.profile ? { profile: credentials.profile } : {}),
      ...(credentials.kind === "provider" ? { credentials: credentials.provider } : {}),
      ...(endpoint ? { endpoint } : {}),
      // The SDK's adaptive mode: its standard retries (throttling, 5xx, connection errors) plus a
      // client-side rate limiter that slows this client down once it is throttled.
      retryStrategy: new AdaptiveRetryStrategy(Math.max(1, retry.maxAttempts), {
        backoff: { computeNextBackoffDelay: (completed: number) => retry.backoffMs(completed + 1), setDelayBase: () => {} },
      }),
      requestHandler: {
        connectionTimeout: this.options.connectionTimeoutMs ?? 5_000,
        requestTimeout: this.options.requestTimeoutMs ?? 30_000,
      },
    };
    const requests = this.requests;
    const count = <I extends object, O extends MetadataBearer, C extends { middlewareStack: MiddlewareStack<I, O> } & DestroyableSender>(
      client: C,
    ): C => {
      // In the deserialize step, inside the retry loop: every attempt is counted.
      client.middlewareStack.add(
        (next, context) => (args) => {
          requests.add(service, String(context.commandName ?? "").replace(/Command$/, ""));
          return next(args);
        },
        { step: "deserialize", name: "codedeployGuardrailsRequestCounter" },
      );
      return client;
    };
    switch (service) {
      case "codedeploy":
        return count(new CodeDeployClient(config));
      case "cloudwatch":
        return count(new CloudWatchClient(config));
      case "sts":
        return count(new STSClient(config));
      case "organizations":
        return count(new OrganizationsClient(config));
      case "ec2":
        return count(new EC2Client(config));
      case "securityhub":
        return count(new SecurityHubClient(config));
    }
  }
}

/** Fixed credentials as a provider (assumed-role credentials). */
export function staticCredentials(identity: AwsCredentialIdentity): CredentialSource {
  return { kind: "provider", provider: () => Promise.resolve(identity) };
}
