/**
 * Puts a ConfigMap's `data` into the synthesized object whatever its keys are. cdk8s cannot render a map that has
 * a key named like a property of Object.prototype (`constructor` makes it "a non-simple object", and
 * cdk8s-plus's ConfigMap refuses `toString` as "already used"), yet each is a valid environment variable name.
 * A JSON patch value is placed into the rendered object as it is, so the data goes in that way, where an empty
 * `data` stood (the field keeps its place in the file).
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import type { IConstruct } from 'constructs';

/** Sets `data` of the ConfigMap (or ConfigMap patch) `object`, which was created with `data: {}`. */
export function setConfigMapData(object: IConstruct, data: Readonly<Record<string, string>>): void {
  if (Object.keys(data).length === 0) return;
  // Sorted by name, as cdk8s sorts the keys it renders: the order in dynenv.yaml does not change the output.
  const sorted = Object.entries(data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  ApiObject.of(object).addJsonPatch(JsonPatch.replace('/data', Object.fromEntries(sorted)));
}
