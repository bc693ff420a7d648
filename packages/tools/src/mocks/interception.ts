// Installs Pulumi's mocks on the program's SDK and wraps the mock monitor, keeping what the SDK would
// send to the engine in an Intercepted (plain data, see assembly.ts) while the program runs.
//
// Inputs, dependencies and property dependencies are not passed to `Mocks.newResource`, so the
// monitor's `registerResource` is wrapped: the RegisterResourceRequest it receives is the one the SDK
// would send to the engine (wire-encoded object, dependencies, propertyDependencies, parent, provider
// reference, options). Outputs come from the response the mock monitor builds, and component/stack
// outputs from `registerResourceOutputs`. Only what the SDK waits for happens here: the URN it is
// given, and the mocks' answers to new resources, reads and invokes.

import type { WireProperties } from "../engine/types";
import {
  emptyIntercepted,
  missingInvokeLine,
  regionOf,
  stackReferenceAnswer,
  stackReferenceName,
  withGivenOutputs,
  type Intercepted,
  type InterceptedFrame,
  type InterceptedRegistration,
} from "./assembly";
import { builtInLookup } from "./lookups";
import { DEFAULT_REGION, mockResource, type MockLookup } from "./mockState";
import { mockedInvoke, resourceOutputs, stackReferenceOutputs } from "./mocksFile";
import {
  acceptModuleFrames,
  mockMonitorOf,
  toWireProperties,
  type MonitorCallback,
  type ProgramSdk,
  type PulumiMocks,
  type ReadResourceRequest,
  type ReadResourceResponse,
  type RegisterResourceOutputsRequest,
  type RegisterResourceRequest,
  type RegisterResourceResponse,
  type SourcePositionMessage,
} from "./sdkShims";
import type { RunnerRequest } from "./types";
import { engineUrn } from "./urn";

const STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference";

function frameOf(position: SourcePositionMessage | undefined): InterceptedFrame | undefined {
  return position ? { uri: position.getUri(), line: position.getLine(), column: position.getColumn() } : undefined;
}

/** The stack of the `new ...(` call, innermost frame first, then the position the SDK chose. */
function framesOf(req: RegisterResourceRequest): InterceptedFrame[] {
  const positions = [...(req.getStacktrace?.()?.getFramesList() ?? []).map((frame) => frame.getPc()), req.getSourceposition?.()];
  return positions.map(frameOf).filter((frame): frame is InterceptedFrame => frame !== undefined);
}

/**
 * Installs the mocks on `program`'s SDK and wraps its mock monitor; returns the Intercepted it fills
 * while the program runs. Throws SdkShimError when the SDK's mock monitor is not the expected one.
 */
