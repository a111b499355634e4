// ESLint for the web UI (web/*.js, ES modules without a build step) and for the end-to-end
// tests themselves (Node). Run by ctest `web_lint`: tests/web/lint.sh.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["web/**/*.js"],
    // `when` is a non-standard browser global (Chromium's Observable API) that app.js defines.
    languageOptions: { ecmaVersion: 2023, sourceType: "module", globals: { ...globals.browser, when: "off" } },
    rules: {
      "no-unused-vars": ["error", { args: "none", caughtErrors: "none" }],
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-var": "error",
      "prefer-const": "error",
    },
  },
  {
    files: ["tests/web/**/*.mjs", "tests/openapi/**/*.mjs"],
    languageOptions: { ecmaVersion: 2023, sourceType: "module", globals: { ...globals.node, ...globals.browser } },
    rules: { "no-unused-vars": ["error", { args: "none", caughtErrors: "none" }] },
  },
];
