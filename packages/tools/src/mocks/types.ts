import type { EngineResource, WireProperties } from "../engine/types";
import type { RecordMode } from "./mockState";
import type { MocksFile } from "./mocksFile";

export type { RecordMode } from "./mockState";

export interface RecordOptions {
  /** Directory of the Pulumi project (the folder holding Pulumi.yaml). */
  readonly programDir: string;
  /** `preview` runs with dryRun true (computed outputs are unknown); `update` with dryRun false. */
  readonly mode: RecordMode;
  /**
   * Config values, merged over Pulumi.yaml project config and Pulumi.<stack>.yaml. Keys without a
   * namespace (`fleetSize`) belong to the project (`<project>:fleetSize`). Non-string values are
   * passed JSON-encoded, as the Pulumi CLI does for structured config.
   */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Config keys (fully qualified or project-relative) whose values are secrets. */
  readonly secretConfigKeys?: readonly string[];
  /** Stack name; default `dev`. */
  readonly stack?: string;
  /** Project name; default the `name` in Pulumi.yaml. */
  readonly project?: string;
  /** Organization name; default `organization`. */
  readonly organization?: string;
  /** Kill the program after this long; default 120 000 ms. */
  readonly timeoutMs?: number;
  /** Results for invokes, stack references and resources the built-in mocks do not answer (`--mocks FILE`). */
  readonly mocks?: MocksFile;
}

/** Where the program declared a resource: the user's `new ...(` call, source-mapped for TypeScript. */
export interface SourceLocation {
  /** Absolute path of the file. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface RecordedOutputs {
  /** The id the mocks returned; absent in preview for a planned create (the engine does not know it). */
  readonly id?: string;
  /** Custom resources: the state the mocks returned. Components and the stack: what they registered with registerOutputs. */
  readonly state: WireProperties;
}

export interface RecordedInvoke {
  readonly token: string;
  readonly args: Record<string, unknown>;
  readonly provider?: string;
}

export interface RecordedRead {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly id: string;
  readonly state: WireProperties;
}

export interface Recording {
  readonly mode: RecordMode;
  readonly project: string;
  readonly stack: string;
  readonly programDir: string;
  /** Absolute path of the entry module the program ran from. */
  readonly entry: string;
  /**
   * Every resource the program registered, in registration order, with `properties` = inputs in wire
   * encoding (what the engine sends to Analyze). Includes the root `pulumi:pulumi:Stack`, component
   * resources, explicit providers, and the default providers the engine would create for custom
   * resources that name no provider (listed in `defaultProviders`).
   */
  readonly resources: readonly EngineResource[];
  /** Outputs per URN: what the mocks returned (custom resources) or what was registered (components, stack). */
  readonly outputs: Readonly<Record<string, RecordedOutputs>>;
  /** The stack outputs (the program's exports), in wire encoding. */
  readonly stackOutputs: WireProperties;
  /** URNs of the default providers synthesized as the engine would create them. */
  readonly defaultProviders: readonly string[];
  readonly invokes: readonly RecordedInvoke[];
  readonly reads: readonly RecordedRead[];
  /** Where each registered resource was declared, per URN (absent when no frame of the program's own code was found). */
  readonly locations: Readonly<Record<string, SourceLocation>>;
  /** The stack config keys whose values are `secure:` in Pulumi.<stack>.yaml and reached the program as a placeholder. */
  readonly securePlaceholders: readonly string[];
  /** What the program printed. */
  readonly stdout: string;
  readonly stderr: string;
}

/** Child-process protocol: the request the parent writes to a JSON file. */
export interface RunnerRequest {
  readonly programDir: string;
  readonly entry: string;
  readonly moduleType: "commonjs" | "module";
  readonly mode: RecordMode;
  readonly project: string;
  readonly stack: string;
  readonly organization: string;
  /** Fully qualified config (`ns:key` → string), as in PULUMI_CONFIG. */
  readonly config: Readonly<Record<string, string>>;
  readonly mocks: MocksFile;
  readonly resultFile: string;
}

/** Child-process protocol: the result the runner writes to `resultFile`. */
export type RunnerResult =
  | {
      readonly ok: true;
      readonly recording: Omit<
        Recording,
        "programDir" | "entry" | "stdout" | "stderr" | "mode" | "project" | "stack" | "securePlaceholders"
      >;
    }
  | { readonly ok: false; readonly kind: RecordingErrorKind; readonly message: string; readonly detail?: string };

export type RecordingErrorKind =
  | "not-a-project"
  | "unsupported-runtime"
  | "entry-not-found"
  | "dependencies-missing"
  | "load-failed"
  | "program-failed"
  /** An invoke or stack reference with neither a built-in result nor a mocks-file entry. */
  | "missing-mock"
  /** A config value the program requires is not set. */
  | "missing-config"
  | "timeout"
  | "crashed";