export async function interceptRegistrations(
  program: ProgramSdk,
  request: Pick<RunnerRequest, "mode" | "project" | "stack" | "organization" | "config" | "mocks">,
): Promise<Intercepted> {
  const intercepted = emptyIntercepted();
  const preview = request.mode === "preview";
  const byUrn = new Map<string, InterceptedRegistration>();
  let current: { urn: string; custom: boolean; inputs: WireProperties; region: string; importId?: string } | undefined;
  const regionFor = (providerRef: string | undefined): string => regionOf(byUrn, providerRef, request.config, DEFAULT_REGION);

  const lookup: MockLookup = {
    findByType: (type) =>
      intercepted.registrations
        .filter((r) => r.type === type && r.state !== undefined)
        .map((r) => ({ urn: r.urn, inputs: r.inputs, state: r.state! })),
  };

  const mocks: PulumiMocks = {
    newResource(args: { type: string; name: string; inputs: unknown; id?: string }) {
      const req = current;
      if (!req) throw new Error(`internal: no captured request for ${args.type} ${args.name}`);
      if (args.type === STACK_REFERENCE_TYPE) {
        // A StackReference is a read of `pulumi:pulumi:StackReference`; its outputs come from the mocks file.
        const name = stackReferenceName(args.name, req.inputs);
        const answer = stackReferenceAnswer(name, stackReferenceOutputs(request.mocks, name, request.organization, request.project));
        if ("missing" in answer) {
          intercepted.missingMocks.push(answer.missing);
          throw new Error(`check has no outputs for the stack reference ${name}`);
        }
        return answer;
      }
      const res = mockResource(
        {
          urn: req.urn,
          type: args.type,
          name: args.name,
          custom: req.custom,
          inputs: req.inputs,
          region: req.region,
          importId: req.importId,
        },
        request.mode,
        lookup,
      );
      return {
        id: res.id,
        state: withGivenOutputs(res.state, resourceOutputs(request.mocks, args.type, args.name), request.mode, req.importId),
      };
    },
    call(args: { token: string; inputs: Record<string, unknown>; provider?: string }) {
      intercepted.invokes.push({ token: args.token, args: args.inputs, ...(args.provider ? { provider: args.provider } : {}) });
      const answer = mockedInvoke(request.mocks, args.token, args.inputs);
      if (answer.kind === "result") return { ...answer.result };
      const builtIn = answer.kind === "absent" ? builtInLookup(args.token, args.inputs, { region: regionFor(args.provider) }) : undefined;
      if (builtIn) return builtIn;
      intercepted.missingMocks.push(missingInvokeLine(args.token, args.inputs, answer.kind));
      throw new Error(`check has no result for the invoke ${args.token}`);
    },
  };

  await program.sdk.runtime.setMocks(mocks, request.project, request.stack, preview, request.organization);
  const monitor = mockMonitorOf(program);
  // The mock monitor keeps only the parent's last type and keeps the root stack's type; the engine
  // does neither. Every URN the SDK sees (parents, dependencies, outputs) comes from here.
  monitor.newUrn = (parent: string, type: string, name: string) =>
    engineUrn(request.stack, request.project, parent || undefined, type, name);
  acceptModuleFrames(program.sdk);

  const originalRegister = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: RegisterResourceRequest, callback: MonitorCallback<RegisterResourceResponse>) => {
    const type = req.getType();
    const name = req.getName();
    const parent = req.getParent();
    const urn = monitor.newUrn(parent, type, name);
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps, key) => {
      propertyDependencies[key] = [...deps.getUrnsList()];
    });
    const record: InterceptedRegistration = {
      urn,
      type,
      name,
      custom: req.getCustom(),
      ...(parent ? { parent } : {}),
      ...(req.getProvider() ? { providerRef: req.getProvider() } : {}),
      ...(req.getVersion() ? { version: req.getVersion() } : {}),
      inputs: toWireProperties(req.getObject()),
      dependencies: [...req.getDependenciesList()],
      propertyDependencies,
      options: {
        protect: req.getProtect?.() ?? false,
        ignoreChanges: req.getIgnorechangesList?.() ?? [],
        deleteBeforeReplace: req.getDeletebeforereplace?.() ?? false,
        aliasUrns: req.getAliasurnsList?.() ?? [],
        aliases: (req.getAliasesList?.() ?? []).map((a) => a.getUrn?.()).filter((u): u is string => typeof u === "string" && u !== ""),
        additionalSecretOutputs: req.getAdditionalsecretoutputsList?.() ?? [],
      },
      frames: framesOf(req),
    };
    intercepted.registrations.push(record);
    byUrn.set(urn, record);
    const importId = req.getImportid?.() ?? "";
    current = {
      urn,
      custom: record.custom,
      inputs: record.inputs,
      region: regionFor(record.providerRef),
      ...(importId ? { importId } : {}),
    };
    try {
      return originalRegister(req, (err, resp) => {
        if (err) {
          record.failed = true;
        } else if (resp) {
          const id = resp.getId();
          if (id) record.id = id;
          record.state = toWireProperties(resp.getObject());
        }
        callback(err, resp);
      });
    } finally {
      current = undefined;
    }
  };

  const originalRead = monitor.readResource.bind(monitor);
  monitor.readResource = (req: ReadResourceRequest, callback: MonitorCallback<ReadResourceResponse>) => {
    const type = req.getType();
    const name = req.getName();
    const urn = monitor.newUrn(req.getParent(), type, name);
    const id = req.getId();
    current = { urn, custom: true, inputs: toWireProperties(req.getProperties()), region: regionFor(req.getProvider()), importId: id };
    try {
      return originalRead(req, (err, resp) => {
        if (!err && resp) intercepted.reads.push({ urn, type, name, id, state: toWireProperties(resp.getProperties()) });
        callback(err, resp);
      });
    } finally {
      current = undefined;
    }
  };

  const originalOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req: RegisterResourceOutputsRequest, callback: MonitorCallback<unknown>) => {
    intercepted.registeredOutputs[req.getUrn()] = toWireProperties(req.getOutputs());
    return originalOutputs(req, callback);
  };

  return intercepted;
}
