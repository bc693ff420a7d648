// ESLint flat config: typescript-eslint's type-aware recommended rules on every .ts file (the same
// files tsconfig.json type-checks), the Pulumi plugin's Output-in-template-literal rules, and
// plain ESLint recommended for the Node scripts in scripts/ (CommonJS .js, ES-module .mjs).
// Formatting is Prettier's job: none of the configs below enables a stylistic rule, so the two
// never disagree.
import js from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import { defineConfig, globalIgnores } from "eslint/config";
import tseslint from "typescript-eslint";

// The Node globals scripts/*.js and scripts/*.mjs use. Listed here rather than taken from the `globals`
// package, which is only a transitive dependency of ESLint; `sourceType: "commonjs"` already adds
// require/module/exports. __dirname and __filename exist in CommonJS only, so they are added per block.
const nodeGlobals = Object.fromEntries(
  [
    "Buffer",
    "console",
    "process",
    "setTimeout",
    "clearTimeout",
    "setInterval",
    "clearInterval",
    "setImmediate",
    "clearImmediate",
    "URL",
    "URLSearchParams",
    "TextEncoder",
    "TextDecoder",
    "AbortController",
    "AbortSignal",
    "fetch",
    "structuredClone",
  ].map((name) => [name, "readonly"]),
);
const commonJsGlobals = { ...nodeGlobals, __dirname: "readonly", __filename: "readonly" };
const nodeScriptRules = {
  "no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" }],
  eqeqeq: ["error", "smart"],
};

export default defineConfig([
  globalIgnores([
    "**/node_modules/",
    "dist/",
    "packages/*/dist/",
    "coverage/",
    ".tmp/",
    // Compiled output (tsc, a reference stack's bin/) is never linted; the hand-written scripts are.
    "**/*.js",
    "!scripts/*.js",
    "!packages/*/scripts/*.js",
  ]),
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },

  {
    name: "project/typescript",
    files: ["**/*.ts"],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        // Each file is checked with the tsconfig.json that includes it, so lint and `tsc` agree.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: {
      // The plugin exports `{ rules }` only (no flat `configs`), so its rules are enabled by name.
      "@pulumi": pulumi,
    },
    rules: {
      "@pulumi/no-output-in-template-literal": "error",
      "@pulumi/no-output-instance-in-template-literal": "error",

      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
          ignoreRestSiblings: true,
        },
      ],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      eqeqeq: ["error", "smart"],
    },
  },

  {
    name: "project/tests",
    files: ["tests/**/*.ts", "bench/**/*.ts"],
    rules: {
      // `expect(mock.method).toHaveBeenCalled()` passes a method unbound on purpose.
      "@typescript-eslint/unbound-method": "off",
    },
  },

  {
    name: "project/node-scripts",
    files: ["scripts/**/*.js", "packages/*/scripts/**/*.js"],
    extends: [js.configs.recommended],
    languageOptions: {
      sourceType: "commonjs",
      ecmaVersion: 2022,
      globals: commonJsGlobals,
    },
    rules: nodeScriptRules,
  },

  {
    name: "project/esm-config",
    files: ["**/*.mjs"],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: "module", ecmaVersion: 2022 },
  },

  {
    name: "project/node-esm-scripts",
    files: ["scripts/**/*.mjs"],
    languageOptions: { globals: nodeGlobals },
    rules: nodeScriptRules,
  },
]);
