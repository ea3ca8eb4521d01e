/**
 * `dynenv validate` on a tree synthesized for EKS says what it cannot see and EKS needs (enforcement, a
 * StorageClass, the solver's Service type, Service ports equal to container ports), naming the setting for each;
 * stating the settings in dynenv.yaml silences the warnings they answer.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  acmeSolverRule,
  ingressClassRule,
  networkPolicyEnforcementRule,
  servicePortRule,
  storageClassRule,
} from '../../src/validate/rules/cluster-requirements.ts';
import { dynenvInProcess as dynenv } from '../support/cli.ts';
import { EXAMPLE_TEXT } from '../support/example.ts';
import { tempDir } from '../support/workspace.ts';

async function validateOn(cluster: Record<string, unknown>): Promise<{ ok: boolean; findings: Array<Record<string, string | null>> }> {
  const dir = await tempDir();
  const data = parse(EXAMPLE_TEXT) as Record<string, any>;
  data.cluster = cluster;
  await writeFile(path.join(dir, 'dynenv.yaml'), stringify(data));
  const synth = await dynenv(dir, ['synth']);
  expect(synth.code, synth.stderr).toBe(0);
  const result = await dynenv(dir, ['validate', '--format', 'json']);
  expect(result.code, result.stderr).toBe(0);
  const report = JSON.parse(result.stdout);
  // Only what the cluster must provide: other rules' findings are theirs to test.
  return { ...report, findings: report.findings.filter((item: Record<string, string>) => CLUSTER_RULES.includes(item.rule!)) };
}

const CLUSTER_RULES = [networkPolicyEnforcementRule, storageClassRule, ingressClassRule, acmeSolverRule, servicePortRule].map((rule) => rule.id);

const summary = (findings: Array<Record<string, string | null>>) =>
  findings.map((item) => `${item.severity} ${item.rule} ${item.scope} ${item.kind}${item.name === null ? '' : `/${item.name}`}`);

describe('dynenv validate on EKS', () => {
  it('warns about what the cluster must provide, naming the setting, and passes', async () => {
    const report = await validateOn({ platform: 'eks', ingressController: { from: [{ namespace: 'ingress-nginx' }] } });
    expect(report.ok).toBe(true);
    expect(summary(report.findings)).toEqual([
      'warning network-policy-enforcement dev NetworkPolicy',
      'warning acme-solver dev Ingress/web',
      'warning ingress-class dev Ingress/web',
      'warning service-port dev Service/api',
      'warning service-port dev Service/web',
      'warning network-policy-enforcement staging NetworkPolicy',
      'warning acme-solver staging Ingress/web',
      'warning ingress-class staging Ingress/web',
      'warning service-port staging Service/api',
      'warning service-port staging Service/web',
      'warning network-policy-enforcement prod NetworkPolicy',
      'warning acme-solver prod Ingress/web',
      'warning ingress-class prod Ingress/web',
      'warning service-port prod Service/api',
      'warning service-port prod Service/web',
      'warning service-port preview Service/api',
      'warning service-port preview Service/web',
      'warning storage-class preview StatefulSet/api-postgres',
      // A preview's NetworkPolicies and Ingress are its fence's.
      'warning network-policy-enforcement preview-fence NetworkPolicy',
      'warning ingress-class preview-fence Ingress/web',
    ]);
    const storage = report.findings.find((item) => item.rule === 'storage-class')!;
    expect(storage.message!).toContain('Amazon EKS has no default one (EKS 1.30+): the claim stays Pending');
    expect(storage.fix!).toContain('"cluster.storageClassName"');
  });

  it('is silenced by the settings that state what the cluster provides', async () => {
    const report = await validateOn({
      platform: 'eks',
      ingressController: { from: [{ namespace: 'ingress-nginx' }] },
      ingressClassName: 'nginx',
      storageClassName: 'gp3',
      networkPolicyEnforced: true,
      certManager: { solver: 'dns01' },
    });
    // What remains is a change to the application itself (its Service ports), not a setting.
    expect(new Set(report.findings.map((item) => item.rule))).toEqual(new Set(['service-port']));
  });
});
