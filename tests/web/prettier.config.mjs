// Prettier for the web UI and its browser tests (ctest web_lint checks it; scripts/format-web
// rewrites). Wide lines: views build DOM trees whose nesting reads best with room.
export default {
  printWidth: 120,
  trailingComma: "all",
};
