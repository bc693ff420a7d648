#!/usr/bin/env node
// Entry point of `npm run check` and of the `codedeploy-guardrails-check` bin.
import { runCheckCli } from "./main";

void runCheckCli(process.argv.slice(2)).then(({ exitCode }) => {
  process.exitCode = exitCode;
});
