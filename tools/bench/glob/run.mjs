// Claim globs against hostile input: the contract's linear matcher (`npm run build` first) against
// the backtracking regular expression it replaced, on adversarial patterns and long values.
// Prints the worst time per match; the regex is only given values short enough to come back.
import { performance } from 'node:perf_hooks';
import { Glob } from '@dora/domain';

const PATTERNS = ['*a*a*a*a*a*a*!', `${'*a'.repeat(100)}*!`, `*${'a'.repeat(200)}b`, `${'?*'.repeat(120)}!`, 'refs/heads/*'];
const VALUE_LENGTH = Number(process.env.BENCH_VALUE_LENGTH ?? 10_000);
const REPEAT = 20;

function backtracking(pattern) {
  const source = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 's');
}

function worstMs(match, value) {
  for (let i = 0; i < 3; i++) match(value); // compiled, as in a running server
  let worst = 0;
  for (let i = 0; i < REPEAT; i++) {
    const started = performance.now();
    match(value);
    worst = Math.max(worst, performance.now() - started);
  }
  return worst;
}

console.log(`value: ${VALUE_LENGTH} × "a"; worst of ${REPEAT} runs per pattern after 3 warm-up runs`);
let overall = 0;
for (const pattern of PATTERNS) {
  const glob = new Glob(pattern);
  const ms = worstMs((v) => glob.matches(v), 'a'.repeat(VALUE_LENGTH));
  overall = Math.max(overall, ms);
  // The regex, on a value of 24 characters (it grows as n^k with the stars; 300 already takes hours).
  const regex = backtracking(pattern);
  const regexMs = worstMs((v) => regex.test(v), 'a'.repeat(24));
  console.log(`${pattern.length > 40 ? `${pattern.slice(0, 37)}...` : pattern.padEnd(40)}  linear ${ms.toFixed(3)} ms at ${VALUE_LENGTH} chars   regex ${regexMs.toFixed(3)} ms at 24 chars`);
}
console.log(`worst linear match: ${overall.toFixed(3)} ms (target: under 5 ms)`);
