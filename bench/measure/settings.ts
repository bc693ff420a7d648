// How much each measurement repeats (`--quick` for fewer), which one runs alone (`--only`), and the
// log and clock helpers every measurement shares.

export const QUICK = process.argv.includes("--quick");
export const COLD_RUNS = QUICK ? 3 : 10;
export const ANALYZE_REQUESTS = QUICK ? 300 : 2000;
export const STACK_SIZES = [1_000, 10_000, 50_000] as const;
export const STACK_RUNS: Record<number, number> = QUICK ? { 1000: 3, 10000: 2, 50000: 1 } : { 1000: 7, 10000: 5, 50000: 3 };
export const VARIANT_RUNS = QUICK ? 2 : 3;
export const CHECK_RUNS = QUICK ? 1 : 3;
export const REAL_SHAPES_RUNS = QUICK ? 3 : 9;
export const ONLY = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;

export const log = (message: string) => process.stderr.write(`${message}\n`);
export const ms = (start: number) => performance.now() - start;
