/**
 * One mistake, one problem. A misspelled key or name (`servics:`, `environments.production`, a service name in an
 * environment that no service has) makes the schema also report the key it was meant to be as missing, or the
 * name's settings as absent: those problems follow from the typo and go once the typo is fixed, so only the typo
 * is reported, with its "did you mean".
 */
import type { RawProblem } from './raw-problem.ts';

export function foldFollowOnProblems(problems: readonly RawProblem[]): RawProblem[] {
  const typos = problems.filter((problem) => problem.suggestion !== undefined);
  return problems.filter((problem) => problem.suggestion !== undefined || !typos.some((typo) => followsFrom(problem, typo)));
}

/**
 * Whether `problem` is about what `typo` was meant to be: a field at or under the intended key, or a problem of
 * the enclosing object that names the intended key in quotes ("needs a readiness check: set \"healthPath\"").
 */
function followsFrom(problem: RawProblem, typo: RawProblem): boolean {
  const parent = typo.path.slice(0, -1);
  const intended = [...parent, typo.suggestion!];
  if (startsWith(problem.path, intended)) return true;
  return startsWith(parent, problem.path) && problem.message.includes(`"${typo.suggestion}"`);
}

function startsWith(path: readonly PropertyKey[], prefix: readonly PropertyKey[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => path[index] === segment);
}
