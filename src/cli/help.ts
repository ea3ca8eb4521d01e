/** The text of `dynenv --help` and `dynenv <verb> --help`, from the verbs' declarations. */
import { HELP_FLAG, type Flag, type ListFlag } from './flags.ts';
import type { Verb } from './verb.ts';

/** `dynenv --help`: every verb with its summary, aligned. */
export function formatUsage(verbs: readonly Verb[]): string {
  const width = Math.max(...verbs.map((verb) => verb.name.length));
  return [
    'usage: dynenv <command> [options]',
    '',
    'commands:',
    ...verbs.map((verb) => `  ${verb.name.padEnd(width)} ${verb.summary}`),
    '',
    'Run `dynenv <command> --help` for the options of a command; `dynenv --version` prints the version.',
    '',
  ].join('\n');
}

/** `dynenv <verb> --help`: usage, description, then every flag with its default, then the environment. */
export function formatVerbHelp(verb: Verb): string {
  const rows = [...Object.entries(verb.flags), ['help', HELP_FLAG] as const].map(([name, flag]) => [flagSpelling(name, flag), flagText(flag)] as const);
  const width = Math.max(...rows.map(([spelling]) => spelling.length));
  const operands = Object.values(verb.flags).find((flag): flag is ListFlag => flag.type === 'list' && flag.operands === true);
  const usage = `usage: dynenv ${verb.name}${Object.keys(verb.flags).length > 0 ? ' [options]' : ''}${operands ? ` [${operands.valueName ?? 'VALUE'}...]` : ''}`;
  const lines = [usage, '', verb.description ?? `${capitalize(verb.summary)}.`, '', 'options:'];
  lines.push(...rows.map(([spelling, text]) => `  ${spelling.padEnd(width)}  ${text}`));
  if (verb.environment && verb.environment.length > 0) {
    const nameWidth = Math.max(...verb.environment.map((variable) => variable.name.length));
    lines.push('', 'environment:');
    for (const variable of verb.environment) {
      const fallback = variable.default === undefined ? '' : ` (default: ${variable.default})`;
      lines.push(`  ${variable.name.padEnd(nameWidth)}  ${variable.description}${fallback}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** `-h, --help`, `--config FILE` */
function flagSpelling(name: string, flag: Flag): string {
  const value = flag.type === 'boolean' ? '' : ` ${flag.valueName ?? (flag.type === 'integer' ? 'N' : 'VALUE')}${flag.type === 'list' ? '...' : ''}`;
  return `${flag.short ? `-${flag.short}, ` : ''}--${name}${value}`;
}

/** The description, then what the flag is when absent, then its other names. */
function flagText(flag: Flag): string {
  const notes: string[] = [];
  if (flag.type === 'list') notes.push(flag.operands ? 'repeatable; the operands are values too' : 'repeatable');
  else if (flag.type !== 'boolean') {
    if (flag.type === 'string' && flag.choices) notes.push(`one of: ${flag.choices.join(', ')}`);
    if (flag.type === 'integer' && flag.min !== undefined && flag.max !== undefined) notes.push(`${flag.min}-${flag.max}`);
    if (flag.required) notes.push('required');
    const fallbacks = [flag.env === undefined ? undefined : `$${flag.env}`, flag.default === undefined ? undefined : String(flag.default)].filter(
      (fallback): fallback is string => fallback !== undefined && fallback !== '',
    );
    if (fallbacks.length > 0) notes.push(`default: ${fallbacks.join(', else ')}`);
  }
  if (flag.aliases && flag.aliases.length > 0) notes.push(`also ${flag.aliases.map((alias) => `--${alias}`).join(', ')}`);
  return notes.length > 0 ? `${flag.description} (${notes.join('; ')})` : flag.description;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
