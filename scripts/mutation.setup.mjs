// Vitest setup for mutation runs only (scripts/mutation.vitest.config.mjs). Stryker needs to know that a
// test failed, not the smallest counterexample: without shrinking, a property that a mutant breaks fails
// at once instead of running into Stryker's timeout while fast-check shrinks.
import fc from "fast-check";

fc.configureGlobal({ ...fc.readConfigureGlobal(), endOnFailure: true });
