import { describe, expect, it } from 'vitest';
import { finding } from '../../src/validate/finding.ts';
import { formatJson, formatText } from '../../src/validate/report.ts';
import type { ValidationReport } from '../../src/validate/validate-tree.ts';

const deployment = { kind: 'Deployment', metadata: { name: 'api' } };

const failing: ValidationReport = {
  directory: 'gitops',
  scopes: [
    { name: 'prod', directory: 'gitops/overlays/prod', objects: 12 },
    { name: 'argocd', directory: 'gitops/argocd', objects: 3 },
  ],
  findings: [
    finding('default-deny', { scope: 'prod', object: { kind: 'NetworkPolicy', metadata: {} } }, 'prod has no default-deny NetworkPolicy', 'add one'),
    finding('unknown-field', { scope: 'prod', object: deployment, path: ['spec', 'replica'] }, 'unknown field "replica"', 'did you mean "replicas"? Rename it'),
    finding(
      'pinned-images',
      { scope: 'prod', object: deployment, path: ['spec', 'template', 'spec', 'containers', 0, 'image'] },
      'image "a:1" is pinned by tag only',
      'pin it by digest',
    ),
    finding('schema', { scope: 'argocd', object: { kind: 'Certificate', metadata: {} } }, 'no schema for Certificate', 'install its CRD', 'warning'),
  ],
  ok: false,
};

describe('formatText', () => {
  it('groups findings by object, each with its rule, path, message and fix, and ends with a summary', () => {
    expect(formatText(failing)).toBe(
      [
        'prod  NetworkPolicy',
        '  error [default-deny] prod has no default-deny NetworkPolicy',
        '    fix: add one',
        '',
        'prod  Deployment/api',
        '  error [unknown-field] spec.replica: unknown field "replica"',
        '    fix: did you mean "replicas"? Rename it',
        '  error [pinned-images] spec.template.spec.containers[0].image: image "a:1" is pinned by tag only',
        '    fix: pin it by digest',
        '',
        'argocd  Certificate',
        '  warning [schema] no schema for Certificate',
        '    fix: install its CRD',
        '',
        'gitops/ fails: 3 errors, 1 warning (15 objects in prod, argocd)',
        '',
      ].join('\n'),
    );
  });

  it('says what passed when nothing failed', () => {
    expect(formatText({ ...failing, findings: [], ok: true })).toBe('gitops/ passes: 15 objects in prod, argocd\n');
  });
});

describe('formatJson', () => {
  it('gives one record per finding, with the same keys in every record, for CI annotations', () => {
    const document = JSON.parse(formatJson(failing));
    expect(document.ok).toBe(false);
    expect(document.summary).toEqual({ errors: 3, warnings: 1, objects: 15 });
    expect(document.scopes).toEqual(failing.scopes);
    expect(document.findings[0]).toEqual({
      severity: 'error',
      rule: 'default-deny',
      scope: 'prod',
      kind: 'NetworkPolicy',
      name: null,
      path: '',
      message: 'prod has no default-deny NetworkPolicy',
      fix: 'add one',
    });
    expect(document.findings[2]).toEqual({
      severity: 'error',
      rule: 'pinned-images',
      scope: 'prod',
      kind: 'Deployment',
      name: 'api',
      path: 'spec.template.spec.containers[0].image',
      message: 'image "a:1" is pinned by tag only',
      fix: 'pin it by digest',
    });
  });
});
