/**
 * The report of `dynenv validate`: for people (`text`, grouped by object, each finding with what to do) and for
 * CI (`json`: one record per finding with scope, kind, name, path, message and fix, ready to become annotations).
 */
import type { Finding } from './finding.ts';
import type { ValidationReport } from './validate-tree.ts';

export const REPORT_FORMATS = ['text', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function formatReport(report: ValidationReport, format: ReportFormat): string {
  return format === 'json' ? formatJson(report) : formatText(report);
}

/** A stable JSON document: absent kind and name are null, so that every record has the same keys. */
export function formatJson(report: ValidationReport): string {
  const { errors, warnings } = count(report.findings);
  const document = {
    ok: report.ok,
    directory: report.directory,
    summary: { errors, warnings, objects: report.scopes.reduce((sum, scope) => sum + scope.objects, 0) },
    scopes: report.scopes,
    findings: report.findings.map((item) => ({
      severity: item.severity,
      rule: item.rule,
      scope: item.scope,
      kind: item.kind ?? null,
      name: item.name ?? null,
      path: item.path,
      message: item.message,
      fix: item.fix,
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * One block per object (`prod  Deployment/api`), two lines per finding under it:
 * `error [rule] path: message` and `fix: ...`. Ends with a one-line summary.
 */
export function formatText(report: ValidationReport): string {
  const lines: string[] = [];
  let heading: string | undefined;
  for (const item of report.findings) {
    const next = [item.scope, item.kind === undefined ? undefined : item.name === undefined ? item.kind : `${item.kind}/${item.name}`]
      .filter((part) => part !== undefined)
      .join('  ');
    if (next !== heading) {
      if (heading !== undefined) lines.push('');
      lines.push(next);
      heading = next;
    }
    lines.push(`  ${item.severity} [${item.rule}] ${item.path ? `${item.path}: ` : ''}${item.message}`);
    lines.push(`    fix: ${item.fix}`);
  }
  if (lines.length) lines.push('');
  lines.push(summaryLine(report));
  return `${lines.join('\n')}\n`;
}

function summaryLine(report: ValidationReport): string {
  const { errors, warnings } = count(report.findings);
  const objects = report.scopes.reduce((sum, scope) => sum + scope.objects, 0);
  const scopes = report.scopes.map((scope) => scope.name).join(', ');
  const checked = `${objects} objects in ${scopes || 'no folder'}`;
  const warningText = warnings === 1 ? '1 warning' : `${warnings} warnings`;
  if (report.ok) return `${report.directory}/ passes: ${checked}${warnings ? ` (${warningText})` : ''}`;
  return `${report.directory}/ fails: ${errors === 1 ? '1 error' : `${errors} errors`}, ${warningText} (${checked})`;
}

function count(findings: readonly Finding[]): { errors: number; warnings: number } {
  const errors = findings.filter((item) => item.severity === 'error').length;
  return { errors, warnings: findings.length - errors };
}
