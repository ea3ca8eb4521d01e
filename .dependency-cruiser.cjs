/**
 * The module structure `npm test` (and so CI) holds the code to, checked by dependency-cruiser:
 *
 *   npx depcruise --config .dependency-cruiser.cjs contract src plugin-server bin test bench
 *
 * (`npm run lint:imports` adds `--cache node_modules/.cache/dependency-cruiser`: an unchanged tree is not cruised
 * again, as ESLint and Prettier skip unchanged files.)
 *
 * - no import cycle anywhere (type-only imports count: a type cycle is what forced casts such as
 *   `as unknown as Config`);
 * - the generator and command line (src/) and the plugin server (plugin-server/) import each other only through
 *   the contract both depend on (contract/); the one exception is the command line's verbs that start the plugin
 *   server. The contract depends on neither half.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle: split the module both sides need out of one of them.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'generator-imports-plugin-server',
      comment: 'src/ reaches the plugin server only through the contract (or as the verb that starts it).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/commands/(serve|controller|sweep)(\\.run)?\\.ts$' },
      to: { path: '^plugin-server/' },
    },
    {
      name: 'plugin-server-imports-generator',
      comment: 'plugin-server/ reaches the generator only through the contract.',
      severity: 'error',
      from: { path: '^plugin-server/' },
      to: { path: '^src/' },
    },
    {
      name: 'contract-imports-a-half',
      comment: 'contract/ is what both halves share: it depends on neither.',
      severity: 'error',
      from: { path: '^contract/' },
      to: { path: '^(src|plugin-server)/' },
    },
    {
      name: 'not-to-test',
      comment: 'Production code never imports test code.',
      severity: 'error',
      from: { pathNot: '^(test|bench)/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    // Type-only imports are dependencies too (see above).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^node_modules/' },
  },
};
