/** Jest runs the TypeScript sources through ts-jest without type checking (isolatedModules): the type check runs once,
 * in `npm run lint` (tsc -p tsconfig.dev.json) and `npm run build` (jsii). `.ts` resolves before `.js` so a test never
 * runs stale compiled output. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }],
  },
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
  // CI never writes snapshots: a missing or changed snapshot fails (update locally with `npx jest -u` and read the diff).
  ci: true,
  setupFilesAfterEnv: ['<rootDir>/test/support/setup.ts'],
  testTimeout: 60000,
};
