// `npm test`: the type check, the lint (ESLint, the module structure, Prettier) and the test suite, at the same
// time. One after another they took a quarter of a minute more: while vitest waits on the processes and sockets
// its tests start, the checks use the CPU it leaves. The checks' output is held and printed after vitest's, so
// the two never interleave; the exit code is the first failure's. Arguments go to vitest (`npm test -- test/cli`).
//
//   npm test [-- <vitest arguments>]
import { spawn } from 'node:child_process';

/** Runs `command args`; resolves to its exit code and, when `hold` is set, what it printed. */
function run(command, args, hold) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: hold ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    if (hold) for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => (output += chunk));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

const checks = [
  ['typecheck', run('npm', ['run', '--silent', 'typecheck'], true)],
  ['lint', run('npm', ['run', '--silent', 'lint'], true)],
];
const suite = await run('npx', ['vitest', 'run', ...process.argv.slice(2)], false);
let failed = suite.code;
for (const [name, pending] of checks) {
  const { code, output } = await pending;
  if (output.trim()) process.stdout.write(`\n== npm run ${name}\n${output}`);
  if (code !== 0) {
    process.stderr.write(`npm run ${name} failed (exit ${code})\n`);
    failed ||= code;
  }
}
process.exitCode = failed;
