// Lint rules that guard the codebase's shape: no floating promises, no import cycles,
// no `any`, type-only imports, a file-size budget, and the dependency direction of
// README "Architecture" (protocol <- sdk <- cli; protocol imports nothing of ours).
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import importX from "eslint-plugin-import-x";
import globals from "globals";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/.tmp/**", "stepwise/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: {
          allowDefaultProject: [
            "*.js",
            "*.ts",
            "bench/*.mjs",
            "examples/*.mjs",
            "packages/cli/bin/*.js",
            "packages/sdk/bin/*.js",
            "packages/sdk/test/fixtures/*.mjs",
          ],
        },
      },
    },
    plugins: { "import-x": importX },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "import-x/no-cycle": "error",
      "max-lines": ["error", { max: 400, skipBlankLines: true, skipComments: true }],
      "no-restricted-syntax": [
        "error",
        { selector: "TSAsExpression > TSAnyKeyword", message: "no `as any`" },
      ],
    },
  },
  {
    files: ["packages/protocol/src/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["stepwise", "@stepwise/*", "node:*"],
              message: "protocol is pure: no I/O, imports nothing of ours",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["packages/sdk/src/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@stepwise/cli", "@stepwise/server"], message: "the SDK depends on protocol only" },
          ],
        },
      ],
    },
  },
  {
    files: ["packages/server/src/domain/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "**/store/sqlite/**",
                "**/store/postgres/**",
                "**/http/**",
                "better-sqlite3",
                "hono",
                "node:*",
              ],
              message: "server/domain holds pure rules: no storage implementation, no HTTP, no I/O",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["packages/server/src/**"],
    ignores: ["packages/server/src/domain/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["stepwise", "@stepwise/cli"], message: "the server depends on protocol only" },
          ],
        },
      ],
    },
  },
  {
    // The storage-independent core (docs/storage.md, "Architecture"): it reaches storage only
    // through its ports, so no storage implementation, no HTTP.
    files: ["packages/server/src/ingest/**", "packages/server/src/series/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["stepwise", "@stepwise/cli"], message: "the server depends on protocol only" },
            {
              group: ["**/store/sqlite/**", "**/store/postgres/**", "**/http/**", "better-sqlite3", "hono"],
              message: "the ingest and series core talks to storage through its ports only",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["packages/cli/src/**"],
    // `migrate` copies a server's data directory: it loads the server's stores (lazily, as `server` does).
    ignores: [
      "packages/cli/src/commands/server.ts",
      "packages/cli/src/commands/server/**",
      "packages/cli/src/commands/migrate.ts",
    ],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@stepwise/server"], message: "only the `server` command may load the server" },
          ],
        },
      ],
    },
  },
  {
    files: ["packages/web/**/*.ts", "packages/web/**/*.tsx"],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // import-x's legacy node resolver throws on vite's package; a config file has no cycles.
    files: ["packages/web/vite.config.ts"],
    rules: { "import-x/no-cycle": "off" },
  },
  {
    files: ["packages/web/src/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "stepwise",
                "stepwise/*",
                "@stepwise/server",
                "@stepwise/cli",
                "@stepwise/sdk",
                "node:*",
              ],
              message: "the web UI runs in the browser and depends on protocol only",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
);
