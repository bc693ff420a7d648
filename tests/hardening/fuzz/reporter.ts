// How a fuzz failure is reported: by seed and path, so it can be replayed.
import type fc from "fast-check";

export function conciseReporter<T>(details: fc.RunDetails<T>): void {
  if (!details.failed) return;
  if (details.interrupted && details.counterexample === null) {
    throw new Error(`fuzz run interrupted by its time limit after ${details.numRuns} run(s): not every case ran (seed ${details.seed})`);
  }
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(`fuzz failure (replay with seed ${details.seed}, path "${details.counterexamplePath ?? ""}"): ${error.slice(0, 4000)}`);
}
