// Long fuzz runs of the policy pack, replayable by seed:
//
//   npm run fuzz -- --seed 42 --runs 200000            # rule core (adapters + evaluateStack)
//   npm run fuzz -- --seed 42 --runs 20000 --grpc      # through the analyzer protocol (compiled pack)
//   npm run fuzz -- --seed 42 --runs 20000 --type aws-native:codedeploy:DeploymentGroup
//   npm run fuzz -- --seed -1205731054 --path "3:0:1" --grpc --type ...   # replay one failure
//
// `--runs` counts cases per resource type (with --grpc, in chunks of 50 per fast-check run; half the
// chunks are sent as a real preview or update sends them, see ChunkShapes in grpc.ts). On a
// failure it prints the seed and counterexample path to replay, and exits 1.
import fc from "fast-check";
import { startPack } from "../../engine/helpers";
import { caseArbFor, type FuzzCase } from "./cases";
import { chunkShapesArb, FUZZ_PACK_CONFIG, isAlive, runGrpcChunk } from "./grpc";
import { runDirectCase } from "./oracle";
import { FUZZ_TYPES } from "./stacks";

interface Args {
  seed: number;
  runs: number;
  grpc: boolean;
  path?: string;
  types: string[];
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { seed: Date.now() ^ (Math.random() * 0x7fffffff), runs: 10_000, grpc: false, types: [...FUZZ_TYPES] };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    const value = (): string => {
      const next = argv[++index];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case "--seed":
        args.seed = Number.parseInt(value(), 10);
        break;
      case "--runs":
        args.runs = Number.parseInt(value(), 10);
        break;
      case "--grpc":
        args.grpc = true;
        break;
      case "--path":
        args.path = value();
        break;
      case "--type":
        args.types = [value()];
        break;
      case "--help":
        console.log("usage: npm run fuzz -- [--seed N] [--runs N] [--grpc] [--type TYPE] [--path PATH]");
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${flag}`);
    }
  }
  if (!Number.isInteger(args.seed)) throw new Error("--seed must be an integer");
  if (!Number.isInteger(args.runs) || args.runs < 1) throw new Error("--runs must be a positive integer");
  return args;
}

const CHUNK = 50;

function report<T>(type: string, details: fc.RunDetails<T>, args: Args): boolean {
  if (!details.failed) {
    console.log(`ok   ${type}: ${details.numRuns} run(s)${details.interrupted ? " (interrupted)" : ""}`);
    return true;
  }
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  console.log(`FAIL ${type}: ${error.slice(0, 4000)}`);
  console.log(
    `     replay: npm run fuzz -- --seed ${details.seed} --path "${details.counterexamplePath ?? ""}" --runs ${args.runs} --type ${type}${args.grpc ? " --grpc" : ""}`,
  );
  return false;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  console.log(`fuzz: seed ${args.seed}, ${args.runs} case(s) per type, ${args.grpc ? "through gRPC" : "rule core"}`);
  const started = Date.now();
  let ok = true;
  if (!args.grpc) {
    for (const type of args.types) {
      const details = fc.check(
        fc.property(caseArbFor(type), (fuzzCase: FuzzCase) => {
          const failure = runDirectCase(fuzzCase);
          if (failure) throw new Error(failure);
        }),
        { seed: args.seed, path: args.path, numRuns: args.runs },
      );
      ok = report(type, details, args) && ok;
    }
  } else {
    let pack = await startPack(FUZZ_PACK_CONFIG);
    try {
      for (const type of args.types) {
        const details = await fc.check(
          fc.asyncProperty(fc.array(caseArbFor(type), { minLength: CHUNK, maxLength: CHUNK }), chunkShapesArb, async (cases, shapes) => {
            if (!isAlive(pack.pid)) {
              // Keep going after a crash so shrinking can still run; the crash itself is the failure.
              await pack.close();
              pack = await startPack(FUZZ_PACK_CONFIG);
              throw new Error("the pack process had died");
            }
            const failure = await runGrpcChunk(pack, cases, shapes);
            if (failure) throw new Error(failure);
          }),
          { seed: args.seed, path: args.path, numRuns: Math.ceil(args.runs / CHUNK) },
        );
        ok = report(type, details, args) && ok;
      }
    } finally {
      await pack.close();
    }
  }
  console.log(`fuzz: ${ok ? "passed" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${args.seed})`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
