/** Objects the GitOps tree refers to without holding them (`external` in dynenv.yaml). */
import { z } from 'zod';
import { objectName } from './primitives.ts';

const objectNames = (kind: string) =>
  z
    .array(objectName, { error: 'expected a list of object names' })
    .default([])
    .meta({ description: `Names of ${kind} that exist outside gitops/. Default: [].` });

/**
 * Objects the workloads refer to that exist in the cluster without being in gitops/: Secrets written by an
 * operator (External Secrets, Sealed Secrets, cert-manager) or by hand, ConfigMaps and ServiceAccounts another
 * team owns. `dynenv validate` accepts references to them in every environment (and in argocd/) instead of
 * reporting them as missing.
 */
export const externalObjectsSchema = z.strictObject({
  secrets: objectNames('Secrets'),
  configMaps: objectNames('ConfigMaps'),
  serviceAccounts: objectNames('ServiceAccounts'),
});
export type ExternalObjects = z.infer<typeof externalObjectsSchema>;

/** No external objects: every reference must be satisfied inside gitops/. */
export const NO_EXTERNAL_OBJECTS: ExternalObjects = { secrets: [], configMaps: [], serviceAccounts: [] };
