#!/usr/bin/env node
// Checks a StrykerJS JSON report (mutation-testing-report-schema) against the targets of issue 16:
//   - 95 % or more of the mutants that are not string literals are killed;
//   - 85 % or more of all mutants are killed, message text included;
//   - no file of policy-pack/ under 85 % (all mutants).
// "Killed" is what Stryker calls detected: Killed or Timeout (an infinite loop a test ran into).
// Survived and NoCoverage count against the score. CompileError and RuntimeError mutants never reached
// a test (the TypeScript checker refused them) and Ignored ones were not run, so none of those three
// count either way. Equivalent mutants are not excluded: they stay in the figures and are listed with
// their reason in docs/mutation.md, so the slack under 100 % is visible rather than configured away.
//
//   node scripts/mutation-score.mjs [REPORT] [--survivors] [--json]
//     REPORT       default reports/mutation/mutation.json
//     --survivors  also list every surviving and uncovered mutant (file:line:column, mutator, replacement)
//     --json       print the figures as JSON instead of a table
// Exit status: 0 every target met; 1 a target missed; 2 no readable report.
import { readFileSync } from "node:fs";
import { dirname, join, relative, isAbsolute } from "node:path";
import { fileURLToPath } from "node:url";

export const TARGETS = { nonStringLiteral: 95, all: 85, perFile: 85 };
const PER_FILE_SCOPE = "policy-pack/";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const DETECTED = new Set(["Killed", "Timeout"]);
const UNDETECTED = new Set(["Survived", "NoCoverage"]);

/** Killed and valid counts over a list of mutants; the score is undefined when nothing was valid. */
export function tally(mutants) {
  let killed = 0;
  let valid = 0;
  for (const mutant of mutants) {
    if (DETECTED.has(mutant.status)) {
      killed += 1;
      valid += 1;
    } else if (UNDETECTED.has(mutant.status)) valid += 1;
  }
  return { killed, valid, score: valid === 0 ? undefined : (100 * killed) / valid };
}

/** The figures of a parsed report: the two global scores, one per file, and which targets are missed. */
export function scoreReport(report) {
  if (report === null || typeof report !== "object" || report.files === null || typeof report.files !== "object") {
    throw new Error("not a mutation-testing report: it has no `files` object");
  }
  const files = Object.entries(report.files).map(([path, file]) => {
    if (!Array.isArray(file?.mutants)) throw new Error(`not a mutation-testing report: ${path} has no \`mutants\` list`);
    const name = isAbsolute(path) ? relative(root, path) : path;
    return { name, mutants: file.mutants };
  });
  const all = files.flatMap((file) => file.mutants);
  const figures = {
    nonStringLiteral: tally(all.filter((mutant) => mutant.mutatorName !== "StringLiteral")),
    all: tally(all),
    files: files.map((file) => ({ name: file.name, ...tally(file.mutants) })).sort((left, right) => left.name.localeCompare(right.name)),
  };
  const missed = [];
  const below = (score, target) => score !== undefined && score < target;
  if (figures.all.valid === 0) missed.push("the report holds no mutant that reached a test");
  if (below(figures.nonStringLiteral.score, TARGETS.nonStringLiteral)) {
    missed.push(`non-string-literal mutants: ${format(figures.nonStringLiteral.score)} killed, target ${TARGETS.nonStringLiteral} %`);
  }
  if (below(figures.all.score, TARGETS.all)) missed.push(`all mutants: ${format(figures.all.score)} killed, target ${TARGETS.all} %`);
  for (const file of figures.files) {
    if (file.name.startsWith(PER_FILE_SCOPE) && below(file.score, TARGETS.perFile)) {
      missed.push(`${file.name}: ${format(file.score)} killed, target ${TARGETS.perFile} % per file`);
    }
  }
  return { ...figures, missed };
}

/** Every mutant that no test noticed, for fixing: location, mutator, replacement. */
export function survivors(report) {
  return Object.entries(report.files).flatMap(([path, file]) =>
    file.mutants
      .filter((mutant) => UNDETECTED.has(mutant.status))
      .map((mutant) => ({
        file: isAbsolute(path) ? relative(root, path) : path,
        line: mutant.location.start.line,
        column: mutant.location.start.column,
        status: mutant.status,
        mutator: mutant.mutatorName,
        replacement: mutant.replacement,
      })),
  );
}

function format(score) {
  return score === undefined ? "n/a" : `${score.toFixed(1)} %`;
}

function printTable(figures) {
  const line = (label, { killed, valid, score }) =>
    `${label.padEnd(48)} ${format(score).padStart(8)}  ${`${killed}/${valid}`.padStart(11)}`;
  const out = [
    `${"".padEnd(48)} ${"killed".padStart(8)}  ${"of valid".padStart(11)}`,
    line(`non-string-literal mutants (target ${TARGETS.nonStringLiteral} %)`, figures.nonStringLiteral),
    line(`all mutants (target ${TARGETS.all} %)`, figures.all),
    `per file (target ${TARGETS.perFile} % for ${PER_FILE_SCOPE}):`,
    ...figures.files.map((file) => line(`  ${file.name}`, file)),
  ];
  process.stdout.write(`${out.join("\n")}\n`);
}

function main(argv) {
  const flags = new Set(argv.filter((arg) => arg.startsWith("--")));
  const unknown = [...flags].filter((flag) => flag !== "--survivors" && flag !== "--json");
  const paths = argv.filter((arg) => !arg.startsWith("--"));
  if (unknown.length > 0 || paths.length > 1) {
    process.stderr.write("usage: node scripts/mutation-score.mjs [REPORT] [--survivors] [--json]\n");
    return 2;
  }
  const reportPath = paths[0] ?? join(root, "reports", "mutation", "mutation.json");
  let report;
  let figures;
  try {
    report = JSON.parse(readFileSync(reportPath, "utf8"));
    figures = scoreReport(report);
  } catch (error) {
    process.stderr.write(`mutation-score: cannot read ${reportPath}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.stderr.write("Run `npm run mutation` first; it writes the report there.\n");
    return 2;
  }
  if (flags.has("--json")) process.stdout.write(`${JSON.stringify({ targets: TARGETS, ...figures }, null, 2)}\n`);
  else printTable(figures);
  if (flags.has("--survivors")) {
    for (const mutant of survivors(report)) {
      process.stdout.write(
        `${mutant.file}:${mutant.line}:${mutant.column}  ${mutant.status}  ${mutant.mutator}  ${JSON.stringify(mutant.replacement)}\n`,
      );
    }
  }
  if (figures.missed.length > 0) {
    process.stderr.write(`mutation-score: under the targets:\n${figures.missed.map((reason) => `  - ${reason}`).join("\n")}\n`);
    return 1;
  }
  process.stderr.write("mutation-score: every target met\n");
  return 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
