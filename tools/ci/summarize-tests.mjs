// Sums the test runners' own JSON reports (jest --json, vitest's json reporter share the shape) into
// the one line CI reads: "N passed, N failed". Usage: node summarize-tests.mjs <report.json>...
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  // A suite that failed to load has no failed tests but must not pass silently.
  failed += report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
}
console.log(`${passed} passed, ${failed} failed`);
