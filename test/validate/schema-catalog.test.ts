import { describe, expect, it } from 'vitest';
import { lookUpSchema } from '../../src/validate/schema-catalog.ts';

describe('lookUpSchema', () => {
  it.each([
    ['v1', 'ConfigMap'],
    ['apps/v1', 'Deployment'],
    ['networking.k8s.io/v1', 'NetworkPolicy'],
    ['batch/v1', 'CronJob'],
    ['argoproj.io/v1alpha1', 'ApplicationSet'],
    ['argoproj.io/v1alpha1', 'AppProject'],
  ])('finds the official schema of %s %s', async (apiVersion, kind) => {
    const lookup = await lookUpSchema(apiVersion, kind);
    expect(lookup.status).toBe('found');
  });

  it('has no schema for a custom resource of a group neither package knows', async () => {
    expect(await lookUpSchema('cert-manager.io/v1', 'Certificate')).toEqual({ status: 'no-schema' });
  });

  it('knows the apiVersions of a built-in group, so that a wrong one is an error, not a custom resource', async () => {
    const lookup = await lookUpSchema('apps/v2', 'Deployment');
    expect(lookup).toEqual({ status: 'unknown-api-version', known: expect.arrayContaining(['apps/v1']) });
  });

  it('suggests the closest kind of the apiVersion for a misspelt kind', async () => {
    expect(await lookUpSchema('apps/v1', 'Deploymnet')).toEqual({ status: 'unknown-kind', suggestion: 'Deployment' });
  });

  it('does not take a type-only module (a part of a kind) for a kind', async () => {
    expect((await lookUpSchema('apps/v1', 'DeploymentSpec')).status).toBe('unknown-kind');
  });

  it('never turns a kind that is not an identifier into a module path', async () => {
    expect((await lookUpSchema('apps/v1', '../../v1/Pod')).status).toBe('unknown-kind');
  });
});
