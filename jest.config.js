/** Jest runs the TypeScript sources through ts-jest without type checking (isolatedModules): the type check runs once,
 * in `npm run lint` (tsc -p tsconfig.json) and `npm run build` (jsii). `.ts` resolves before `.js` so a test never
 * runs stale compiled output.
 *
 * Two projects:
 * - `unit`: everything that tests the sources; needs nothing but `npm ci`.
 * - `package`: what tests the built package (dist/, .jsii: the tarball, the consumer project, the Python wheel, API.md,
 *   the benchmark). Its global setup runs the jsii build first when dist/ or .jsii is missing or older than its
 *   sources, so `npx jest` works on a fresh clone and never tests a stale build. Jest runs a project's global setup only
 *   when at least one of its tests is selected: `npx jest test/core` does not build. */
const shared = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }],
  },
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
  setupFilesAfterEnv: ['<rootDir>/test/support/setup.ts'],
  testTimeout: 60000,
};

const packageTests = ['<rootDir>/test/bench.test.ts', '<rootDir>/test/packaging/', '<rootDir>/test/consumer/'];

module.exports = {
  // CI never writes snapshots: a missing or changed snapshot fails (update locally with `npx jest -u` and read the diff).
  ci: true,
  testTimeout: 60000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...packageTests],
    },
    {
      ...shared,
      displayName: 'package',
      roots: ['<rootDir>/test'],
      testMatch: packageTests.map((p) => (p.endsWith('/') ? `${p}**/*.test.ts` : p)),
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/consumer/project/'],
      globalSetup: '<rootDir>/test/support/build-package.ts',
    },
  ],
};
